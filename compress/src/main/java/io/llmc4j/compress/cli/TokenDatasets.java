package io.llmc4j.compress.cli;

import io.llmc4j.compress.data.CalibrationDataLoader;
import io.llmc4j.compress.data.CalibrationDataset;
import io.llmc4j.compress.data.DatasetFiles;
import io.llmc4j.compress.data.DatasetOptions;
import io.llmc4j.compress.data.DatasetRecord;
import io.llmc4j.compress.data.DatasetSamples;
import io.llmc4j.compress.data.ModelLimits;
import io.llmc4j.compress.data.chat.ChatTemplate;
import io.llmc4j.engine.io.tokenizer.Tokenizer;
import io.llmc4j.engine.models.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Reads a dataset for a model and selects a window of it, for the CLI commands: token-id JSON Lines, or
 * any file {@link DatasetFiles} reads (text tokenized with the model's tokenizer.json, conversations
 * rendered with its chat template).
 */
final class TokenDatasets {
    private TokenDatasets() {
    }

    /**
     * Reads every record of {@code file} (ids checked against the vocabulary and maximum positions of
     * every model in {@code configs}, after truncation to {@code maxSeqLength} when not null), then
     * keeps {@code count} sequences (all when null) starting at {@code offset}. The option values were
     * checked where they were parsed ({@link OptionValues}): {@code offset} is at least 0, the others at least 1.
     */
    static CalibrationDataset read(Path file, Integer maxSeqLength, int offset, Integer count, ModelConfig... configs) throws IOException {
        DatasetOptions options = maxSeqLength == null ? DatasetOptions.defaults() : DatasetOptions.defaults().withMaxSeqLength(maxSeqLength);
        CalibrationDataset all = CalibrationDataLoader.readTokenIds(file, options, limits(configs));
        if (offset >= all.size())
            throw new IllegalArgumentException(file + ": --offset " + offset + " is past the end of the dataset (" + all.size() + " sequences)");
        int end = count == null ? all.size() : (int) Math.min((long) offset + count, all.size());
        return new CalibrationDataset(all.sequences().subList(offset, end));
    }

    /**
     * Reads {@code file} (a file or directory) for the model in {@code modelDir}: token-id JSON Lines as
     * {@link #read} does when {@code data} asks for nothing else; otherwise every record, tokenized and
     * truncated or packed ({@link DatasetSamples}). Then shuffled with {@code shuffleSeed} when not null,
     * and {@code count} sequences (all when null) kept from {@code offset} on.
     */
    static CalibrationDataset readSamples(Path file, Path modelDir, DataOptions data, Integer maxSeqLength, int offset, Integer count, Long shuffleSeed,
                                          ModelConfig... configs) throws IOException {
        CalibrationDataset all;
        if (data.isDefault() && isTokenIdsJsonl(file)) {
            all = read(file, maxSeqLength, 0, null, configs);
        } else {
            if (maxSeqLength != null && maxSeqLength <= 0) throw new IllegalArgumentException("--max-seq-len must be positive, got " + maxSeqLength);
            List<DatasetRecord> records = DatasetFiles.read(file);
            Path tokenizerFile = modelDir.resolve("tokenizer.json");
            Tokenizer tokenizer = Files.isRegularFile(tokenizerFile) ? Tokenizer.load(tokenizerFile) : null;
            var preprocessing = new DatasetSamples.Preprocessing(data.columns(), maxSeqLength == null ? OptionalInt.empty() : OptionalInt.of(maxSeqLength),
                    data.concatenate);
            all = DatasetSamples.tokenize(records, preprocessing, tokenizer, ChatTemplate.load(modelDir), limits(configs));
        }
        if (shuffleSeed != null) all = all.shuffled(shuffleSeed);
        if (offset < 0) throw new IllegalArgumentException("--offset must be non-negative, got " + offset);
        if (count != null && count <= 0) throw new IllegalArgumentException("the number of sequences (--num-samples, --limit) must be positive, got " + count);
        if (offset >= all.size())
            throw new IllegalArgumentException(file + ": --offset " + offset + " is past the end of the dataset (" + all.size() + " sequences)");
        int end = count == null ? all.size() : (int) Math.min((long) offset + count, all.size());
        return new CalibrationDataset(all.sequences().subList(offset, end));
    }

    /** A .jsonl file whose first non-blank line names input_ids (read as bytes: the token-id reader reports bad UTF-8 itself). */
    private static boolean isTokenIdsJsonl(Path file) throws IOException {
        if (!Files.isRegularFile(file) || !file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jsonl")) return false;
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), java.nio.charset.StandardCharsets.ISO_8859_1))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) if (!line.isBlank()) return line.contains("\"input_ids\"");
            return true;
        }
    }

    private static ModelLimits limits(ModelConfig... configs) {
        int vocab = Integer.MAX_VALUE, positions = Integer.MAX_VALUE;
        for (ModelConfig config : configs) {
            vocab = Math.min(vocab, config.vocabSize());
            positions = Math.min(positions, config.maxPositionEmbeddings());
        }
        return ModelLimits.of(vocab, positions);
    }
}
