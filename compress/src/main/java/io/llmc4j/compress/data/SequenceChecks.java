package io.llmc4j.compress.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * Turns one record's token ids (and mask) into a {@link TokenSequence}: checks the JSON types, ids
 * against the vocabulary, the mask's length and values; truncates to {@code maxSeqLength}; then
 * checks the (truncated) length against the model's maximum positions. Every error names the file
 * and the line.
 */
final class SequenceChecks {
    private final Path file;
    private final ModelLimits limits;
    private final OptionalInt maxSeqLength;

    SequenceChecks(Path file, ModelLimits limits, OptionalInt maxSeqLength) {
        this.file = file;
        this.limits = limits;
        this.maxSeqLength = maxSeqLength;
    }

    /** Reads the integer array {@code field} of a record. */
    int[] intArray(JsonNode record, String field, long line) {
        JsonNode array = record.get(field);
        if (array == null)
            throw error(line, "expected a field \"" + field + "\", found none (fields: " + fieldNames(record) + ")");
        if (!array.isArray())
            throw error(line, "expected \"" + field + "\" to be an array of integers, found " + JsonlRecords.shown(array));
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = array.get(i);
            if (!v.isIntegralNumber())
                throw error(line, "expected " + field + "[" + i + "] to be an integer, found " + JsonlRecords.shown(v));
            if (!v.canConvertToInt())
                throw error(line, field + "[" + i + "] = " + v + " is out of range");
            values[i] = v.intValue();
        }
        return values;
    }

    /** Checks ids (and mask, may be null), truncates, checks the length; {@code what} names the source field. */
    TokenSequence sequence(int[] ids, int[] mask, long line, String what) {
        if (ids.length == 0)
            throw error(line, "expected a non-empty sequence, found " + what + " with no tokens");
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0)
                throw error(line, "token id " + ids[i] + " at position " + i + " of " + what + " is negative");
            if (limits.vocabSize().isPresent() && ids[i] >= limits.vocabSize().getAsInt())
                throw error(line, "token id " + ids[i] + " at position " + i + " of " + what
                        + " is not below the vocabulary size " + limits.vocabSize().getAsInt());
        }
        if (mask != null) {
            if (mask.length != ids.length)
                throw error(line, "expected attention_mask to have " + ids.length + " entries like " + what + ", found " + mask.length);
            for (int i = 0; i < mask.length; i++)
                if (mask[i] != 0 && mask[i] != 1)
                    throw error(line, "expected attention_mask[" + i + "] to be 0 or 1, found " + mask[i]);
        }
        if (maxSeqLength.isPresent() && ids.length > maxSeqLength.getAsInt()) {
            ids = Arrays.copyOf(ids, maxSeqLength.getAsInt());
            mask = mask == null ? null : Arrays.copyOf(mask, ids.length);
        }
        if (mask != null && Arrays.stream(mask).allMatch(m -> m == 0))
            throw error(line, "expected attention_mask to attend to at least one token, found all zeros");
        if (limits.maxPositions().isPresent() && ids.length > limits.maxPositions().getAsInt())
            throw error(line, "sequence of " + ids.length + " tokens is longer than the model's maximum of "
                    + limits.maxPositions().getAsInt() + " positions" + (maxSeqLength.isPresent()
                    ? " (maxSeqLength " + maxSeqLength.getAsInt() + " exceeds it)" : "; set maxSeqLength to truncate"));
        return new TokenSequence(ids, mask, file + ":" + line);
    }

    DatasetFormatException error(long line, String problem) {
        return new DatasetFormatException(file, line, problem);
    }

    private static String fieldNames(JsonNode record) {
        StringBuilder names = new StringBuilder();
        record.fieldNames().forEachRemaining(n -> names.append(names.isEmpty() ? "" : ", ").append(n));
        return names.isEmpty() ? "none" : names.toString();
    }
}
