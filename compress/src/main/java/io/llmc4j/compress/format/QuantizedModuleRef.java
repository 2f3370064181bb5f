package io.llmc4j.compress.format;

import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.engine.nn.Module;
import java.util.Objects;

/**
 * A module to store compressed: its dotted name in the model ({@code model.layers.0.mlp.down_proj}),
 * the module itself (a Linear holding {@code weight} and the qparams the quantization modifier set:
 * {@code weight_scale}, {@code weight_zero_point}, ...), and the scheme it was quantized with (one of
 * the config groups). Immutable.
 */
public record QuantizedModuleRef(String name, Module module, QuantizationScheme scheme) {
    public QuantizedModuleRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(module, "module of " + name);
        Objects.requireNonNull(scheme, "scheme of " + name);
        if (name.isEmpty()) throw new IllegalArgumentException("a quantized module needs a dotted name, found the root");
    }
}
