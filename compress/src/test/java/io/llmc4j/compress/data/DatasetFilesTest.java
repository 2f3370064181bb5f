package io.llmc4j.compress.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.data.chat.ChatTemplate;
import io.llmc4j.engine.io.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dataset files in the shapes Hugging Face datasets export, read and tokenized; errors naming file, line and column. */
class DatasetFilesTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static List<String> texts(List<DatasetRecord> records) {
        return records.stream().map(r -> r.columns().get("text").asText()).toList();
    }

    private static List<Long> lines(List<DatasetRecord> records) {
        return records.stream().map(DatasetRecord::line).toList();
    }

    @Test
    void everyShapeReadsTheSameSamples() throws IOException {
        List<String> expected = List.of("a, \"b\"", "line one\nline two", "c");
        List<DatasetRecord> jsonl = DatasetFiles.read(write("d.jsonl", "{\"text\": \"a, \\\"b\\\"\"}\n\n{\"text\": \"line one\\nline two\"}\n{\"text\": \"c\"}\n"));
        List<DatasetRecord> array = DatasetFiles.read(write("d.json", "[\n  {\"text\": \"a, \\\"b\\\"\"},\n  {\"text\": \"line one\\nline two\"},\n  {\"text\": \"c\"}\n]\n"));
        List<DatasetRecord> field = DatasetFiles.read(write("f.json", "{\"data\": [{\"text\": \"a, \\\"b\\\"\"},\n{\"text\": \"line one\\nline two\"},\n{\"text\": \"c\"}]}"));
        List<DatasetRecord> linesInJson = DatasetFiles.read(write("l.json", "{\"text\": \"a, \\\"b\\\"\"}\n{\"text\": \"line one\\nline two\"}\n{\"text\": \"c\"}\n"));
        List<DatasetRecord> csv = DatasetFiles.read(write("d.csv", "id,text\r\n1,\"a, \"\"b\"\"\"\r\n2,\"line one\nline two\"\r\n3,c\r\n"));
        for (var records : List.of(jsonl, array, field, linesInJson, csv)) assertEquals(expected, texts(records));
        assertEquals(List.of(1L, 3L, 4L), lines(jsonl));
        assertEquals(List.of(2L, 3L, 4L), lines(array));
        assertEquals(List.of(1L, 2L, 3L), lines(field));
        assertEquals(List.of(2L, 3L, 5L), lines(csv), "a row starts on its first line; the quoted line break counts");
        assertEquals("1", csv.getFirst().columns().get("id").asText());

        List<DatasetRecord> txt = DatasetFiles.read(write("d.txt", "first sample\n\nsecond sample\n"));
        assertEquals(List.of("first sample", "second sample"), texts(txt));
        assertEquals(List.of(1L, 3L), lines(txt));
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("b.txt"), "two\nlines");
        Files.writeString(docs.resolve("a.txt"), "one");
        Files.writeString(docs.resolve("notes.md"), "ignored");
        assertEquals(List.of("one", "two\nlines"), texts(DatasetFiles.read(docs)));
    }

    @Test
    void errorsNameTheFileLineAndColumn() throws IOException {
        Path csv = write("bad.csv", "text,n\nok,1\n\"never closed,2\n");
        var e = assertThrows(DatasetFormatException.class, () -> DatasetFiles.read(csv));
        assertTrue(e.getMessage().startsWith(csv + ":3: "), e.getMessage());
        Path wide = write("wide.csv", "text\nok\na,b\n");
        e = assertThrows(DatasetFormatException.class, () -> DatasetFiles.read(wide));
        assertTrue(e.getMessage().startsWith(wide + ":3: expected 1 fields"), e.getMessage());
        Path json = write("bad.json", "[\n{\"text\": \"x\"},\n 5\n]");
        e = assertThrows(DatasetFormatException.class, () -> DatasetFiles.read(json));
        assertTrue(e.getMessage().startsWith(json + ":3: expected element 1"), e.getMessage());

        Tokenizer tokenizer = Tokenizer.load(ByteTokenizer.write(dir));
        Path jsonl = write("t.jsonl", "{\"text\": \"ok\"}\n{\"text\": 7}\n");
        var pre = new DatasetSamples.Preprocessing(SampleColumns.detect(), OptionalInt.empty(), false);
        e = assertThrows(DatasetFormatException.class, () -> DatasetSamples.tokenize(DatasetFiles.read(jsonl), pre, tokenizer, null, ModelLimits.NONE));
        assertTrue(e.getMessage().startsWith(jsonl + ":2: column \"text\": expected a string"), e.getMessage());
        Path noColumn = write("n.jsonl", "{\"prompt\": \"ok\"}\n");
        e = assertThrows(DatasetFormatException.class, () -> DatasetSamples.tokenize(DatasetFiles.read(noColumn), pre, tokenizer, null, ModelLimits.NONE));
        assertTrue(e.getMessage().contains("--text-column"), e.getMessage());
        Path chat = write("c.jsonl", "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\n");
        e = assertThrows(DatasetFormatException.class, () -> DatasetSamples.tokenize(DatasetFiles.read(chat), pre, tokenizer, null, ModelLimits.NONE));
        assertTrue(e.getMessage().startsWith(chat + ":1: column \"messages\": holds a conversation, but the model has no chat_template"), e.getMessage());
    }

    @Test
    void textIsEncodedWithSpecialTokensAndConversationsThroughTheTemplateWithout() throws IOException {
        Tokenizer tokenizer = Tokenizer.load(ByteTokenizer.write(dir));
        var template = new ChatTemplate("{% for m in messages %}<{{ m['role'] }}>{{ m['content'] }}{% endfor %}", "<s>", null, "test");
        Path csv = write("chat.csv", "conversations,text\n\"[{\"\"from\"\": \"\"human\"\", \"\"value\"\": \"\"Hi\"\"}, {\"\"from\"\": \"\"gpt\"\", \"\"value\"\": \"\"Yo\"\"}]\",Hi\n");
        var detected = new DatasetSamples.Preprocessing(SampleColumns.detect(), OptionalInt.empty(), false);
        CalibrationDataset chat = DatasetSamples.tokenize(DatasetFiles.read(csv), detected, tokenizer, template, ModelLimits.of(257, 64));
        assertArrayEquals(bytes("<user>Hi<assistant>Yo"), chat.get(0).inputIds(), "ShareGPT from/value read as role/content; no BOS added");
        var text = new DatasetSamples.Preprocessing(new SampleColumns("text", null), OptionalInt.empty(), false);
        CalibrationDataset plain = DatasetSamples.tokenize(DatasetFiles.read(csv), text, tokenizer, template, ModelLimits.of(257, 64));
        assertArrayEquals(new int[] {256, 'H', 'i'}, plain.get(0).inputIds());
    }

    @Test
    void truncationAndConcatenation() throws IOException {
        Tokenizer tokenizer = Tokenizer.load(ByteTokenizer.write(dir));
        Path txt = write("s.txt", "abcdef\nghij\nk\n");
        CalibrationDataset truncated = DatasetSamples.tokenize(DatasetFiles.read(txt),
                new DatasetSamples.Preprocessing(SampleColumns.detect(), OptionalInt.of(3), false), tokenizer, null, ModelLimits.NONE);
        assertArrayEquals(new int[] {256, 'a', 'b'}, truncated.get(0).inputIds());
        assertArrayEquals(new int[] {256, 'k'}, truncated.get(2).inputIds(), "no padding");
        // joined: <s>abcdef <s>ghij <s>k = 14 tokens -> 3 blocks of 4, tail of 2 dropped
        CalibrationDataset packed = DatasetSamples.tokenize(DatasetFiles.read(txt),
                new DatasetSamples.Preprocessing(SampleColumns.detect(), OptionalInt.of(4), true), tokenizer, null, ModelLimits.NONE);
        assertEquals(3, packed.size());
        assertArrayEquals(new int[] {256, 'a', 'b', 'c'}, packed.get(0).inputIds());
        assertArrayEquals(new int[] {'d', 'e', 'f', 256}, packed.get(1).inputIds());
        assertArrayEquals(new int[] {'g', 'h', 'i', 'j'}, packed.get(2).inputIds());
        Path ids = write("ids.csv", "input_ids\n\"[5, 6, 7]\"\n");
        assertArrayEquals(new int[] {5, 6, 7}, DatasetSamples.tokenize(DatasetFiles.read(ids),
                new DatasetSamples.Preprocessing(SampleColumns.detect(), OptionalInt.empty(), false), null, null, ModelLimits.NONE).get(0).inputIds());
    }

    private static int[] bytes(String ascii) {
        return ascii.chars().toArray();
    }
}
