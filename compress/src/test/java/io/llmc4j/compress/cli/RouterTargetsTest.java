package io.llmc4j.compress.cli;

import static io.llmc4j.compress.cli.CliTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.cli.CliTesting.CliResult;
import io.llmc4j.engine.testing.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A recipe that targets a mixture-of-experts router is refused before calibration, naming the router; never silently skipped. */
class RouterTargetsTest {
    private static final String ROUTER_RECIPE = """
            quant_stage:
              quant_modifiers:
                QuantizationModifier:
                  config_groups:
                    group_0:
                      targets: ["re:.*mlp.gate$"]
                      weights: {num_bits: 8, type: int, symmetric: true, strategy: channel}
            """;

    @TempDir
    Path root;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"qwen3_moe", "qwen2_moe"})
    void aRecipeTargetingTheRouterIsRefusedNamingIt(String architecture) {
        Path model = Zoo.require(architecture);
        Path output = root.resolve("out");
        CliResult result = run(CliTesting.isolated(root), "oneshot", "--model", model.toString(), "--dataset", "none",
                "--recipe", CliTesting.writeString(root.resolve("router.yaml"), ROUTER_RECIPE).toString(), "--output", output.toString());
        assertEquals(Llmc.EXIT_BAD_INPUT, result.exitCode(), result::toString);
        assertTrue(result.err().contains("config_groups.group_0.targets") && result.err().contains("model.layers.0.mlp.gate")
                && result.err().contains("router"), result::toString);
        assertFalse(Files.exists(output), "nothing written");
    }
}
