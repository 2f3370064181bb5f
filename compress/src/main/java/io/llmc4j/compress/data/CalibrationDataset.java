package io.llmc4j.compress.data;

import java.util.ArrayList;
import java.util.List;

/**
 * An ordered, immutable list of {@link TokenSequence}s with the operations calibration needs:
 * seeded shuffling, taking the first samples, splitting into calibration and evaluation parts, and
 * batching. Thread-safe.
 */
public final class CalibrationDataset {
    private final List<TokenSequence> sequences;

    public CalibrationDataset(List<TokenSequence> sequences) {
        this.sequences = List.copyOf(sequences);
    }

    public int size() {
        return sequences.size();
    }

    public TokenSequence get(int index) {
        return sequences.get(index);
    }

    public List<TokenSequence> sequences() {
        return sequences;
    }

    /** The same sequences in the order {@link SeededShuffle} gives for {@code seed}. */
    public CalibrationDataset shuffled(long seed) {
        return new CalibrationDataset(SeededShuffle.shuffle(sequences, seed));
    }

    /** The first {@code min(n, size())} sequences. */
    public CalibrationDataset first(int n) {
        if (n < 0)
            throw new IllegalArgumentException("cannot take " + n + " sequences");
        return new CalibrationDataset(sequences.subList(0, Math.min(n, sequences.size())));
    }

    /**
     * The first {@code calibrationCount} sequences for calibration and the rest for evaluation
     * (e.g. 96 + 32 of the 128 stories260K samples).
     */
    public DatasetSplit split(int calibrationCount) {
        if (calibrationCount < 0 || calibrationCount > sequences.size())
            throw new IllegalArgumentException("cannot split " + sequences.size() + " sequences after " + calibrationCount);
        return new DatasetSplit(new CalibrationDataset(sequences.subList(0, calibrationCount)),
                new CalibrationDataset(sequences.subList(calibrationCount, sequences.size())));
    }

    /**
     * The calibration samples {@code options} selects: shuffled when a seed is given, then the
     * first {@code numCalibrationSamples} (all of them when there are fewer).
     */
    public CalibrationDataset select(DatasetOptions options) {
        CalibrationDataset ordered = options.shuffleSeed().isPresent() ? shuffled(options.shuffleSeed().getAsLong()) : this;
        return ordered.first(options.numCalibrationSamples());
    }

    /** Consecutive batches of {@code options.batchSize()} sequences, right-padded with {@code options.padTokenId()}. */
    public List<Batch> batches(DatasetOptions options) {
        return batches(options.batchSize(), options.padTokenId());
    }

    /** Consecutive batches of {@code batchSize} sequences (the last may be smaller), right-padded with {@code padTokenId}. */
    public List<Batch> batches(int batchSize, long padTokenId) {
        if (batchSize <= 0)
            throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
        List<Batch> out = new ArrayList<>();
        for (int start = 0; start < sequences.size(); start += batchSize)
            out.add(Batch.of(sequences.subList(start, Math.min(start + batchSize, sequences.size())), padTokenId));
        return out;
    }

    @Override
    public String toString() {
        return "CalibrationDataset[" + sequences.size() + " sequences]";
    }
}
