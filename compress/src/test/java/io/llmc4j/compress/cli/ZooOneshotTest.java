package io.llmc4j.compress.cli;

import static io.llmc4j.compress.cli.CliTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmc4j.compress.cli.CliTesting.CliResult;
import io.llmc4j.engine.io.safetensors.SafetensorsCheckpoint;
import io.llmc4j.engine.models.LoadedModel;
import io.llmc4j.engine.nn.Linear;
import io.llmc4j.engine.testing.Zoo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * End to end on every supported zoo architecture: {@code llmc oneshot} with W4A16 (group 16, as the zoo's
 * 64-wide layers need) and W8A8 writes a checkpoint in which every Linear but lm_head is compressed
 * (every expert of a mixture of experts included, routers left alone), and {@code llmc eval} reloads it
 * and measures its KL divergence from the original.
 */
class ZooOneshotTest {
    private static final String W4A16_GROUP16 = """
            quant_stage:
              quant_modifiers:
                QuantizationModifier:
                  ignore: [lm_head]
                  config_groups:
                    group_0:
                      targets: [Linear]
                      weights: {num_bits: 4, type: int, symmetric: true, strategy: group, group_size: 16}
            """;

    @TempDir
    Path root;

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String architecture : Zoo.SUPPORTED) {
            cases.add(Arguments.of(architecture, "W4A16"));
            cases.add(Arguments.of(architecture, "W8A8"));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void oneshotWritesACheckpointThatEvalReloads(String architecture, String scheme) throws Exception {
        Path model = Zoo.require(architecture);
        Path tokens = model.resolve("tokens.jsonl");
        Path output = root.resolve(architecture + "-" + scheme);
        List<String> args = new ArrayList<>(List.of("oneshot", "--model", model.toString(), "--dataset", tokens.toString(),
                "--num-samples", "2", "--max-seq-len", "48", "--output", output.toString()));
        if (scheme.equals("W4A16")) {
            args.addAll(List.of("--recipe", CliTesting.writeString(root.resolve("w4a16.yaml"), W4A16_GROUP16).toString()));
        } else {
            args.addAll(List.of("--scheme", scheme));
        }
        CliResult oneshot = run(CliTesting.isolated(root), args.toArray(String[]::new));
        assertEquals(0, oneshot.exitCode(), oneshot::toString);

        Set<String> expected = new TreeSet<>();
        try (LoadedModel original = LoadedModel.open(model, CliTesting.OPS)) {
            original.model().namedModules().forEach((name, module) -> {
                if (module instanceof Linear && !name.equals("lm_head")) expected.add(name);
            });
        }
        Set<String> compressed = new TreeSet<>();
        String marker = scheme.equals("W4A16") ? ".weight_packed" : ".weight_scale";
        try (SafetensorsCheckpoint written = SafetensorsCheckpoint.open(output)) {
            for (String name : written.names()) if (name.endsWith(marker)) compressed.add(name.substring(0, name.length() - marker.length()));
        }
        assertEquals(expected, compressed, architecture + ": every Linear but lm_head is quantized");

        CliResult eval = run(CliTesting.isolated(root), "eval", "--model", output.toString(), "--reference", model.toString(),
                "--dataset", tokens.toString(), "--num-samples", "2", "--json");
        assertEquals(0, eval.exitCode(), eval::toString);
        JsonNode json = new ObjectMapper().readTree(eval.out());
        double kl = json.get("kl").asDouble();
        System.out.printf("zoo %-12s %-6s KL %.5f nats/token, perplexity %.2f%n", architecture, scheme, kl, json.get("perplexity").asDouble());
        assertTrue(kl >= 0 && kl < 0.5, architecture + " " + scheme + ": KL " + kl);
    }
}
