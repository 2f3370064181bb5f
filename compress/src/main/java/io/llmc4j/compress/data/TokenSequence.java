package io.llmc4j.compress.data;

import java.util.Arrays;

/**
 * One calibration sample: token ids and an optional attention mask of the same length (1 = attend,
 * 0 = masked; null means all ones), with where it came from ({@code file:line}) for messages.
 * Immutable: arrays are copied in and out. Thread-safe.
 */
public final class TokenSequence {
    private final int[] inputIds;
    private final int[] attentionMask;
    private final String origin;

    public TokenSequence(int[] inputIds, int[] attentionMask, String origin) {
        if (attentionMask != null && attentionMask.length != inputIds.length)
            throw new IllegalArgumentException(origin + ": attention_mask has " + attentionMask.length
                    + " entries but input_ids has " + inputIds.length);
        this.inputIds = inputIds.clone();
        this.attentionMask = attentionMask == null ? null : attentionMask.clone();
        this.origin = origin;
    }

    public int length() {
        return inputIds.length;
    }

    public int tokenAt(int position) {
        return inputIds[position];
    }

    /** The mask at {@code position}: 1 when there is no mask. */
    public int maskAt(int position) {
        return attentionMask == null ? 1 : attentionMask[position];
    }

    /** Whether an explicit mask is present and masks at least one position. */
    public boolean hasMaskedPositions() {
        if (attentionMask == null)
            return false;
        for (int m : attentionMask)
            if (m == 0)
                return true;
        return false;
    }

    public int[] inputIds() {
        return inputIds.clone();
    }

    /** The explicit mask, or null when the record had none. */
    public int[] attentionMask() {
        return attentionMask == null ? null : attentionMask.clone();
    }

    /** {@code file:line} of the record, or a description for sequences made in memory. */
    public String origin() {
        return origin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenSequence s && Arrays.equals(inputIds, s.inputIds) && Arrays.equals(attentionMask, s.attentionMask);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(inputIds) + Arrays.hashCode(attentionMask);
    }

    @Override
    public String toString() {
        return "TokenSequence[" + origin + ", " + inputIds.length + " tokens" + (attentionMask == null ? "" : ", masked") + "]";
    }
}
