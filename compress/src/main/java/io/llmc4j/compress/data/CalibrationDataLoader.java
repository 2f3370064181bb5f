package io.llmc4j.compress.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmc4j.engine.io.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads calibration data from JSON Lines files, one sample per line:
 * <ul>
 *   <li>token ids: {@code {"input_ids": [1, 461, ...], "attention_mask": [1, 1, ...]}} (mask optional);</li>
 *   <li>text: {@code {"text": "Once upon a time"}}, encoded with a {@link Tokenizer} (special tokens
 *       such as BOS added, as Transformers tokenizers do by default).</li>
 * </ul>
 * Other fields are ignored. Sequences are truncated to {@link DatasetOptions#maxSeqLength()} and
 * checked against {@link ModelLimits}; every bad record raises a {@link DatasetFormatException}
 * naming the file and the 1-based line. All records are read (and checked) before sampling.
 */
public final class CalibrationDataLoader {
    private CalibrationDataLoader() {
    }

    /** Reads {@code {"input_ids": [...]}} records. */
    public static CalibrationDataset readTokenIds(Path file, DatasetOptions options, ModelLimits limits) throws IOException {
        SequenceChecks checks = new SequenceChecks(file, limits, options.maxSeqLength());
        List<TokenSequence> out = new ArrayList<>();
        JsonlRecords.read(file, (record, line) -> {
            int[] ids = checks.intArray(record, "input_ids", line);
            int[] mask = isAbsent(record.get("attention_mask")) ? null : checks.intArray(record, "attention_mask", line);
            out.add(checks.sequence(ids, mask, line, "input_ids"));
        });
        return nonEmpty(file, out);
    }

    /** Reads {@code {"text": "..."}} records and encodes them with {@code tokenizer}. */
    public static CalibrationDataset readText(Path file, Tokenizer tokenizer, DatasetOptions options, ModelLimits limits)
            throws IOException {
        SequenceChecks checks = new SequenceChecks(file, limits, options.maxSeqLength());
        List<TokenSequence> out = new ArrayList<>();
        JsonlRecords.read(file, (record, line) -> {
            JsonNode text = record.get("text");
            if (text == null)
                throw checks.error(line, "expected a field \"text\", found none");
            if (!text.isTextual())
                throw checks.error(line, "expected \"text\" to be a string, found " + JsonlRecords.shown(text));
            out.add(checks.sequence(tokenizer.encode(text.textValue()), null, line, "the encoded text"));
        });
        return nonEmpty(file, out);
    }

    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull();
    }

    private static CalibrationDataset nonEmpty(Path file, List<TokenSequence> sequences) {
        if (sequences.isEmpty())
            throw new DatasetFormatException(file, 0, "expected at least one record, found none");
        return new CalibrationDataset(sequences);
    }
}
