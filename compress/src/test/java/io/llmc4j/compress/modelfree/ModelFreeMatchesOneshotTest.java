package io.llmc4j.compress.modelfree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.format.WriteOptions;
import io.llmc4j.compress.modifiers.StandardModifiers;
import io.llmc4j.compress.modifiers.quantization.QuantizationModifier;
import io.llmc4j.compress.modifiers.quantization.QuantizationModifierArgs;
import io.llmc4j.compress.oneshot.Oneshot;
import io.llmc4j.compress.oneshot.OneshotJob;
import io.llmc4j.compress.pipelines.ProgressSink;
import io.llmc4j.compress.quantization.QuantizationPresets;
import io.llmc4j.compress.recipe.ModifierRegistry;
import io.llmc4j.compress.recipe.Recipe;
import io.llmc4j.compress.recipe.RecipeModifier;
import io.llmc4j.compress.recipe.RecipeWriter;
import io.llmc4j.compress.testing.TensorAssertions;
import io.llmc4j.engine.io.safetensors.SafetensorsCheckpoint;
import io.llmc4j.engine.models.SyntheticCheckpoint;
import io.llmc4j.engine.models.SyntheticModels;
import io.llmc4j.engine.ops.KernelsFactory;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code quantize-files} (model-free) against {@code oneshot} with the same data-free scheme, targets
 * {@code Linear} and ignore {@code lm_head}: both checkpoints hold the same tensors, bit for bit, on
 * every model oneshot loads (stories260K, the llama/mistral/qwen2/qwen3 zoo models, a sharded BF16
 * synthetic Llama). NVFP4A16's fused q/k/v and gate/up weights are the exception by design: the
 * model-free path gives each fused set one global scale (the smallest of the members' own, i.e. the
 * one from the set's absmax), which oneshot does not do; those are checked for exactly that.
 */
class ModelFreeMatchesOneshotTest {
    private static final Ops OPS = new Ops(KernelsFactory.createDefault());

    private static final String LINEAR = "Linear";
    private static final String DOWN_PROJ = "re:.*down_proj$";
    private static final String NOT_DOWN_PROJ = "re:.*(q|k|v|o|gate|up)_proj$";

    @TempDir
    static Path temporary;

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> out = Stream.builder();
        for (String scheme : List.of("W8A8", "FP8_DYNAMIC")) out.add(Arguments.of("stories260K-hf", scheme, LINEAR));
        for (String model : List.of("zoo/llama", "zoo/mistral", "zoo/qwen2", "zoo/qwen3")) {
            for (String scheme : List.of("W8A8", "FP8_DYNAMIC", "NVFP4A16", "MXFP4A16")) out.add(Arguments.of(model, scheme, LINEAR));
            out.add(Arguments.of(model, "FP8_BLOCK", DOWN_PROJ));   // oneshot checks the activations' group 128 against in_features
        }
        out.add(Arguments.of("synthetic-bf16-sharded", "W8A8", LINEAR));
        out.add(Arguments.of("synthetic-bf16-sharded", "NVFP4A16", NOT_DOWN_PROJ));   // intermediate 172: group 16 does not divide it
        out.add(Arguments.of("synthetic-bf16-sharded", "MXFP4", NOT_DOWN_PROJ));
        return out.build();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void sameTensorsAsOneshot(String model, String scheme, String targets) throws Exception {
        Path modelDir = model(model);
        Path work = Files.createTempDirectory(temporary, scheme);
        Path viaOneshot = oneshot(modelDir, scheme, targets, work.resolve("oneshot"));
        Path viaFiles = work.resolve("files");
        var options = new ModelFreeQuantizer.Options(List.of(QuantizationPresets.scheme(scheme, List.of(targets))), List.of("lm_head"), 2, false);
        ModelFreeQuantizer.run(modelDir, options, viaFiles, ProgressSink.silent());

        try (SafetensorsCheckpoint expected = SafetensorsCheckpoint.open(viaOneshot);
             SafetensorsCheckpoint actual = SafetensorsCheckpoint.open(viaFiles)) {
            assertEquals(new TreeSet<>(expected.names()), new TreeSet<>(actual.names()), "tensor names");
            Map<String, String> fusedSets = FusedSets.of(expected.names().stream().filter(n -> n.endsWith(".weight_packed"))
                    .map(n -> n.replace(".weight_packed", ".weight")).toList());
            boolean fusedScheme = scheme.equals("NVFP4A16");
            for (String name : new TreeSet<>(expected.names())) {   // oneshot fuses NVFP4 global scales too: every tensor is equal
                TensorAssertions.assertBitsEqual(model + " " + scheme + " " + name, expected.get(name), actual.get(name));
            }
            if (fusedScheme) checkFusedGlobalScales(fusedSets, expected, actual);
        }
    }

    /** Each fused set shares one global scale in both checkpoints: the smallest of the members' (largest absmax). */
    private static void checkFusedGlobalScales(Map<String, String> fusedSets, SafetensorsCheckpoint alone, SafetensorsCheckpoint fused) {
        assertTrue(!fusedSets.isEmpty(), "the model has q/k/v and gate/up sets");
        Map<String, Float> smallest = new TreeMap<>();
        fusedSets.forEach((weight, set) -> smallest.merge(set, global(alone, weight), Math::min));
        fusedSets.forEach((weight, set) -> assertEquals(smallest.get(set), global(fused, weight), weight + " global scale (set " + set + ")"));
    }

    private static float global(SafetensorsCheckpoint checkpoint, String weight) {
        Tensor t = checkpoint.get(weight.replace(".weight", ".weight_global_scale"));
        return t.getFloat(0);
    }

    private static Path model(String name) {
        if (name.equals("synthetic-bf16-sharded")) {
            Path dir = temporary.resolve("synthetic-bf16-sharded");
            if (!Files.isDirectory(dir)) SyntheticCheckpoint.write(dir, SyntheticModels.TINY, 11, DType.BF16, 40_000);
            return dir;
        }
        return SharedFiles.require("models/" + name);
    }

    private static Path oneshot(Path modelDir, String scheme, String targets, Path output) {
        ModifierRegistry registry = StandardModifiers.registry();
        var type = registry.get(QuantizationModifier.NAME, QuantizationModifierArgs.class);
        Recipe recipe = Recipe.of(RecipeModifier.of(type, QuantizationModifierArgs.preset(scheme, List.of(targets), List.of("lm_head"))));
        OneshotJob.run(modelDir, OPS, recipe, new RecipeWriter(registry).toYaml(recipe), List.of(), Oneshot.Options.defaults(), output,
                new WriteOptions(Long.MAX_VALUE, false), ProgressSink.silent());
        return output;
    }
}
