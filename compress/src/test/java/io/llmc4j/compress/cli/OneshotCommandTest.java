package io.llmc4j.compress.cli;

import static io.llmc4j.compress.cli.CliTesting.run;
import static io.llmc4j.compress.cli.CliTesting.tinyModel;
import static io.llmc4j.compress.cli.CliTesting.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmc4j.compress.cli.CliTesting.CliResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OneshotCommandTest {
    @TempDir
    static Path shared;
    static Path model;
    static Path data;

    @TempDir
    Path root;

    @BeforeAll
    static void writeModelAndData() {
        model = tinyModel(shared.resolve("tiny"));
        data = tokens(shared.resolve("ids.jsonl"), new long[] {1, 17, 200, 3, 9, 44, 8}, new long[] {1, 255, 0, 12, 5, 6, 7}, new long[] {1, 2, 3, 4, 5, 6, 7});
    }

    private CliResult oneshot(Path output, String... extra) {
        String[] base = {"oneshot", "--model", model.toString(), "--dataset", data.toString(), "--num-samples", "2", "--output", output.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return run(CliTesting.isolated(root), args);
    }

    @Test
    void writesACheckpointAReportAndTheCheckpointEvaluates() throws IOException {
        Path output = root.resolve("W8A8");
        CliResult result = oneshot(output, "--scheme", "W8A8", "--json");
        assertEquals(0, result.exitCode(), result::toString);
        JsonNode report = new ObjectMapper().readTree(result.out());
        assertEquals("int-quantized", report.get("format").asText());
        assertEquals(14, report.get("modules").size(), "7 Linears in each of 2 layers");
        assertTrue(Files.isRegularFile(root.resolve("W8A8.report.json")));
        JsonNode config = new ObjectMapper().readTree(output.resolve("config.json").toFile());
        assertEquals("compressed-tensors", config.at("/quantization_config/quant_method").asText());
        assertTrue(Files.isRegularFile(output.resolve("recipe.yaml")));
        assertTrue(result.err().contains("Pipeline: datafree"), "W8A8 (dynamic activations) needs no calibration data: " + result);
        CliResult eval = run(CliTesting.isolated(root), "eval", "--model", output.toString(), "--reference", model.toString(), "--dataset", data.toString(), "--json");
        assertEquals(0, eval.exitCode(), eval::toString);
        assertTrue(new ObjectMapper().readTree(eval.out()).get("kl").asDouble() > 0, eval::toString);
    }

    @Test
    void aNonEmptyOutputIsRefusedAndLeftAlone() throws IOException {
        Path output = Files.createDirectories(root.resolve("taken"));
        Files.writeString(output.resolve("keep.txt"), "mine");
        CliResult result = oneshot(output, "--scheme", "W8A8");
        assertEquals(Llmc.EXIT_BAD_INPUT, result.exitCode(), result::toString);
        assertTrue(result.err().contains("not empty") && result.err().contains("--overwrite"), result::toString);
        assertEquals("mine", Files.readString(output.resolve("keep.txt")));
        try (var files = Files.list(output)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void anUnknownSchemeIsBadUsageAndARecipeKeyBadInputAndNeitherWritesAnything() throws IOException {
        Path output = root.resolve("never");
        CliResult unknown = oneshot(output, "--scheme", "W5A5");
        assertEquals(Llmc.EXIT_USAGE, unknown.exitCode(), unknown::toString);
        assertTrue(unknown.err().contains("W5A5"), unknown::toString);
        Path recipe = Files.writeString(root.resolve("r.yaml"), "QuantizationModifier:\n  scheme: W8A8\n  ignroe: [lm_head]\n");
        CliResult badKey = oneshot(output, "--recipe", recipe.toString());
        assertEquals(Llmc.EXIT_BAD_INPUT, badKey.exitCode(), badKey::toString);
        assertTrue(badKey.err().contains("ignroe") && badKey.err().contains("ignore"), badKey::toString);
        assertFalse(Files.exists(output));
        try (var entries = Files.list(root)) {
            assertTrue(entries.noneMatch(p -> p.getFileName().toString().contains(".tmp")), "no temporary directory is left");
        }
    }

    /** Refused with exit 3 and one line naming {@code named}, before anything was loaded or calibrated. */
    private void refusedUpFront(CliResult result, String named) {
        assertEquals(Llmc.EXIT_BAD_INPUT, result.exitCode(), result::toString);
        assertEquals(1, result.errLines().size(), result::toString);
        assertTrue(result.err().contains(named), result::toString);
    }

    @Test
    void anOutputThatIsAFileOrUnderAFileIsRefusedBeforeLoading() throws IOException {
        Path file = Files.writeString(root.resolve("a-file"), "mine");
        refusedUpFront(oneshot(file, "--scheme", "W8A8", "--overwrite"), file.toString());
        refusedUpFront(oneshot(file.resolve("sub/out"), "--scheme", "W8A8"), file.toString());
        assertEquals("mine", Files.readString(file));
    }

    @Test
    void anOutputInAReadOnlyDirectoryIsRefusedBeforeLoading() throws IOException {
        Path readOnly = Files.createDirectories(root.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            boolean enforced;
            try {
                Files.delete(Files.createDirectory(readOnly.resolve("probe")));
                enforced = false;
            } catch (IOException e) {
                enforced = true;
            }
            assumeTrue(enforced, "permissions are not enforced for this user (root)");
            refusedUpFront(oneshot(readOnly.resolve("out"), "--scheme", "W8A8"), readOnly.toString());
            refusedUpFront(oneshot(readOnly.resolve("new/out"), "--scheme", "W8A8"), readOnly.toString());
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void anOutputInsideTheModelIsRefusedBeforeLoadingEvenWithDiskOffload() {
        refusedUpFront(oneshot(model.resolve("W8A8"), "--scheme", "W8A8", "--offload", "disk"), model.toString());
    }

    @Test
    void anInterruptedOverwriteIsRecoveredByTheNextRun() throws IOException {
        Path output = root.resolve("W8A16");
        Files.createDirectories(root.resolve(".W8A16.old-12")).resolve("config.json");
        Files.writeString(root.resolve(".W8A16.old-12").resolve("config.json"), "the previous checkpoint");
        Path half = Files.createDirectories(root.resolve(".W8A16.0a1b2c3d4e5f.tmp"));
        Files.writeString(half.resolve("model.safetensors"), "half written");
        CliResult refused = oneshot(output, "--scheme", "W8A8");
        assertEquals(Llmc.EXIT_BAD_INPUT, refused.exitCode(), refused::toString);
        assertTrue(refused.err().contains("restored " + output) && refused.err().contains("removed " + half), refused::toString);
        assertEquals("the previous checkpoint", Files.readString(output.resolve("config.json")), "the set-aside output is back");
        CliResult replaced = oneshot(output, "--scheme", "W8A8", "--overwrite");
        assertEquals(0, replaced.exitCode(), replaced::toString);
        assertEquals(List.of("W8A16", "W8A16.report.json", "work"), CliTesting.listing(root), "no debris");
    }

    @Test
    void traceShowsTheSubgraphs() {
        CliResult result = run(CliTesting.isolated(root), "trace", "--model", model.toString(), "--graph");
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().contains("subgraph 3/3"), result::toString);
        assertTrue(result.out().contains("call_module[model.layers.1]"), result::toString);
    }
}
