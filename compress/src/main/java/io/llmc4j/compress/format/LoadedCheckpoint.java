package io.llmc4j.compress.format;

import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.engine.io.safetensors.SafetensorsCheckpoint;
import io.llmc4j.engine.models.ModelConfig;
import io.llmc4j.engine.nn.CausalLM;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A compressed-tensors checkpoint loaded for running ({@link CompressedCheckpointReader#load}).
 *
 * <p>Ownership: unquantized parameters of {@link #model()} are views of the mapped safetensors files,
 * which {@link #close()} unmaps; decompressed weights are heap tensors. Close only when the model is no
 * longer used.
 *
 * @param model              the runnable model: quantized Linears hold their dequantized weight (in the
 *                           config's {@code torch_dtype}, or F32), their qparams as parameters, and a
 *                           {@link ServedLinearForward} when activations are quantized
 * @param config             the parsed {@code config.json}
 * @param quantizationConfig the parsed {@code quantization_config}
 * @param moduleSchemes      dotted module name → the scheme (with its format) it was quantized with
 * @param weights            the opened safetensors files
 */
public record LoadedCheckpoint(CausalLM model, ModelConfig config, QuantizationConfig quantizationConfig,
                               Map<String, QuantizationScheme> moduleSchemes, SafetensorsCheckpoint weights) implements AutoCloseable {
    public LoadedCheckpoint {
        moduleSchemes = Collections.unmodifiableMap(new LinkedHashMap<>(moduleSchemes));
    }

    @Override
    public void close() {
        weights.close();
    }
}
