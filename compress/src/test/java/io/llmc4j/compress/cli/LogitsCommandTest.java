package io.llmc4j.compress.cli;

import static io.llmc4j.compress.cli.CliTesting.listing;
import static io.llmc4j.compress.cli.CliTesting.run;
import static io.llmc4j.compress.cli.CliTesting.tinyModel;
import static io.llmc4j.compress.cli.CliTesting.tokens;
import static io.llmc4j.compress.cli.CliTesting.writeString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.cli.CliTesting.CliResult;
import io.llmc4j.engine.models.LoadedModel;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.NpyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogitsCommandTest {
    @TempDir
    static Path shared;
    static Path model;

    @TempDir
    Path root;

    @BeforeAll
    static void writeModel() {
        model = tinyModel(shared.resolve("tiny"));
    }

    private static final long[][] ROWS = {{1, 17, 200, 3, 9, 44}, {1, 255, 0, 12, 12, 7}, {1, 2, 3, 4, 5, 6}};

    @Test
    void writtenLogitsEqualTheModelsLogitsSequenceBySequence() throws IOException {
        Path data = tokens(root.resolve("ids.jsonl"), ROWS);
        Path out = root.resolve("logits.npy");
        CliResult result = run(CliTesting.isolated(root), "logits", "--model", model.toString(), "--tokens", data.toString(),
                "--out", out.toString(), "--batch-size", "2");
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().contains("F32[3, 6, 256]"), result::toString);
        Tensor written = NpyFiles.read(out);
        assertEquals(DType.F32, written.dtype());
        assertArrayEquals(new long[] {3, 6, 256}, written.shape().toArray());
        try (LoadedModel loaded = CliTesting.open(model)) {
            for (int s = 0; s < ROWS.length; s++) {
                float[] expected = loaded.model().logits(Tensor.ofLongs(ROWS[s], 1, ROWS[s].length), null).toFloatArray();
                // A sequence run alone and in a batch differ in the GEMM blocking, so in the last bits.
                assertArrayEquals(expected, written.select(0, s).toFloatArray(), 1e-5f, "sequence " + s);
            }
        }
        assertEquals(List.of("ids.jsonl", "logits.npy", "work"), listing(root), "no temporary file is left");
    }

    @Test
    void limitAndMaxSeqLenSelectTheFirstSequencesAndPositions() throws IOException {
        Path data = tokens(root.resolve("ids.jsonl"), ROWS);
        Path out = root.resolve("l.npy");
        CliResult result = run(CliTesting.isolated(root), "logits", "--model", model.toString(), "--tokens", data.toString(),
                "--out", out.toString(), "--limit", "2", "--max-seq-len", "4");
        assertEquals(0, result.exitCode(), result::toString);
        Tensor written = NpyFiles.read(out);
        assertArrayEquals(new long[] {2, 4, 256}, written.shape().toArray());
        try (LoadedModel loaded = CliTesting.open(model)) {
            float[] expected = loaded.model().logits(Tensor.ofLongs(Arrays.copyOf(ROWS[1], 4), 1, 4), null).toFloatArray();
            assertArrayEquals(expected, written.select(0, 1).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void unequalLengthsAreRefusedNamingTheLineAndTheFixUnlessTruncated() throws IOException {
        Path data = tokens(root.resolve("ids.jsonl"), new long[] {1, 2, 3, 4}, new long[] {1, 2, 3}, new long[] {1, 2, 3, 4, 5});
        Path outDir = Files.createDirectory(root.resolve("out"));
        Path out = outDir.resolve("l.npy");
        CliResult refused = run(CliTesting.isolated(root), "logits", "--model", model.toString(), "--tokens", data.toString(), "--out", out.toString());
        BadInputTest.assertOneError(refused, "logits", data + ":2: sequence has 3 tokens but " + data + ":1 has 4");
        assertTrue(refused.err().contains("pass --max-seq-len 3 (the shortest) or less"), refused::toString);
        assertEquals(List.of(), listing(outDir));

        CliResult truncated = run(CliTesting.isolated(root), "logits", "--model", model.toString(), "--tokens", data.toString(),
                "--out", out.toString(), "--max-seq-len", "3");
        assertEquals(0, truncated.exitCode(), truncated::toString);
        assertArrayEquals(new long[] {3, 3, 256}, NpyFiles.read(out).shape().toArray());
    }

    @Test
    void aFailedRunLeavesAnExistingOutputFileAsItWas() throws IOException {
        Path out = writeString(root.resolve("l.npy"), "previous");
        Path data = writeString(root.resolve("ids.jsonl"), "{\"input_ids\": [1, 999]}\n");
        CliResult result = run(CliTesting.isolated(root), "logits", "--model", model.toString(), "--tokens", data.toString(), "--out", out.toString());
        assertEquals(Llmc.EXIT_BAD_INPUT, result.exitCode(), result::toString);
        assertEquals("previous", Files.readString(out));
        assertEquals(List.of("ids.jsonl", "l.npy", "work"), listing(root));
    }

    @Test
    void aMissingOutputDirectoryIsNamed() {
        Path data = tokens(root.resolve("ids.jsonl"), ROWS);
        Path out = root.resolve("absent/l.npy");
        CliResult result = run(CliTesting.isolated(root), "logits", "--model", model.toString(), "--tokens", data.toString(), "--out", out.toString());
        BadInputTest.assertOneError(result, "logits", out + ": the output directory " + root.resolve("absent") + " does not exist");
    }

    @Test
    void missingRequiredOptionsAreUsageErrors() {
        CliResult result = run(CliTesting.isolated(root), "logits", "--model", model.toString());
        assertEquals(2, result.exitCode(), result::toString);
        assertTrue(result.err().contains("Missing required options"), result::toString);
    }
}
