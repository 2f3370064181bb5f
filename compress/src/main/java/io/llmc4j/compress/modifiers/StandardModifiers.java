package io.llmc4j.compress.modifiers;

import io.llmc4j.compress.modifiers.gptq.GPTQModifier;
import io.llmc4j.compress.modifiers.quantization.QuantizationModifier;
import io.llmc4j.compress.modifiers.smoothing.AWQModifier;
import io.llmc4j.compress.modifiers.smoothing.SmoothQuantModifier;
import io.llmc4j.compress.recipe.ModifierRegistry;

/** The modifiers llmc4j ships, registered by the names recipes use. */
public final class StandardModifiers {
    private StandardModifiers() {
    }

    /** A new registry holding every standard modifier. */
    public static ModifierRegistry registry() {
        ModifierRegistry registry = new ModifierRegistry();
        QuantizationModifier.register(registry);
        GPTQModifier.register(registry);
        SmoothQuantModifier.register(registry);
        AWQModifier.register(registry);
        return registry;
    }
}
