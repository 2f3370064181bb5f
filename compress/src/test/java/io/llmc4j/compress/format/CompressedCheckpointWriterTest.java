package io.llmc4j.compress.format;

import static io.llmc4j.compress.format.FormatAssertions.assertSameTensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationPresets;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.QuantizationStrategy;
import io.llmc4j.engine.io.safetensors.SafetensorsCheckpoint;
import io.llmc4j.engine.io.safetensors.SafetensorsShardedWriter;
import io.llmc4j.engine.models.ModelConfig;
import io.llmc4j.engine.models.Models;
import io.llmc4j.engine.models.SyntheticModels;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.TreeDigests;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files {@link CompressedCheckpointWriter} writes for a model loaded from disk (tied embeddings,
 * weights mapped from the source), and its refusals: a non-empty output without overwrite, a module
 * lacking a parameter, a failure midway, outputs inside or around the source. After every refusal or
 * failure there is no output, no temporary directory, and the source directory is byte for byte as
 * before.
 */
class CompressedCheckpointWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LINEAR = List.of("Linear");
    private static final QuantizationScheme W4A16 = new QuantizationScheme(LINEAR,
            QuantizationArgs.builder().numBits(4).strategy(QuantizationStrategy.GROUP).groupSize(16).build(), null, null, null);
    private static final String RECIPE = "quant_stage:\n  quant_modifiers:\n    QuantizationModifier:\n      targets: [Linear]\n      scheme: W4A16\n";

    @TempDir
    Path dir;
    Path source;
    ModelConfig config;
    Map<String, Tensor> sourceWeights;

    @BeforeEach
    void writeSourceModel() throws IOException {
        source = Files.createDirectory(dir.resolve("source"));
        config = TinyQuantizedModels.config(SyntheticModels.TINY_LLAMA3, DType.F32);
        sourceWeights = TinyQuantizedModels.weights(config, 21, DType.F32);
        sourceWeights.remove("lm_head.weight");
        SafetensorsShardedWriter.write(source, sourceWeights, Map.of("format", "pt"), 1 << 20);
        Files.writeString(source.resolve("config.json"), PythonJson.dumps(config.json()));
        for (String name : List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json"))
            Files.writeString(source.resolve(name), "{\"file\": \"" + name + "\"}\n");
        Files.writeString(source.resolve("README.md"), "not part of a checkpoint\n");
    }

    private record Loaded(CausalLM model, SafetensorsCheckpoint checkpoint) implements AutoCloseable {
        @Override
        public void close() {
            checkpoint.close();
        }
    }

    private Loaded loadSource() {
        SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(source);
        return new Loaded(Models.build(config, checkpoint, TinyQuantizedModels.OPS), checkpoint);
    }

    private static QuantizationConfigSpec spec(QuantizationScheme... groups) {
        return new QuantizationConfigSpec(List.of(groups), List.of("lm_head"), null);
    }

    @Test
    void writesTheCompressedCheckpointFiles() throws IOException {
        Map<String, String> before = TreeDigests.of(source);
        Path out = dir.resolve("out");
        try (Loaded src = loadSource()) {
            assertTrue(src.model().tiedEmbeddings());
            List<QuantizedModuleRef> refs = TinyQuantizedModels.quantize(src.model(), W4A16, List.of("lm_head"));
            SavedCheckpoint saved = CompressedCheckpointWriter.save(src.model(), config, source, refs, spec(W4A16), RECIPE, out, WriteOptions.defaults());
            assertEquals(out, saved.directory());
            assertEquals(List.of("model.safetensors", "config.json", "recipe.yaml", "tokenizer.json", "tokenizer_config.json",
                    "special_tokens_map.json", "generation_config.json"), saved.files());
            assertEquals(new TreeSet<>(saved.files()), listing(out));
            assertEquals(RECIPE, Files.readString(out.resolve("recipe.yaml")));
            assertEquals("{\"file\": \"tokenizer.json\"}\n", Files.readString(out.resolve("tokenizer.json")));

            try (SafetensorsCheckpoint written = SafetensorsCheckpoint.open(out)) {
                Set<String> quantized = new TreeSet<>();
                refs.forEach(r -> quantized.add(r.name()));
                for (String name : sourceWeights.keySet()) {
                    String module = name.substring(0, name.lastIndexOf('.'));
                    if (quantized.contains(module)) continue;
                    assertSameTensor(name, sourceWeights.get(name), written.get(name));
                }
                for (String module : quantized) {
                    for (String stored : List.of("weight_packed", "weight_scale", "weight_shape")) assertTrue(written.contains(module + "." + stored), module + "." + stored);
                    assertFalse(written.contains(module + ".weight"), module + ".weight");
                    assertFalse(written.contains(module + ".weight_zero_point"), "symmetric zero points are dropped");
                    assertEquals(DType.F32, written.info(module + ".weight_scale").dtype());
                }
                assertFalse(written.contains("lm_head.weight"), "tied embeddings: no lm_head.weight");
                assertEquals(sourceWeights.size() - quantized.size() + 3 * quantized.size(), written.names().size());
                assertEquals(Map.of("format", "pt"), written.files().getFirst().metadata());
            }
        }
        assertEquals(before, TreeDigests.of(source), "the source directory is unchanged");

        String text = Files.readString(out.resolve("config.json"), StandardCharsets.UTF_8);
        ObjectNode expected = config.json();
        expected.set("quantization_config", QuantizationConfig.of(spec(W4A16)).toJson());
        JsonNode written = JSON.readTree(text);
        assertEquals(expected, written);
        assertEquals(PythonJson.dumps(expected), text, "json.dump(indent=2, sort_keys=True)");
        assertTrue(text.contains("\n  \"rms_norm_eps\": 1e-05,\n"), "Python float repr");
        assertEquals(List.of("lm_head"), JSON.convertValue(written.at("/quantization_config/ignore"), List.class));
        assertEquals("pack-quantized", written.at("/quantization_config/format").asText());

        try (LoadedCheckpoint loaded = CompressedCheckpointReader.load(out, TinyQuantizedModels.OPS)) {
            assertTrue(loaded.model().tiedEmbeddings(), "lm_head is tied to embed_tokens again");
        }
    }

    @Test
    void aNonEmptyOutputIsRefusedWithoutOverwrite() throws IOException {
        Path out = Files.createDirectory(dir.resolve("out"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        Set<String> parentBefore = listing(dir);
        try (Loaded src = loadSource()) {
            List<QuantizedModuleRef> refs = TinyQuantizedModels.quantize(src.model(), W4A16, List.of("lm_head"));
            FormatException e = assertThrows(FormatException.class, () -> CompressedCheckpointWriter.save(src.model(), config, source, refs,
                    spec(W4A16), RECIPE, out, WriteOptions.defaults()));
            assertEquals("output directory " + out + " exists and is not empty (1 entries); choose another directory or allow overwriting", e.getMessage());
        }
        assertEquals(Set.of("keep.txt"), listing(out));
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
        assertEquals(parentBefore, listing(dir), "no temporary directory left");
    }

    @Test
    void overwriteReplacesTheOutputOnlyWhenComplete() throws IOException {
        Path out = Files.createDirectory(dir.resolve("out"));
        Files.writeString(out.resolve("stale.safetensors"), "old");
        try (Loaded src = loadSource()) {
            List<QuantizedModuleRef> refs = TinyQuantizedModels.quantize(src.model(), W4A16, List.of("lm_head"));
            CompressedCheckpointWriter.save(src.model(), config, source, refs, spec(W4A16), null, out, new WriteOptions(1 << 20, true));
        }
        assertFalse(Files.exists(out.resolve("stale.safetensors")));
        assertTrue(Files.exists(out.resolve("model.safetensors")));
        assertFalse(Files.exists(out.resolve("recipe.yaml")), "no recipe given, none written");
        assertEquals(Set.of("out", "source"), listing(dir), "the old directory is deleted, no temporary is left");
    }

    @Test
    void anEmptyExistingOutputIsUsedWithoutOverwrite() throws IOException {
        Path out = Files.createDirectory(dir.resolve("out"));
        try (Loaded src = loadSource()) {
            List<QuantizedModuleRef> refs = TinyQuantizedModels.quantize(src.model(), W4A16, List.of("lm_head"));
            CompressedCheckpointWriter.save(src.model(), config, source, refs, spec(W4A16), RECIPE, out, WriteOptions.defaults());
        }
        assertTrue(Files.exists(out.resolve("config.json")));
    }

    @Test
    void aMissingScaleNamesTheModuleAndParameterAndWritesNothing() throws IOException {
        Map<String, String> before = TreeDigests.of(source);
        Path out = dir.resolve("out");
        try (Loaded src = loadSource()) {
            List<QuantizedModuleRef> refs = TinyQuantizedModels.quantize(src.model(), W4A16, List.of("lm_head"));
            src.model().submodule("model.layers.1.mlp.down_proj").removeParameter("weight_scale");
            FormatException e = assertThrows(FormatException.class, () -> CompressedCheckpointWriter.save(src.model(), config, source, refs,
                    spec(W4A16), RECIPE, out, WriteOptions.defaults()));
            assertTrue(e.getMessage().startsWith("module 'model.layers.1.mlp.down_proj', parameter 'weight_scale': is missing; "
                    + "weight quantization (int4 group, static) needs calibrated scales"), e.getMessage());
        }
        assertEquals(Set.of("source"), listing(dir), "no output and no temporary directory");
        assertEquals(before, TreeDigests.of(source));
    }

    @Test
    void anAsymmetricSchemeNeedsZeroPoints() {
        QuantizationScheme asym = new QuantizationScheme(LINEAR, QuantizationArgs.builder().numBits(4).symmetric(false)
                .strategy(QuantizationStrategy.CHANNEL).build(), null, null, null);
        try (Loaded src = loadSource()) {
            List<QuantizedModuleRef> refs = TinyQuantizedModels.quantize(src.model(), asym, List.of("lm_head"));
            src.model().submodule("model.layers.0.self_attn.v_proj").removeParameter("weight_zero_point");
            FormatException e = assertThrows(FormatException.class, () -> CompressedCheckpointWriter.save(src.model(), config, source, refs,
                    spec(asym), RECIPE, dir.resolve("out"), WriteOptions.defaults()));
            assertTrue(e.getMessage().startsWith("module 'model.layers.0.self_attn.v_proj', parameter 'weight_zero_point': is missing"), e.getMessage());
        }
    }

    @Test
    void staticActivationsNeedTheirScales() {
        QuantizationScheme fp8 = QuantizationPresets.scheme("FP8", LINEAR);
        try (Loaded src = loadSource()) {
            List<QuantizedModuleRef> refs = TinyQuantizedModels.quantize(src.model(), fp8, List.of("lm_head"));
            FormatException e = assertThrows(FormatException.class, () -> CompressedCheckpointWriter.save(src.model(), config, source, refs,
                    spec(fp8), RECIPE, dir.resolve("out"), WriteOptions.defaults()));
            assertTrue(e.getMessage().startsWith("module 'model.layers.0.self_attn.q_proj', parameter 'input_scale': is missing; "
                    + "input quantization (float8 tensor, static) needs calibrated scales"), e.getMessage());
        }
    }

    /** A tensor that cannot be read fails the write after earlier shards were written: everything is cleaned up. */
    @Test
    void aFailureMidwayLeavesNoTemporaryAndNoOutput() throws IOException {
        Map<String, String> before = TreeDigests.of(source);
        Path out = dir.resolve("out");
        try (Loaded src = loadSource()) {
            List<QuantizedModuleRef> refs = TinyQuantizedModels.quantize(src.model(), W4A16, List.of("lm_head"));
            Arena arena = Arena.ofConfined();
            Tensor gone = Tensor.allocate(arena, DType.F32, config.hiddenSize());
            arena.close();
            src.model().submodule("model.norm").setParameter("weight", gone);
            RuntimeException e = assertThrows(RuntimeException.class, () -> CompressedCheckpointWriter.save(src.model(), config, source, refs,
                    spec(W4A16), RECIPE, out, new WriteOptions(4096, false)));
            assertTrue(e.getMessage().contains("model.norm.weight"), e.getMessage());
        }
        assertEquals(Set.of("source"), listing(dir));
        assertEquals(before, TreeDigests.of(source));
    }

    @Test
    void anOutputInsideOrAroundTheSourceIsRefused() throws IOException {
        Map<String, String> before = TreeDigests.of(source);
        try (Loaded src = loadSource()) {
            List<QuantizedModuleRef> refs = TinyQuantizedModels.quantize(src.model(), W4A16, List.of("lm_head"));
            FormatException inside = assertThrows(FormatException.class, () -> CompressedCheckpointWriter.save(src.model(), config, source, refs,
                    spec(W4A16), RECIPE, source.resolve("compressed"), new WriteOptions(1 << 20, true)));
            assertTrue(inside.getMessage().contains("is inside the source model directory"), inside.getMessage());
            FormatException same = assertThrows(FormatException.class, () -> CompressedCheckpointWriter.save(src.model(), config, source, refs,
                    spec(W4A16), RECIPE, source, new WriteOptions(1 << 20, true)));
            assertTrue(same.getMessage().contains(" is the source model directory"), same.getMessage());
            FormatException around = assertThrows(FormatException.class, () -> CompressedCheckpointWriter.save(src.model(), config, source, refs,
                    spec(W4A16), RECIPE, dir, new WriteOptions(1 << 20, true)));
            assertTrue(around.getMessage().contains("contains the source model directory"), around.getMessage());
        }
        assertEquals(before, TreeDigests.of(source));
        assertEquals(Set.of("source"), listing(dir));
    }

    @Test
    void theSourceReachedThroughSymbolicLinksIsRefusedAndLeftByteIdentical() throws IOException {
        Map<String, String> before = TreeDigests.of(source);
        Path linkToSource = Files.createSymbolicLink(dir.resolve("link-source"), source);
        Path linkToParent = Files.createSymbolicLink(dir.resolve("link-parent"), dir);
        try (Loaded src = loadSource()) {
            List<QuantizedModuleRef> refs = TinyQuantizedModels.quantize(src.model(), W4A16, List.of("lm_head"));
            for (Path[] sourceAndOutput : new Path[][] {{linkToSource, source}, {source, linkToSource}, {linkToSource, dir},
                    {source, linkToParent}, {source, linkToParent.resolve("source")}, {linkToSource, linkToParent.resolve("source/inner")}}) {
                FormatException e = assertThrows(FormatException.class, () -> CompressedCheckpointWriter.save(src.model(), config,
                        sourceAndOutput[0], refs, spec(W4A16), RECIPE, sourceAndOutput[1], new WriteOptions(1 << 20, true)));
                assertTrue(e.getMessage().contains(sourceAndOutput[1].toString()) && e.getMessage().contains(sourceAndOutput[0].toString()),
                        e.getMessage());
            }
        }
        assertEquals(before, TreeDigests.of(source));
        assertEquals(Set.of("link-parent", "link-source", "source"), listing(dir));
    }

    @Test
    void aModuleWhoseSchemeIsNoConfigGroupIsRefused() {
        try (Loaded src = loadSource()) {
            List<QuantizedModuleRef> refs = TinyQuantizedModels.quantize(src.model(), W4A16, List.of("lm_head"));
            QuantizationScheme other = QuantizationPresets.scheme("W8A8", LINEAR);
            FormatException e = assertThrows(FormatException.class, () -> CompressedCheckpointWriter.save(src.model(), config, source, refs,
                    spec(other), RECIPE, dir.resolve("out"), WriteOptions.defaults()));
            assertTrue(e.getMessage().startsWith("quantized module 'model.layers.0.self_attn.q_proj' uses a scheme that is none of the config groups"),
                    e.getMessage());
        }
    }

    @Test
    void kvCacheSchemeAndIgnoreAreWrittenAsGiven() throws IOException {
        QuantizationArgs kv = QuantizationArgs.builder().numBits(8).type(io.llmc4j.compress.quantization.QuantizationType.FLOAT)
                .strategy(QuantizationStrategy.TENSOR).build();
        Path out = dir.resolve("out");
        try (Loaded src = loadSource()) {
            List<QuantizedModuleRef> refs = TinyQuantizedModels.quantize(src.model(), W4A16, List.of("lm_head", "re:.*down_proj"));
            CompressedCheckpointWriter.save(src.model(), config, source, refs,
                    new QuantizationConfigSpec(List.of(W4A16), List.of("lm_head", "re:.*down_proj"), kv), RECIPE, out, WriteOptions.defaults());
        }
        JsonNode qc = JSON.readTree(out.resolve("config.json").toFile()).get("quantization_config");
        assertEquals(JSON.valueToTree(List.of("lm_head", "re:.*down_proj")), qc.get("ignore"));
        assertEquals(QuantizationConfig.sorted(JSON.valueToTree(kv.toJson())), qc.get("kv_cache_scheme"));
        try (LoadedCheckpoint loaded = CompressedCheckpointReader.load(out, TinyQuantizedModels.OPS)) {
            assertFalse(loaded.moduleSchemes().containsKey("model.layers.0.mlp.down_proj"));
            assertEquals(DType.F32, loaded.model().submodule("model.layers.0.mlp.down_proj").parameter("weight").dtype());
            assertEquals(kv, loaded.quantizationConfig().kvCacheScheme());
        }
    }

    private static Set<String> listing(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return new TreeSet<>(files.map(p -> p.getFileName().toString()).toList());
        }
    }
}
