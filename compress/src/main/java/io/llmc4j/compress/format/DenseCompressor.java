package io.llmc4j.compress.format;

import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code dense} format: the weight stays as it is; only the zero points of symmetric activation
 * roles are dropped (a scheme that quantizes activations but not weights). Stateless.
 */
public record DenseCompressor() implements Compressor {
    @Override
    public CompressionFormat format() {
        return CompressionFormat.DENSE;
    }

    @Override
    public Map<String, Tensor> compress(String module, Map<String, Tensor> state, QuantizationScheme scheme) {
        Map<String, Tensor> out = new LinkedHashMap<>(state);
        ModuleState.dropSymmetricZeroPoints(out, scheme);
        return out;
    }

    @Override
    public Map<String, Tensor> decompress(String module, Map<String, Tensor> state, QuantizationScheme scheme) {
        return new LinkedHashMap<>(state);
    }
}
