package io.llmc4j.compress.cli;

import static io.llmc4j.compress.cli.CliTesting.listing;
import static io.llmc4j.compress.cli.CliTesting.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.cli.CliTesting.CliResult;
import io.llmc4j.engine.models.LoadedModel;
import io.llmc4j.engine.models.SyntheticCheckpoint;
import io.llmc4j.engine.models.SyntheticModels;
import io.llmc4j.engine.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.TypeConversionException;

class SynthCommandTest {
    @TempDir
    Path root;

    @Test
    void writesTheSameCheckpointAsTheLibraryAndReportsIt() throws IOException {
        CliResult result = run(CliTesting.isolated(root), "synth", "--preset", "tiny", "--out", "tiny", "--seed", "3");
        assertEquals(0, result.exitCode(), result::toString);
        Path written = root.resolve("work/tiny");
        assertTrue(result.out().startsWith("wrote tiny (llama, 2 layers, hidden 64, vocab 256, "), result::toString);
        assertTrue(result.out().contains("F32, seed 3) to " + written), result::toString);
        Path expected = SyntheticCheckpoint.write(root.resolve("expected"), SyntheticModels.TINY, 3, DType.F32, Long.MAX_VALUE);
        assertEquals(listing(expected), listing(written));
        for (String name : listing(expected)) assertArrayEquals(Files.readAllBytes(expected.resolve(name)), Files.readAllBytes(written.resolve(name)), name);
    }

    @Test
    void bf16WithASmallShardLimitWritesAnIndexedCheckpointThatLoads() {
        CliResult result = run(CliTesting.isolated(root), "synth", "--preset", "tiny-qwen2", "--out", root.resolve("q").toString(),
                "--dtype", "BF16", "--max-shard-bytes", "40KB");
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(listing(root.resolve("q")).contains("model.safetensors.index.json"), result::toString);
        try (LoadedModel loaded = CliTesting.open(root.resolve("q"))) {
            assertEquals("qwen2", loaded.config().modelType());
            assertEquals(DType.BF16, loaded.weights().get("model.norm.weight").dtype());
        }
    }

    @Test
    void aConfigJsonPathCopiesTheArchitecture() {
        Path source = SyntheticCheckpoint.write(root.resolve("src"), SyntheticModels.TINY_MISTRAL, 1, DType.F32, Long.MAX_VALUE);
        CliResult result = run(CliTesting.isolated(root), "synth", "--preset", source.resolve("config.json").toString(), "--out", root.resolve("copy").toString());
        assertEquals(0, result.exitCode(), result::toString);
        try (LoadedModel loaded = CliTesting.open(root.resolve("copy"))) {
            assertEquals("mistral", loaded.config().modelType());
        }
    }

    @Test
    void anUnknownPresetIsBadInputAndCreatesNothing() {
        CliResult result = run(CliTesting.isolated(root), "synth", "--preset", "giant", "--out", root.resolve("g").toString());
        BadInputTest.assertOneError(result, "synth", "'" + root.resolve("work/giant") + "' is neither a synthetic model preset");
        assertFalse(Files.exists(root.resolve("g")));
    }

    @Test
    void aNonEmptyOutputDirectoryIsLeftAlone() throws IOException {
        Path out = Files.createDirectory(root.resolve("taken"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        CliResult result = run(CliTesting.isolated(root), "synth", "--preset", "tiny", "--out", out.toString());
        BadInputTest.assertOneError(result, "synth", out + ": exists and is not empty");
        assertEquals(List.of("keep.txt"), listing(out));
        assertEquals(List.of("taken", "work"), listing(root), "no temporary directory is left");
    }

    @Test
    void anUnsupportedDtypeOrSizeIsAUsageError() {
        CliResult dtype = run(CliTesting.isolated(root), "synth", "--preset", "tiny", "--out", root.resolve("x").toString(), "--dtype", "F16");
        assertEquals(2, dtype.exitCode(), dtype::toString);
        assertTrue(dtype.err().contains("F32, BF16"), dtype::toString);
        CliResult size = run(CliTesting.isolated(root), "synth", "--preset", "tiny", "--out", root.resolve("x").toString(), "--max-shard-bytes", "lots");
        assertEquals(2, size.exitCode(), size::toString);
        assertTrue(size.err().contains("'lots' is not a byte size"), size::toString);
        assertFalse(Files.exists(root.resolve("x")));
    }

    @Test
    void byteSizesFollowHuggingFaceUnits() {
        ByteSizeConverter c = new ByteSizeConverter();
        assertEquals(5_000_000_000L, c.convert("5GB"));
        assertEquals(500L << 20, c.convert("500MiB"));
        assertEquals(1_500_000L, c.convert("1.5mb"));
        assertEquals(40_000L, c.convert("40 KB"));
        assertEquals(123L, c.convert("123"));
        assertThrows(TypeConversionException.class, () -> c.convert("0"));
        assertThrows(TypeConversionException.class, () -> c.convert("-5GB"));
        assertThrows(TypeConversionException.class, () -> c.convert("5 parsecs"));
        assertThrows(TypeConversionException.class, () -> c.convert("99999999TB"));
    }
}
