package io.llmc4j.compress.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.engine.io.TextFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a JSON Lines file: one JSON object per line, UTF-8. Blank lines are skipped (they still
 * count for line numbers); any other line that is not a JSON object is an error naming the file
 * and the 1-based line, as is a byte sequence that is not UTF-8 ({@link TextFiles.NotUtf8Exception})
 * and a directory given as the file.
 */
final class JsonlRecords {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Receives each record with its 1-based line number. */
    interface Visitor {
        void record(ObjectNode record, long line);
    }

    private JsonlRecords() {
    }

    /** Visits every record of {@code file}; returns how many there were. */
    static long read(Path file, Visitor visitor) throws IOException {
        TextFiles.requireNotDirectory(file, "a JSON Lines file of token ids");
        try {
            return readRecords(file, visitor);
        } catch (CharacterCodingException e) {
            TextFiles.requireUtf8(file);   // throws, naming the line and column
            throw e;
        }
    }

    private static long readRecords(Path file, Visitor visitor) throws IOException {
        long count = 0;
        long lineNumber = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.isBlank())
                    continue;
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new DatasetFormatException(file, lineNumber, "expected a JSON object, found text that is not JSON ("
                            + e.getOriginalMessage() + ")");
                }
                if (!(node instanceof ObjectNode object))
                    throw new DatasetFormatException(file, lineNumber, "expected a JSON object, found " + shown(node));
                visitor.record(object, lineNumber);
                count++;
            }
        }
        return count;
    }

    /** A JSON value for an error message, shortened. */
    static String shown(JsonNode node) {
        String text = node == null ? "nothing" : node.toString();
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
