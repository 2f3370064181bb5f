package io.llmc4j.compress.data;

import java.util.List;

/**
 * Which column of a dataset holds each sample: given ({@code --text-column}, {@code --messages-column})
 * or detected from the first record among the common names, in this order: {@code input_ids}
 * (already tokenized), {@code messages}, {@code conversations} (chat), {@code text}.
 *
 * @param textColumn     the text column, or null
 * @param messagesColumn the conversation column, or null (at most one of the two is set)
 */
public record SampleColumns(String textColumn, String messagesColumn) {
    /** Column names detected when none is given, in order of preference. */
    public static final List<String> DETECTED = List.of("input_ids", "messages", "conversations", "text");

    public SampleColumns {
        if (textColumn != null && messagesColumn != null)
            throw new IllegalArgumentException("give either a text column or a messages column, not both (" + textColumn + ", " + messagesColumn + ")");
    }

    /** Detect the column from the data. */
    public static SampleColumns detect() {
        return new SampleColumns(null, null);
    }

    /** What a sample is read as. */
    public enum Kind { TOKEN_IDS, MESSAGES, TEXT }

    /** The resolved column and its kind. */
    public record Resolved(String column, Kind kind) {
    }

    /** The column for {@code first} (the first record). */
    Resolved resolve(DatasetRecord first) {
        if (messagesColumn != null) return new Resolved(messagesColumn, Kind.MESSAGES);
        if (textColumn != null) return new Resolved(textColumn, textColumn.equals("input_ids") ? Kind.TOKEN_IDS : Kind.TEXT);
        for (String name : DETECTED) {
            if (!first.columns().has(name)) continue;
            return new Resolved(name, switch (name) {
                case "input_ids" -> Kind.TOKEN_IDS;
                case "messages", "conversations" -> Kind.MESSAGES;
                default -> Kind.TEXT;
            });
        }
        StringBuilder names = new StringBuilder();
        first.columns().fieldNames().forEachRemaining(n -> names.append(names.isEmpty() ? "" : ", ").append(n));
        throw new DatasetFormatException(first.file(), first.line(), "expected one of the columns " + DETECTED + " (or name one with "
                + "--text-column / --messages-column), found " + (names.isEmpty() ? "none" : names));
    }
}
