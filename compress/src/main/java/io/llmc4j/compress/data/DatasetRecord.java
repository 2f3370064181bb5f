package io.llmc4j.compress.data;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * One sample of a dataset file as read, before tokenization: its columns (JSON values; CSV and text
 * cells are strings) and where it came from, for messages: the file and the 1-based line it starts
 * on (a CSV row's first line; for a whole-file text sample, 1).
 */
public record DatasetRecord(Path file, long line, ObjectNode columns) {
    /** An error about column {@code column} of this record: {@code file:line: column "c": problem}. */
    public DatasetFormatException error(String column, String problem) {
        return new DatasetFormatException(file, line, "column \"" + column + "\": " + problem);
    }
}
