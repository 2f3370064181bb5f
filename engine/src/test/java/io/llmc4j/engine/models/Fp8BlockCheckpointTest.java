package io.llmc4j.engine.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.engine.io.InMemoryTensorSource;
import io.llmc4j.engine.io.safetensors.SafetensorsCheckpoint;
import io.llmc4j.engine.io.safetensors.SafetensorsWriter;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.ops.KernelsFactory;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DeepSeek-V3 checkpoint in FP8 blocks (F8_E4M3 weights + {@code weight_scale_inv}, quant_method
 * fp8, as DeepSeek ships it; here the zoo model's projections quantized in 32×32 blocks) loads by
 * dequantizing on the fly: its logits equal those of the dequantized weights computed here.
 */
class Fp8BlockCheckpointTest {
    private static final Ops OPS = new Ops(KernelsFactory.createDefault());
    private static final int BLOCK = 32;

    @TempDir
    Path temp;

    @Test
    void anFp8BlockCheckpointLoadsDequantized() throws Exception {
        Path zoo = Zoo.require("deepseek_v3");
        Map<String, Tensor> stored = new LinkedHashMap<>(), dequantized = new LinkedHashMap<>();
        int quantized = 0;
        try (SafetensorsCheckpoint weights = SafetensorsCheckpoint.open(zoo)) {
            for (String name : weights.names()) {
                Tensor w = weights.get(name).copy();
                if (!name.startsWith("model.layers.") || !name.endsWith("_proj.weight") && !name.endsWith("_mqa.weight")) {
                    stored.put(name, w);
                    dequantized.put(name, w);
                    continue;
                }
                quantized++;
                int rows = (int) w.dim(0), cols = (int) w.dim(1), scaleRows = (rows + BLOCK - 1) / BLOCK, scaleCols = (cols + BLOCK - 1) / BLOCK;
                float[] values = w.toFloatArray(), scales = new float[scaleRows * scaleCols], expected = new float[values.length];
                for (int i = 0; i < rows; i++)
                    for (int j = 0; j < cols; j++) {
                        int s = i / BLOCK * scaleCols + j / BLOCK;
                        scales[s] = Math.max(scales[s], Math.abs(values[i * cols + j]) / 448f);
                    }
                float[] scaled = new float[values.length];
                for (int i = 0; i < rows; i++)
                    for (int j = 0; j < cols; j++) scaled[i * cols + j] = values[i * cols + j] / scales[i / BLOCK * scaleCols + j / BLOCK];
                Tensor fp8 = Tensor.of(scaled, rows, cols).to(DType.F8_E4M3);
                float[] widened = fp8.to(DType.F32).toFloatArray();
                for (int i = 0; i < rows; i++)
                    for (int j = 0; j < cols; j++) expected[i * cols + j] = widened[i * cols + j] * scales[i / BLOCK * scaleCols + j / BLOCK];
                double squaredError = 0, squared = 0;
                for (int i = 0; i < values.length; i++) {
                    squaredError += (expected[i] - values[i]) * (double) (expected[i] - values[i]);
                    squared += values[i] * (double) values[i];
                }
                assertTrue(Math.sqrt(squaredError / squared) < 0.05, name + ": E4M3 blocks keep the weight within 5% (relative Frobenius)");
                stored.put(name, fp8);
                stored.put(name + "_scale_inv", Tensor.of(scales, scaleRows, scaleCols));
                dequantized.put(name, Tensor.of(expected, rows, cols));
            }
        }
        Path dir = Files.createDirectory(temp.resolve("deepseek-fp8"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(zoo.resolve("config.json").toFile());
        config.putObject("quantization_config").put("quant_method", "fp8").put("fmt", "e4m3").put("activation_scheme", "dynamic")
                .putArray("weight_block_size").add(BLOCK).add(BLOCK);
        json.writeValue(dir.resolve("config.json").toFile(), config);
        SafetensorsWriter.write(dir.resolve("model.safetensors"), stored, Map.of("format", "pt"));

        long[][] ids = Zoo.tokens(zoo);
        try (LoadedModel fp8 = LoadedModel.open(dir, OPS)) {
            assertEquals(DType.F32, fp8.model().submodule("model.layers.1.self_attn.kv_b_proj").parameter("weight").dtype());
            CausalLM reference = Models.build(fp8.config(), new InMemoryTensorSource("dequantized here", dequantized), OPS);
            float[] actual = ZooLogitsTest.logits(fp8.model(), ids);
            double error = Zoo.relativeError(actual, ZooLogitsTest.logits(reference, ids));
            assertTrue(error <= 1e-6, "FP8 checkpoint vs its dequantized weights: " + error);
            double fp8Error = Zoo.relativeError(actual, Zoo.expectedLogits(zoo).toFloatArray());
            // The zoo's random weights route tokens on small margins, so FP8 rounding can switch experts: only reported.
            System.out.printf("deepseek_v3 FP8 blocks %d×%d (%d weights): logits vs the F32 original %.3g of the largest%n", BLOCK, BLOCK, quantized, fp8Error);
            assertTrue(fp8Error > 0, "FP8 rounding changes the logits");
        }
    }
}
