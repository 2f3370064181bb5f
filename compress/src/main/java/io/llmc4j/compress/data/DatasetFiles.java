package io.llmc4j.compress.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads a local dataset in the shapes Hugging Face datasets are exported to, into
 * {@link DatasetRecord}s (columns as JSON values), by file name:
 *
 * <pre>
 *   *.jsonl                one JSON object per line (to_json's default)
 *   *.json                 a top-level array of objects, an object with one array-of-objects field
 *                          ({"data": [...]}, the loader's "field"), or JSON Lines
 *   *.csv                  a header row of column names, then one row per sample (RFC 4180 quoting)
 *   *.txt                  one sample per non-blank line, in column "text" (the "text" loader)
 *   a directory            every *.txt file in it (name order) is one sample, in column "text"
 * </pre>
 *
 * Errors name the file and the 1-based line (a CSV row's first line; the element's first line in a
 * JSON array). Everything is read before sampling. Stateless.
 */
public final class DatasetFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DatasetFiles() {
    }

    /** Every record of {@code path} (a file or a directory of .txt files), in order. */
    public static List<DatasetRecord> read(Path path) throws IOException {
        if (Files.isDirectory(path)) return textDirectory(path);
        if (!Files.isRegularFile(path)) throw new java.nio.file.NoSuchFileException(path.toString());
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        List<DatasetRecord> out = new ArrayList<>();
        if (name.endsWith(".jsonl")) {
            JsonlRecords.read(path, (record, line) -> out.add(new DatasetRecord(path, line, record)));
        } else if (name.endsWith(".json")) {
            json(path, out);
        } else if (name.endsWith(".csv")) {
            csv(path, out);
        } else if (name.endsWith(".txt")) {
            textLines(path, out);
        } else if (name.endsWith(".parquet") || name.endsWith(".arrow")) {
            throw new DatasetFormatException(path, 0, "Parquet and Arrow files are not read by llmc4j; export the dataset with "
                    + "to_json(..., lines=True) or to_csv(...) (see --help)");
        } else {
            throw new DatasetFormatException(path, 0, "expected a .jsonl, .json, .csv or .txt file, or a directory of .txt files");
        }
        return out;
    }

    private static void json(Path file, List<DatasetRecord> out) throws IOException {
        try (JsonParser parser = JSON.createParser(file.toFile())) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY) {
                arrayOfObjects(file, parser, out);
                requireEnd(file, parser);
                return;
            }
            if (first == JsonToken.START_OBJECT) {
                long line = parser.currentTokenLocation().getLineNr();
                JsonNode whole = JSON.readTree(parser);
                if (parser.nextToken() == null) {
                    if (singleRecordsField(whole) != null) reReadField(file, whole, out);   // again, for line numbers
                    else out.add(new DatasetRecord(file, line, (ObjectNode) whole));
                    return;
                }
            }
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            // not a single JSON value: JSON Lines in a .json file, as the Hugging Face loader accepts
            if (looksLikeJsonLines(file)) {
                JsonlRecords.read(file, (record, l) -> out.add(new DatasetRecord(file, l, record)));
                return;
            }
            throw new DatasetFormatException(file, line, "expected JSON (an array of objects, or JSON Lines), found text that is not JSON ("
                    + e.getOriginalMessage() + ")");
        }
        out.clear();   // more than one top-level value: JSON Lines
        JsonlRecords.read(file, (record, l) -> out.add(new DatasetRecord(file, l, record)));
    }

    private static boolean looksLikeJsonLines(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = reader.readLine();
            while (first != null && first.isBlank()) first = reader.readLine();
            if (first == null) return false;
            try {
                return JSON.readTree(first) instanceof ObjectNode;
            } catch (JsonProcessingException e) {
                return false;
            }
        }
    }

    private static JsonNode singleRecordsField(JsonNode object) {
        JsonNode found = null;
        for (var e : object.properties()) {
            if (e.getValue().isArray() && !e.getValue().isEmpty() && e.getValue().get(0).isObject()) {
                if (found != null) return null;
                found = e.getValue();
            }
        }
        return found != null && object.size() == 1 ? found : null;
    }

    private static void reReadField(Path file, JsonNode whole, List<DatasetRecord> out) throws IOException {
        String field = whole.fieldNames().next();
        try (JsonParser parser = JSON.createParser(file.toFile())) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean ours = parser.currentName().equals(field);
                JsonToken value = parser.nextToken();
                if (ours && value == JsonToken.START_ARRAY) {
                    arrayOfObjects(file, parser, out);
                    return;
                }
                parser.skipChildren();
            }
        }
    }

    private static void arrayOfObjects(Path file, JsonParser parser, List<DatasetRecord> out) throws IOException {
        int index = 0;
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            long line = parser.currentTokenLocation().getLineNr();
            if (t == null) throw new DatasetFormatException(file, line, "the JSON array is not closed");
            JsonNode node = JSON.readTree(parser);
            if (!(node instanceof ObjectNode object))
                throw new DatasetFormatException(file, line, "expected element " + index + " of the array to be a JSON object (a record), found "
                        + JsonlRecords.shown(node));
            out.add(new DatasetRecord(file, line, object));
            index++;
        }
    }

    private static void requireEnd(Path file, JsonParser parser) throws IOException {
        if (parser.nextToken() != null)
            throw new DatasetFormatException(file, parser.currentTokenLocation().getLineNr(), "expected the end of the file after the JSON array");
    }

    private static void csv(Path file, List<DatasetRecord> out) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            CsvRows rows = new CsvRows(reader, file);
            CsvRows.Row header = rows.next();
            if (header == null) throw new DatasetFormatException(file, 0, "expected a header row of column names, found an empty file");
            List<String> names = header.fields();
            if (!names.isEmpty() && names.getFirst().startsWith("\uFEFF")) names.set(0, names.getFirst().substring(1));
            for (CsvRows.Row row = rows.next(); row != null; row = rows.next()) {
                if (row.fields().size() == 1 && row.fields().getFirst().isEmpty()) continue;   // blank line
                if (row.fields().size() != names.size())
                    throw new DatasetFormatException(file, row.line(), "expected " + names.size() + " fields like the header " + names
                            + ", found " + row.fields().size());
                ObjectNode columns = JsonNodeFactory.instance.objectNode();
                for (int i = 0; i < names.size(); i++) columns.put(names.get(i), row.fields().get(i));
                out.add(new DatasetRecord(file, row.line(), columns));
            }
        }
    }

    private static void textLines(Path file, List<DatasetRecord> out) throws IOException {
        long line = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                line++;
                if (text.isBlank()) continue;
                out.add(new DatasetRecord(file, line, JsonNodeFactory.instance.objectNode().put("text", text)));
            }
        }
    }

    private static List<DatasetRecord> textDirectory(Path directory) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = list.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".txt")).sorted().toList();
        }
        if (files.isEmpty())
            throw new IllegalArgumentException(directory + ": is a directory; expected a JSON Lines file (or .json, .csv, .txt), "
                    + "or a directory of .txt files (one sample each), but it holds no .txt file");
        List<DatasetRecord> out = new ArrayList<>();
        for (Path f : files)
            out.add(new DatasetRecord(f, 1, JsonNodeFactory.instance.objectNode().put("text", Files.readString(f, StandardCharsets.UTF_8))));
        return out;
    }
}
