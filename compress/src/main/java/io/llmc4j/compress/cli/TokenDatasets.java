package io.llmc4j.compress.cli;

import io.llmc4j.compress.data.CalibrationDataLoader;
import io.llmc4j.compress.data.CalibrationDataset;
import io.llmc4j.compress.data.DatasetOptions;
import io.llmc4j.compress.data.ModelLimits;
import io.llmc4j.engine.models.ModelConfig;
import java.io.IOException;
import java.nio.file.Path;

/** Reads a token-id JSONL dataset for a model and selects a window of it, for the CLI commands. */
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
        int vocab = Integer.MAX_VALUE, positions = Integer.MAX_VALUE;
        for (ModelConfig config : configs) {
            vocab = Math.min(vocab, config.vocabSize());
            positions = Math.min(positions, config.maxPositionEmbeddings());
        }
        CalibrationDataset all = CalibrationDataLoader.readTokenIds(file, options, ModelLimits.of(vocab, positions));
        if (offset >= all.size())
            throw new IllegalArgumentException(file + ": --offset " + offset + " is past the end of the dataset (" + all.size() + " sequences)");
        int end = count == null ? all.size() : (int) Math.min((long) offset + count, all.size());
        return new CalibrationDataset(all.sequences().subList(offset, end));
    }
}
