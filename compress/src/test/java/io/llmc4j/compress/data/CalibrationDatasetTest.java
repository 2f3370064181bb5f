package io.llmc4j.compress.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.io.tokenizer.Tokenizer;
import io.llmc4j.engine.testing.SharedFiles;
import io.llmc4j.engine.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Selection, splitting and batching; text records through a tokenizer; the shared stories260K samples. */
class CalibrationDatasetTest {
    @TempDir
    Path dir;

    private static CalibrationDataset numbered(int n) {
        return new CalibrationDataset(IntStream.range(0, n).mapToObj(i -> new TokenSequence(new int[] {i}, null, "#" + i)).toList());
    }

    private static List<Integer> firstTokens(CalibrationDataset d) {
        return d.sequences().stream().map(s -> s.tokenAt(0)).toList();
    }

    @Test
    void selectShufflesWithTheSeedThenTakesTheFirstSamples() {
        CalibrationDataset data = numbered(10);
        DatasetOptions options = DatasetOptions.defaults().withNumCalibrationSamples(4).withShuffleSeed(42);
        // permutation(10, 42) = [3, 8, 4, 2, 9, 5, 7, 1, 0, 6] (pinned in SeededShuffleTest)
        assertEquals(List.of(3, 8, 4, 2), firstTokens(data.select(options)));
        assertEquals(firstTokens(data.select(options)), firstTokens(data.select(options)));
        assertNotEquals(firstTokens(data.select(options)), firstTokens(data.select(options.withShuffleSeed(43))));
        assertEquals(List.of(0, 1, 2, 3), firstTokens(data.select(DatasetOptions.defaults().withNumCalibrationSamples(4))));
        assertEquals(10, data.select(DatasetOptions.defaults().withNumCalibrationSamples(50)).size());
    }

    @Test
    void splitTakesTheFirstNForCalibration() {
        DatasetSplit split = numbered(5).split(3);
        assertEquals(List.of(0, 1, 2), firstTokens(split.calibration()));
        assertEquals(List.of(3, 4), firstTokens(split.evaluation()));
        assertEquals(0, numbered(5).split(5).evaluation().size());
        assertThrows(IllegalArgumentException.class, () -> numbered(5).split(6));
    }

    @Test
    void textRecordsAreEncodedWithTheTokenizer() throws IOException {
        Tokenizer tokenizer = Tokenizer.load(writeByteTokenizer());
        Path f = dir.resolve("text.jsonl");
        Files.writeString(f, "{\"text\": \"Hi\"}\n{\"text\": \"é!\", \"id\": 3}\n");
        DatasetOptions options = DatasetOptions.defaults().withBatchSize(2).withPadTokenId(0);
        CalibrationDataset data = CalibrationDataLoader.readText(f, tokenizer, options, ModelLimits.of(257, 16));
        // BOS 256, then the UTF-8 bytes: "Hi" = 72 105; "é!" = C3 A9 21
        assertArrayEquals(new int[] {256, 72, 105}, data.get(0).inputIds());
        assertArrayEquals(new int[] {256, 0xC3, 0xA9, 0x21}, data.get(1).inputIds());
        Batch batch = data.batches(options).getFirst();
        assertArrayEquals(new long[] {256, 72, 105, 0, 256, 0xC3, 0xA9, 0x21}, batch.inputIds().toLongArray());
        assertArrayEquals(new long[] {1, 1, 1, 0, 1, 1, 1, 1}, batch.attentionMask().toLongArray());
    }

    @Test
    void textRecordErrorsNameTheLine() throws IOException {
        Tokenizer tokenizer = Tokenizer.load(writeByteTokenizer());
        Path f = dir.resolve("text.jsonl");
        for (String bad : new String[] {"{\"txt\": \"a\"}", "{\"text\": 5}", "{\"text\": \"" + "x".repeat(20) + "\"}"}) {
            Files.writeString(f, "{\"text\": \"ok\"}\n\n" + bad + "\n");
            var e = assertThrows(DatasetFormatException.class,
                    () -> CalibrationDataLoader.readText(f, tokenizer, DatasetOptions.defaults(), ModelLimits.of(257, 16)));
            assertEquals(3, e.line(), e.getMessage());
            assertTrue(e.getMessage().contains("text.jsonl:3: "), e.getMessage());
        }
        // truncation makes the long one acceptable
        CalibrationDataset truncated = CalibrationDataLoader.readText(f, tokenizer, DatasetOptions.defaults().withMaxSeqLength(16),
                ModelLimits.of(257, 16));
        assertEquals(16, truncated.get(1).length());
    }

    @Test
    void stories260KSamples() throws IOException {
        Path samples = SharedFiles.require("data/stories260K-samples.jsonl");
        CalibrationDataset data = CalibrationDataLoader.readTokenIds(samples, DatasetOptions.defaults(), ModelLimits.of(512, 512));
        assertEquals(128, data.size());
        for (TokenSequence s : data.sequences()) {
            assertEquals(257, s.length(), s.origin());
            assertEquals(1, s.tokenAt(0), s.origin() + " starts with BOS");
            assertNull(s.attentionMask());
        }
        DatasetSplit split = data.split(96);
        assertEquals(96, split.calibration().size());
        assertEquals(32, split.evaluation().size());
        DatasetOptions options = DatasetOptions.defaults().withNumCalibrationSamples(64).withShuffleSeed(7).withBatchSize(8);
        List<Batch> batches = split.calibration().select(options).batches(options);
        assertEquals(8, batches.size());
        assertEquals(Shape.of(8, 257), batches.getFirst().inputIds().shape());
        assertNull(batches.getFirst().attentionMask());
        // the same seed selects the same samples on a second read
        CalibrationDataset again = CalibrationDataLoader.readTokenIds(samples, DatasetOptions.defaults(), ModelLimits.of(512, 512));
        assertEquals(split.calibration().select(options).sequences(), again.split(96).calibration().select(options).sequences());
        DatasetOptions truncating = DatasetOptions.defaults().withMaxSeqLength(128);
        assertEquals(128, CalibrationDataLoader.readTokenIds(samples, truncating, ModelLimits.of(512, 512)).get(5).length());
    }

    private Path writeByteTokenizer() throws IOException {
        return ByteTokenizer.write(dir);
    }
}
