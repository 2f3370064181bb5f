package io.llmc4j.compress.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token-id JSONL: each malformed record is reported with its file and 1-based line. */
class CalibrationDataLoaderTest {
    private static final ModelLimits LIMITS = ModelLimits.of(100, 8);

    @TempDir
    Path dir;

    private Path file(String... lines) throws IOException {
        Path f = dir.resolve("data.jsonl");
        Files.writeString(f, String.join("\n", lines) + "\n");
        return f;
    }

    private DatasetFormatException failure(DatasetOptions options, String... lines) throws IOException {
        Path f = file(lines);
        return assertThrows(DatasetFormatException.class, () -> CalibrationDataLoader.readTokenIds(f, options, LIMITS));
    }

    private DatasetFormatException failure(String... lines) throws IOException {
        return failure(DatasetOptions.defaults(), lines);
    }

    private static void assertReports(DatasetFormatException e, long line, String... fragments) {
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("data.jsonl:" + line + ": "), e.getMessage());
        for (String fragment : fragments)
            assertTrue(e.getMessage().contains(fragment), () -> "missing '" + fragment + "' in: " + e.getMessage());
    }

    @Test
    void readsIdsAndMasksSkippingBlankLines() throws IOException {
        Path f = file("{\"input_ids\": [1, 5, 7]}", "", "{\"input_ids\": [1, 9], \"attention_mask\": [1, 0], \"source\": \"x\"}",
                "{\"input_ids\": [2], \"attention_mask\": null}");
        CalibrationDataset data = CalibrationDataLoader.readTokenIds(f, DatasetOptions.defaults(), LIMITS);
        assertEquals(3, data.size());
        assertArrayEquals(new int[] {1, 5, 7}, data.get(0).inputIds());
        assertNull(data.get(0).attentionMask());
        assertArrayEquals(new int[] {1, 0}, data.get(1).attentionMask());
        assertTrue(data.get(1).origin().endsWith("data.jsonl:3"), data.get(1).origin());
        assertNull(data.get(2).attentionMask());
    }

    @Test
    void lineThatIsNotJson() throws IOException {
        assertReports(failure("{\"input_ids\": [1]}", "{\"input_ids\": [1, 2"), 2, "not JSON");
        assertReports(failure("{\"input_ids\": [1]} trailing"), 1, "not JSON");
        assertReports(failure("[1, 2, 3]"), 1, "expected a JSON object", "[1,2,3]");
    }

    @Test
    void missingField() throws IOException {
        assertReports(failure("{\"input_ids\": [1]}", "{\"ids\": [1]}"), 2, "\"input_ids\"", "fields: ids");
    }

    @Test
    void wrongTypes() throws IOException {
        assertReports(failure("{\"input_ids\": \"1 2 3\"}"), 1, "array of integers", "\"1 2 3\"");
        assertReports(failure("{\"input_ids\": [1, 2.5]}"), 1, "input_ids[1]", "2.5");
        assertReports(failure("{\"input_ids\": [1, \"2\"]}"), 1, "input_ids[1]", "\"2\"");
        assertReports(failure("{\"input_ids\": [1, 99999999999]}"), 1, "input_ids[1]", "out of range");
        assertReports(failure("{\"input_ids\": [1, 2], \"attention_mask\": {\"a\": 1}}"), 1, "attention_mask", "array of integers");
    }

    @Test
    void emptySequence() throws IOException {
        assertReports(failure("{\"input_ids\": [1]}", "{\"input_ids\": []}"), 2, "non-empty");
    }

    @Test
    void tokenIdsOutsideTheVocabulary() throws IOException {
        assertReports(failure("{\"input_ids\": [1, -3]}"), 1, "-3", "position 1", "negative");
        assertReports(failure("{\"input_ids\": [1, 2]}", "{\"input_ids\": [100]}"), 2, "100", "vocabulary size 100");
    }

    @Test
    void badAttentionMasks() throws IOException {
        assertReports(failure("{\"input_ids\": [1, 2], \"attention_mask\": [1]}"), 1, "2 entries", "found 1");
        assertReports(failure("{\"input_ids\": [1, 2], \"attention_mask\": [1, 2]}"), 1, "attention_mask[1]", "0 or 1");
        assertReports(failure("{\"input_ids\": [1, 2], \"attention_mask\": [0, 0]}"), 1, "all zeros");
    }

    @Test
    void sequencesLongerThanTheModelUnlessTruncated() throws IOException {
        String nine = "{\"input_ids\": [1, 2, 3, 4, 5, 6, 7, 8, 9], \"attention_mask\": [1, 1, 1, 1, 1, 1, 1, 1, 0]}";
        assertReports(failure("{\"input_ids\": [1]}", nine), 2, "9 tokens", "maximum of 8", "maxSeqLength");
        CalibrationDataset truncated = CalibrationDataLoader.readTokenIds(file(nine), DatasetOptions.defaults().withMaxSeqLength(4), LIMITS);
        assertArrayEquals(new int[] {1, 2, 3, 4}, truncated.get(0).inputIds());
        assertArrayEquals(new int[] {1, 1, 1, 1}, truncated.get(0).attentionMask());
        assertReports(failure(DatasetOptions.defaults().withMaxSeqLength(9), nine), 1, "maxSeqLength 9");
        // without known limits anything non-negative goes
        CalibrationDataset unchecked = CalibrationDataLoader.readTokenIds(file("{\"input_ids\": [5000, 1, 2, 3, 4, 5, 6, 7, 8, 9]}"),
                DatasetOptions.defaults(), ModelLimits.NONE);
        assertEquals(10, unchecked.get(0).length());
        assertEquals(OptionalInt.empty(), ModelLimits.NONE.vocabSize());
    }

    @Test
    void fileWithoutRecords() throws IOException {
        Path f = file("", "  ");
        var e = assertThrows(DatasetFormatException.class, () -> CalibrationDataLoader.readTokenIds(f, DatasetOptions.defaults(), LIMITS));
        assertTrue(e.getMessage().contains("at least one record"), e.getMessage());
    }
}
