package io.llmc4j.engine.io.tokenizer;

import java.util.HashMap;
import java.util.Map;

/**
 * The ranked merge table of a BPE model: for a pair of adjacent token ids, the merge's rank (its
 * position in {@code model.merges}; lower merges first) and the id of the merged token. Immutable
 * after construction; thread-safe.
 */
final class BpeMerges {
    /** Returned by {@link #lookup} when the pair has no merge. */
    static final long NONE = -1;

    private final Map<Long, Long> rankAndIdByPair = new HashMap<>();

    /** Records merge number {@code rank} of {@code left}, {@code right} into {@code merged}; a later duplicate wins. */
    void put(int left, int right, int rank, int merged) {
        rankAndIdByPair.put(pairKey(left, right), ((long) rank << 32) | (merged & 0xFFFFFFFFL));
    }

    /** {@code rank << 32 | mergedId} for the pair, or {@link #NONE}. */
    long lookup(int left, int right) {
        Long v = rankAndIdByPair.get(pairKey(left, right));
        return v == null ? NONE : v;
    }

    int size() {
        return rankAndIdByPair.size();
    }

    static int rank(long lookup) {
        return (int) (lookup >>> 32);
    }

    static int mergedId(long lookup) {
        return (int) lookup;
    }

    private static long pairKey(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }
}
