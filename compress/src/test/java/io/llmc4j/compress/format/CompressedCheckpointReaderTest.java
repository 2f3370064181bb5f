package io.llmc4j.compress.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.QuantizationStrategy;
import io.llmc4j.engine.models.ModelConfig;
import io.llmc4j.engine.models.SyntheticModels;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the reader refuses, each error naming the file, key or tensor. */
class CompressedCheckpointReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final QuantizationScheme W4A16 = new QuantizationScheme(List.of("Linear"),
            QuantizationArgs.builder().numBits(4).strategy(QuantizationStrategy.GROUP).groupSize(16).build(), null, null, null);

    @TempDir
    Path dir;
    Path out;

    @BeforeEach
    void writeCheckpoint() {
        ModelConfig config = TinyQuantizedModels.config(SyntheticModels.TINY, DType.F32);
        CausalLM model = TinyQuantizedModels.build(config, TinyQuantizedModels.weights(config, 1, DType.F32));
        List<QuantizedModuleRef> refs = TinyQuantizedModels.quantize(model, W4A16, List.of("lm_head"));
        out = dir.resolve("out");
        CompressedCheckpointWriter.save(model, config, null, refs, new QuantizationConfigSpec(List.of(W4A16), List.of("lm_head"), null),
                null, out, WriteOptions.defaults());
    }

    private void editConfig(Consumer<ObjectNode> edit) throws IOException {
        Path file = out.resolve("config.json");
        ObjectNode tree = (ObjectNode) JSON.readTree(file.toFile());
        edit.accept(tree);
        Files.writeString(file, PythonJson.dumps(tree));
    }

    private FormatException loadFails() {
        return assertThrows(FormatException.class, () -> CompressedCheckpointReader.load(out, TinyQuantizedModels.OPS).close());
    }

    @Test
    void aPlainCheckpointIsNotACompressedOne() throws IOException {
        editConfig(t -> t.remove("quantization_config"));
        assertEquals(out.resolve("config.json") + " has no quantization_config; this is not a compressed-tensors checkpoint "
                + "(build plain checkpoints with Models.build)", loadFails().getMessage());
    }

    @Test
    void anotherQuantMethodIsRefused() throws IOException {
        editConfig(t -> ((ObjectNode) t.get("quantization_config")).put("quant_method", "gptq"));
        assertEquals(out.resolve("config.json") + ": quantization_config.quant_method must be \"compressed-tensors\", found string \"gptq\"",
                loadFails().getMessage());
    }

    @Test
    void sparsityIsNotSupported() throws IOException {
        editConfig(t -> ((ObjectNode) t.get("quantization_config")).putObject("sparsity_config").put("format", "sparse-24-bitmask"));
        assertTrue(loadFails().getMessage().contains("quantization_config.sparsity_config is not supported by this reader"));
    }

    @Test
    void aCompressedWeightThatNoGroupTargetsIsNamed() throws IOException {
        editConfig(t -> ((ObjectNode) t.get("quantization_config")).putArray("ignore").add("lm_head").add("model.layers.1.mlp.up_proj"));
        String message = loadFails().getMessage();
        assertTrue(message.startsWith(out + ": tensor 'model.layers.1.mlp.up_proj.weight' is stored compressed, but no config group targets its module"),
                message);
    }

    @Test
    void aMalformedGroupNamesItsKey() throws IOException {
        editConfig(t -> ((ObjectNode) t.at("/quantization_config/config_groups/group_0/weights")).put("num_bits", 5).put("type", "float"));
        String message = loadFails().getMessage();
        assertTrue(message.startsWith(out.resolve("config.json") + ": quantization_config.config_groups.group_0.weights.num_bits: "), message);
    }

    @Test
    void aWrongPackedShapeNamesTheModule() throws IOException {
        editConfig(t -> ((ObjectNode) t.at("/quantization_config/config_groups/group_0/weights")).put("num_bits", 8));
        String message = loadFails().getMessage();
        assertTrue(message.startsWith("module 'model.layers.0.self_attn.q_proj', parameter 'weight_packed': expected I32 [64, 16] for a 64x64 weight of 8 bits, found I32[64, 8]"),
                message);
    }
}
