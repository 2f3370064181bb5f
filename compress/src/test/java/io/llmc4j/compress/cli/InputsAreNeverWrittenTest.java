package io.llmc4j.compress.cli;

import static io.llmc4j.compress.cli.CliTesting.run;
import static io.llmc4j.compress.cli.CliTesting.tinyModel;
import static io.llmc4j.compress.cli.CliTesting.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.cli.CliTesting.CliResult;
import io.llmc4j.engine.testing.TreeDigests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that writes refuses, before any work, an output that is an input, lies inside one or
 * contains one on disk — through symbolic links, {@code ..} and the run report's name — with exit 3
 * and a message naming both paths; the whole layout is byte-identical afterwards.
 *
 * <p>Layout under {@code root}: {@code parent/{tiny/ (the model), unrelated.txt, ids.jsonl}},
 * {@code link-model -> parent/tiny}, {@code link-parent -> parent}, {@code link-ids -> parent/ids.jsonl}.
 */
class InputsAreNeverWrittenTest {
    @TempDir
    Path root;
    Path parent, model, data, linkModel, linkParent, linkData;

    @BeforeEach
    void layout() throws IOException {
        parent = Files.createDirectories(root.resolve("parent"));
        model = tinyModel(parent.resolve("tiny"));
        Files.writeString(parent.resolve("unrelated.txt"), "not the model's, and not llmc's to delete");
        data = tokens(parent.resolve("ids.jsonl"), new long[] {1, 17, 200, 3, 9, 44, 8}, new long[] {1, 2, 3, 4, 5, 6, 7});
        linkModel = Files.createSymbolicLink(root.resolve("link-model"), model);
        linkParent = Files.createSymbolicLink(root.resolve("link-parent"), parent);
        linkData = Files.createSymbolicLink(root.resolve("link-ids"), data);
    }

    /** Runs {@code args} and asserts it was refused naming both paths, with every file as it was. */
    private void refused(String output, String input, String... args) {
        Map<String, String> before = TreeDigests.of(root);
        CliResult result = run(CliTesting.isolated(root.resolve("env")), args);
        assertEquals(Llmc.EXIT_BAD_INPUT, result.exitCode(), result::toString);
        assertEquals(1, result.errLines().size(), result::toString);
        assertTrue(result.err().contains(output) && result.err().contains(input), result::toString);
        Map<String, String> after = TreeDigests.of(root);
        after.keySet().removeIf(k -> k.startsWith("env"));
        before.keySet().removeIf(k -> k.startsWith("env"));
        assertEquals(before, after, "nothing was written, moved or deleted");
    }

    private void oneshotRefused(Path modelArg, Path output, String input) {
        refused(output.toString(), input, "oneshot", "--model", modelArg.toString(), "--dataset", data.toString(), "--num-samples", "2",
                "--scheme", "W8A8", "--output", output.toString(), "--overwrite");
    }

    @Test
    void oneshotOverwritingTheModelThroughALinkIsRefused() {
        oneshotRefused(linkModel, model, linkModel.toString());
        oneshotRefused(model, linkModel, model.toString());
        oneshotRefused(linkModel, linkParent.resolve("tiny"), linkModel.toString());
    }

    @Test
    void oneshotOverwritingAnAncestorOfTheModelIsRefused() {
        oneshotRefused(model, parent, model.toString());
        oneshotRefused(linkModel, parent, linkModel.toString());
        oneshotRefused(model, linkParent, model.toString());
        oneshotRefused(model, root, model.toString());
    }

    @Test
    void oneshotWritingInsideTheModelIsRefused() {
        oneshotRefused(model, model.resolve("W8A8"), model.toString());
        oneshotRefused(model, linkModel.resolve("W8A8"), model.toString());
        oneshotRefused(linkModel, linkParent.resolve("tiny/sub/W8A8"), linkModel.toString());
    }

    @Test
    void oneshotOutputOrReportOverTheDatasetOrRecipeIsRefused() throws IOException {
        oneshotRefused(model, data, data.toString());
        Path report = Files.writeString(parent.resolve("out.report.json"), "{\"input_ids\": [1, 2, 3]}\n");
        refused(report.toString(), report.toString(), "oneshot", "--model", model.toString(), "--dataset", report.toString(),
                "--num-samples", "1", "--scheme", "W8A8", "--output", parent.resolve("out").toString());
        Path recipe = Files.writeString(parent.resolve("r.yaml"), "QuantizationModifier:\n  scheme: W8A8\n");
        Path recipeLink = Files.createSymbolicLink(parent.resolve("r.report.json"), recipe);
        refused(recipeLink.toString(), recipe.toString(), "oneshot", "--model", model.toString(), "--dataset", data.toString(),
                "--num-samples", "1", "--recipe", recipe.toString(), "--output", parent.resolve("r").toString());
    }

    @Test
    void logitsOverAnInputIsRefused() {
        Path weights = model.resolve("model.safetensors");
        refused(weights.toString(), model.toString(), "logits", "--model", model.toString(), "--tokens", data.toString(), "--out", weights.toString());
        Path viaLink = linkModel.resolve("model.safetensors");
        refused(viaLink.toString(), model.toString(), "logits", "--model", model.toString(), "--tokens", data.toString(), "--out", viaLink.toString());
        refused(linkData.toString(), data.toString(), "logits", "--model", model.toString(), "--tokens", data.toString(), "--out", linkData.toString());
    }

    @Test
    void synthIntoItsSourceModelIsRefused() {
        Path inside = linkModel.resolve("copy");
        refused(inside.toString(), model.toString(), "synth", "--preset", model.toString(), "--out", inside.toString());
    }
}
