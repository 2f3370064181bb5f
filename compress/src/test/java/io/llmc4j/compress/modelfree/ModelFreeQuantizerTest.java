package io.llmc4j.compress.modelfree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmc4j.compress.format.CompressionFormat;
import io.llmc4j.compress.format.FormatException;
import io.llmc4j.compress.pipelines.ProgressSink;
import io.llmc4j.compress.quantization.QuantizationConfigException;
import io.llmc4j.compress.quantization.QuantizationPresets;
import io.llmc4j.compress.testing.TensorAssertions;
import io.llmc4j.engine.io.safetensors.SafetensorsCheckpoint;
import io.llmc4j.engine.io.safetensors.SafetensorsFile;
import io.llmc4j.engine.io.safetensors.SafetensorsWriter;
import io.llmc4j.engine.models.SyntheticCheckpoint;
import io.llmc4j.engine.models.SyntheticModels;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model-free run as a whole: output layout, fused scales across shards, expert splitting, refusals, an untouched input. */
class ModelFreeQuantizerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temporary;

    private static ModelFreeQuantizer.Options options(String scheme, List<String> targets, List<String> ignore) {
        return new ModelFreeQuantizer.Options(List.of(QuantizationPresets.scheme(scheme, targets)), ignore, 2, false);
    }

    private Path shardedModel() throws Exception {
        Path dir = SyntheticCheckpoint.write(temporary.resolve("model"), SyntheticModels.TINY, 3, DType.BF16, 30_000);
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {}}");
        return dir;
    }

    @Test
    void shardedOutputKeepsShardNamesIndexConfigAndOtherFiles() throws Exception {
        Path model = shardedModel();
        Map<String, String> before = digests(model);
        Path out = temporary.resolve("out");
        var result = ModelFreeQuantizer.run(model, options("NVFP4A16", List.of("re:.*(q|k|v|o|gate|up)_proj$"), List.of("lm_head")), out,
                ProgressSink.silent());

        assertEquals(before, digests(model), "the input directory is unchanged");
        assertEquals(CompressionFormat.NVFP4_PACK_QUANTIZED, result.format());
        JsonNode index = JSON.readTree(out.resolve("model.safetensors.index.json").toFile());
        JsonNode inputIndex = JSON.readTree(model.resolve("model.safetensors.index.json").toFile());
        try (var files = Files.list(out)) {
            List<String> shards = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".safetensors")).sorted().toList();
            try (var in = Files.list(model)) {
                assertEquals(in.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".safetensors")).sorted().toList(), shards);
            }
        }
        long total = 0;
        try (SafetensorsCheckpoint written = SafetensorsCheckpoint.open(out)) {
            for (var e : index.get("weight_map").properties()) assertTrue(written.fileOf(e.getKey()).path().endsWith(e.getValue().asText()));
            assertEquals(written.names().size(), index.get("weight_map").size());
            for (String name : written.names()) total += written.info(name).byteSize();

            // every fused set (q/k/v, gate/up) shares one global scale, including sets whose members lie in different shards
            Map<String, String> sets = FusedSets.of(iterable(inputIndex.get("weight_map").fieldNames()));
            Map<String, Float> scaleOfSet = new TreeMap<>();
            Map<String, String> shardOfSet = new TreeMap<>();
            int spanning = 0;
            for (var member : sets.entrySet()) {
                float scale = written.get(member.getKey().replace(".weight", ".weight_global_scale")).getFloat(0);
                assertEquals(scaleOfSet.computeIfAbsent(member.getValue(), k -> scale), scale, member.getKey());
                String shard = inputIndex.get("weight_map").get(member.getKey()).asText();
                if (!shardOfSet.computeIfAbsent(member.getValue(), k -> shard).equals(shard)) spanning++;
            }
            assertTrue(spanning > 0, "some fused set spans two input shards: " + sets);
            assertTrue(written.contains("model.layers.0.mlp.down_proj.weight"), "down_proj is not targeted and kept as it is");
        }
        assertEquals(total, index.get("metadata").get("total_size").asLong());
        JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
        assertEquals("nvfp4-pack-quantized", config.get("quantization_config").get("format").asText());
        assertEquals("compressed", config.get("quantization_config").get("quantization_status").asText());
        assertEquals("llama", config.get("model_type").asText());
        assertEquals("{\"model\": {}}", Files.readString(out.resolve("tokenizer.json")));
        try (Stream<Path> left = Files.list(temporary)) {
            assertEquals(List.of("model", "out"), left.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary left beside");
        }
    }

    @Test
    void fusedExpertTensorsAreSplitPerExpertAsTheReferenceDoes() throws Exception {
        Path model = Files.createDirectories(temporary.resolve("moe"));
        Random random = new Random(5);
        Tensor gateUp = Tensor.allocate(DType.F32, 2, 16, 32), down = Tensor.allocate(DType.F32, 2, 32, 8), norm = Tensor.allocate(DType.F32, 32);
        for (Tensor t : List.of(gateUp, down, norm)) for (long i = 0; i < t.elementCount(); i++) t.setFlat(i, random.nextGaussian());
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("model.layers.0.mlp.experts.gate_up_proj", gateUp);
        tensors.put("model.layers.0.mlp.experts.down_proj", down);
        tensors.put("model.layers.0.input_layernorm.weight", norm);
        SafetensorsWriter.write(model.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        Files.writeString(model.resolve("config.json"), "{\"model_type\": \"brand_new_moe\"}");

        Path out = temporary.resolve("out");
        ModelFreeQuantizer.run(model, options("W8A8", List.of("Linear"), List.of()), out, ProgressSink.silent());

        Path alone = Files.createDirectories(temporary.resolve("alone"));
        Map<String, Tensor> pieces = new TreeMap<>();
        for (int e = 0; e < 2; e++) {
            pieces.put("model.layers.0.mlp.experts." + e + ".gate_proj.weight", gateUp.select(0, e).narrow(0, 0, 8).contiguous());
            pieces.put("model.layers.0.mlp.experts." + e + ".up_proj.weight", gateUp.select(0, e).narrow(0, 8, 8).contiguous());
            pieces.put("model.layers.0.mlp.experts." + e + ".down_proj.weight", down.select(0, e).contiguous());
        }
        pieces.put("model.layers.0.input_layernorm.weight", norm);
        SafetensorsWriter.write(alone.resolve("model.safetensors"), pieces, Map.of("format", "pt"));
        Path outAlone = temporary.resolve("out-alone");
        ModelFreeQuantizer.run(alone, options("W8A8", List.of("Linear"), List.of()), outAlone, ProgressSink.silent());

        try (SafetensorsFile split = SafetensorsFile.open(out.resolve("model.safetensors"));
             SafetensorsFile separate = SafetensorsFile.open(outAlone.resolve("model.safetensors"))) {
            assertEquals(separate.names(), split.names());
            assertTrue(split.contains("model.layers.0.mlp.experts.1.up_proj.weight_scale"));
            for (String name : separate.names()) TensorAssertions.assertBitsEqual(name, separate.get(name), split.get(name));
        }
    }

    @Test
    void refusesOutputsThatTouchTheInput() throws Exception {
        Path model = shardedModel();
        var opts = options("W8A8", List.of("Linear"), List.of("lm_head"));
        for (Path bad : List.of(model, model.resolve("sub"), model.getParent())) {
            FormatException e = assertThrows(FormatException.class, () -> ModelFreeQuantizer.run(model, opts, bad, ProgressSink.silent()));
            assertTrue(e.getMessage().contains("model directory"), e.getMessage());
        }
    }

    @Test
    void refusesSchemesThatNeedCalibrationAndAlreadyQuantizedInput() throws Exception {
        Path model = shardedModel();
        for (String scheme : List.of("FP8", "NVFP4")) {
            var e = assertThrows(QuantizationConfigException.class,
                    () -> ModelFreeQuantizer.run(model, options(scheme, List.of("Linear"), List.of()), temporary.resolve(scheme), ProgressSink.silent()));
            assertTrue(e.getMessage().startsWith("input_activations"), e.getMessage());
        }
        Path out = temporary.resolve("once");
        ModelFreeQuantizer.run(model, options("W8A8", List.of("Linear"), List.of("lm_head")), out, ProgressSink.silent());
        var again = assertThrows(FormatException.class,
                () -> ModelFreeQuantizer.run(out, options("W8A8", List.of("Linear"), List.of()), temporary.resolve("twice"), ProgressSink.silent()));
        assertTrue(again.getMessage().contains("already quantized"), again.getMessage());
    }

    @Test
    void aTensorThatCannotBeQuantizedStopsTheRunBeforeAnyOutput() throws Exception {
        Path model = shardedModel();
        Path out = temporary.resolve("out");
        // intermediate 172: group 16 does not divide down_proj's columns
        var e = assertThrows(FormatException.class,
                () -> ModelFreeQuantizer.run(model, options("NVFP4A16", List.of("Linear"), List.of("lm_head")), out, ProgressSink.silent()));
        assertTrue(e.getMessage().contains("down_proj.weight") && e.getMessage().contains("group_size 16") && e.getMessage().contains(".safetensors"),
                e.getMessage());
        assertFalse(Files.exists(out));
        try (Stream<Path> left = Files.list(temporary)) {
            assertEquals(List.of("model"), left.map(p -> p.getFileName().toString()).toList());
        }
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    private static Map<String, String> digests(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList())
                out.put(dir.relativize(f).toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
        }
        return out;
    }
}
