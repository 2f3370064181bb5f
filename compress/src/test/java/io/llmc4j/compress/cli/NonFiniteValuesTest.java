package io.llmc4j.compress.cli;

import static io.llmc4j.compress.cli.CliTesting.listing;
import static io.llmc4j.compress.cli.CliTesting.run;
import static io.llmc4j.compress.cli.CliTesting.tinyModel;
import static io.llmc4j.compress.cli.CliTesting.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.cli.CliTesting.CliResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NaN or Inf in a weight, or in activations, fails oneshot and eval with exit 3, naming the module and
 * tensor, and no checkpoint (nor debris) is left: never a "successful" checkpoint with NaN scales or a
 * perplexity of null.
 */
class NonFiniteValuesTest {
    @TempDir
    Path root;
    Path model, data;

    @BeforeEach
    void modelAndData() {
        model = tinyModel(root.resolve("model"));
        data = tokens(root.resolve("ids.jsonl"), new long[] {1, 17, 200, 3, 9, 44, 8}, new long[] {1, 2, 3, 4, 5, 6, 7});
    }

    private void poison(String tensor, long flatIndex, float value) {
        BadInputTest.rewriteWeights(model, weights -> weights.get(tensor).setFlat(flatIndex, value));
    }

    private CliResult oneshot(String scheme) {
        return run(CliTesting.isolated(root), "oneshot", "--model", model.toString(), "--dataset", data.toString(), "--num-samples", "2",
                "--scheme", scheme, "--output", root.resolve("out").toString());
    }

    private void refused(CliResult result, String... expected) {
        assertEquals(Llmc.EXIT_BAD_INPUT, result.exitCode(), result::toString);
        String error = result.errLines().getLast();
        for (String e : expected) assertTrue(error.contains(e), () -> "expected '" + e + "' in\n" + result);
        assertEquals(List.of("ids.jsonl", "model", "work"), listing(root), "no checkpoint, report or temporary directory");
    }

    @Test
    void aNaNInAQuantizedWeightFailsNamingTheTensorBeforeCalibrating() {
        poison("model.layers.1.mlp.up_proj.weight", 70, Float.NaN);
        CliResult result = oneshot("W8A8");
        refused(result, "tensor 'model.layers.1.mlp.up_proj.weight': weight holds 1 non-finite value", "NaN");
        assertTrue(!result.err().contains("Calibrating"), result::toString);
    }

    @Test
    void anInfInANormWeightFailsAtTheNextObserverNamingTheModuleAndTheParameter() {
        poison("model.layers.0.input_layernorm.weight", 5, Float.POSITIVE_INFINITY);
        refused(oneshot("FP8"), "input activations of module 'model.layers.0.self_attn.", "model.layers.0.input_layernorm.weight (+Inf at [5])");
    }

    @Test
    void aNaNInAnUnquantizedWeightFailsTheWriteNamingTheTensor() {
        poison("model.norm.weight", 3, Float.NaN);
        refused(oneshot("W8A8"), "tensor 'model.norm.weight' holds NaN at [3]");
    }

    @Test
    void evalOfAModelWithNaNLogitsFailsNamingTheSequenceAndTheParameter() {
        poison("lm_head.weight", 256 + 9, Float.NaN);
        CliResult result = run(CliTesting.isolated(root), "eval", "--model", model.toString(), "--dataset", data.toString(), "--json");
        assertEquals(Llmc.EXIT_BAD_INPUT, result.exitCode(), result::toString);
        assertEquals("", result.out(), "no perplexity printed");
        assertTrue(result.err().contains("the model's logits are not finite (NaN or Inf) at position 0 of sequence " + data + ":1")
                && result.err().contains("lm_head.weight (NaN at [4, 9])"), result::toString);
    }
}
