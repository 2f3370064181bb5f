package io.llmc4j.compress.modifiers.quantization;

import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.lifecycle.QuantizedModule;
import java.util.List;

/**
 * A modifier whose result is a quantized model (QuantizationModifier, GPTQModifier): what a
 * compressed-tensors checkpoint writer needs to know about it.
 */
public interface QuantizingModifier {
    /** The quantized modules in model order, with their schemes and qparams. */
    List<QuantizedModule> quantizedModules();

    /** The schemes in config-group order. */
    List<QuantizationScheme> configGroups();

    /** Linear modules the targets matched but {@code ignore} excluded (the checkpoint's {@code ignore} list). */
    List<String> ignoredModules();
}
