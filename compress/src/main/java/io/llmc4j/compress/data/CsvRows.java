package io.llmc4j.compress.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV as RFC 4180 and pandas' {@code to_csv} write it (what Hugging Face datasets' {@code to_csv}
 * produces): comma-separated fields, fields in double quotes may hold commas, line breaks and doubled
 * quotes ({@code ""}); lines end with LF or CRLF. Each row is returned with the 1-based line it starts
 * on. A quote that is never closed is an error naming the file and the line. Not thread-safe.
 */
final class CsvRows {
    /** A row's fields and the line it starts on. */
    record Row(long line, List<String> fields) {
    }

    private final Reader in;
    private final Path file;
    private long line = 1;
    private int pending = -2;

    CsvRows(Reader in, Path file) {
        this.in = in;
        this.file = file;
    }

    /** The next row, or null at the end of the input. */
    Row next() throws IOException {
        int c = read();
        if (c == -1) return null;
        long start = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false, wasQuoted = false;
        while (true) {
            if (quoted) {
                if (c == -1) throw new DatasetFormatException(file, start, "a quoted field is never closed (expected '\"')");
                if (c == '"') {
                    int d = read();
                    if (d == '"') field.append('"');
                    else {
                        quoted = false;
                        c = d;
                        continue;
                    }
                } else {
                    if (c == '\n') line++;
                    field.append((char) c);
                }
            } else if (c == '"' && field.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\n' || c == -1) {
                if (c == '\n') line++;
                fields.add(field.toString());
                return new Row(start, fields);
            } else if (c == '\r') {
                int d = read();
                if (d != '\n') unread(d);
                else line++;
                fields.add(field.toString());
                return new Row(start, fields);
            } else {
                field.append((char) c);
            }
            c = read();
        }
    }

    private int read() throws IOException {
        if (pending != -2) {
            int c = pending;
            pending = -2;
            return c;
        }
        return in.read();
    }

    private void unread(int c) {
        pending = c;
    }
}
