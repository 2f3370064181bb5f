package io.llmc4j.compress.data;

import java.util.OptionalInt;

/**
 * What the model accepts, used to reject bad records at load time with their line: token ids must
 * lie in {@code [0, vocabSize)} and sequences must not be longer than {@code maxPositions}
 * ({@code max_position_embeddings}). Either may be unknown (empty).
 */
public record ModelLimits(OptionalInt vocabSize, OptionalInt maxPositions) {
    /** No checks beyond non-negative ids. */
    public static final ModelLimits NONE = new ModelLimits(OptionalInt.empty(), OptionalInt.empty());

    public ModelLimits {
        if (vocabSize.isPresent() && vocabSize.getAsInt() <= 0)
            throw new IllegalArgumentException("vocabSize must be positive, was " + vocabSize.getAsInt());
        if (maxPositions.isPresent() && maxPositions.getAsInt() <= 0)
            throw new IllegalArgumentException("maxPositions must be positive, was " + maxPositions.getAsInt());
    }

    public static ModelLimits of(int vocabSize, int maxPositions) {
        return new ModelLimits(OptionalInt.of(vocabSize), OptionalInt.of(maxPositions));
    }
}
