package io.llmc4j.compress.data;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * How calibration samples are chosen and batched, after LLM Compressor's dataset arguments.
 *
 * @param numCalibrationSamples how many samples to use (fewer when the file holds fewer)
 * @param maxSeqLength          when present, longer sequences are truncated to their first
 *                              {@code maxSeqLength} tokens; when empty, nothing is truncated
 * @param shuffleSeed           when present, samples are shuffled with {@link SeededShuffle} before
 *                              the first {@code numCalibrationSamples} are taken
 * @param batchSize             sequences per batch (the last batch may be smaller)
 * @param padTokenId            the id right padding writes (from the model config, or 0)
 */
public record DatasetOptions(int numCalibrationSamples, OptionalInt maxSeqLength, OptionalLong shuffleSeed,
                             int batchSize, long padTokenId) {
    public DatasetOptions {
        if (numCalibrationSamples <= 0)
            throw new IllegalArgumentException("numCalibrationSamples must be positive, was " + numCalibrationSamples);
        if (maxSeqLength.isPresent() && maxSeqLength.getAsInt() <= 0)
            throw new IllegalArgumentException("maxSeqLength must be positive, was " + maxSeqLength.getAsInt());
        if (batchSize <= 0)
            throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
        if (padTokenId < 0)
            throw new IllegalArgumentException("padTokenId must be non-negative, was " + padTokenId);
    }

    /** 512 samples, no truncation, no shuffle, batches of 1, pad id 0. */
    public static DatasetOptions defaults() {
        return new DatasetOptions(512, OptionalInt.empty(), OptionalLong.empty(), 1, 0);
    }

    public DatasetOptions withNumCalibrationSamples(int n) {
        return new DatasetOptions(n, maxSeqLength, shuffleSeed, batchSize, padTokenId);
    }

    public DatasetOptions withMaxSeqLength(int length) {
        return new DatasetOptions(numCalibrationSamples, OptionalInt.of(length), shuffleSeed, batchSize, padTokenId);
    }

    public DatasetOptions withShuffleSeed(long seed) {
        return new DatasetOptions(numCalibrationSamples, maxSeqLength, OptionalLong.of(seed), batchSize, padTokenId);
    }

    public DatasetOptions withBatchSize(int size) {
        return new DatasetOptions(numCalibrationSamples, maxSeqLength, shuffleSeed, size, padTokenId);
    }

    public DatasetOptions withPadTokenId(long id) {
        return new DatasetOptions(numCalibrationSamples, maxSeqLength, shuffleSeed, batchSize, id);
    }
}
