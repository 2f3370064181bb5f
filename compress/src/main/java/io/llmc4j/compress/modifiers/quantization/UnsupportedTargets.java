package io.llmc4j.compress.modifiers.quantization;

import io.llmc4j.compress.quantization.QuantizationConfigException;
import io.llmc4j.engine.nn.Attention;
import io.llmc4j.engine.nn.Embedding;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.nn.TopKRouter;
import java.util.List;

/**
 * Refuses, at initialization, a config group whose targets match a module llmc4j does not quantize, so
 * that no checkpoint declares a group it did not apply. compressed-tensors quantizes Linear and Embedding
 * modules and attention (query and KV cache); any other matched module type fails there too. Stateless.
 */
final class UnsupportedTargets {
    private UnsupportedTargets() {
    }

    /** Fails for {@code module} (not a Linear), matched by {@code patterns} of config group {@code group}. */
    static void check(String name, Module module, String group, List<String> patterns) {
        String what = "config group '" + group + "' targets " + patterns + " match '" + name + "' (" + module.typeName() + ")";
        if (module instanceof Embedding)
            throw new QuantizationConfigException("config_groups." + group + ".targets",
                    what + ": embedding quantization is not supported by llmc4j yet; target Linear modules only or add it to ignore");
        if (module instanceof Attention)
            throw new QuantizationConfigException("config_groups." + group + ".targets",
                    what + ": attention (query) quantization is not supported by llmc4j yet; target Linear modules only or add it to ignore");
        if (module instanceof TopKRouter)
            throw new QuantizationConfigException("config_groups." + group + ".targets",
                    what + ": quantizing a mixture-of-experts router is not supported by llmc4j yet (LLM Compressor's examples leave routers "
                            + "unquantized); add it to ignore");
        throw new QuantizationConfigException("config_groups." + group + ".targets",
                what + ": only Linear modules can be quantized (LLM Compressor refuses this module type too); narrow the targets or add it to ignore");
    }
}
