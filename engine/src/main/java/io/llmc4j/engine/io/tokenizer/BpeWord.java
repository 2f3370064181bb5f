package io.llmc4j.engine.io.tokenizer;

import java.util.PriorityQueue;

/**
 * Applies BPE merges to one word, as Hugging Face tokenizers' {@code Word::merge_all} does without
 * dropout: repeatedly merge the adjacent pair with the lowest rank, the leftmost one among equal
 * ranks, until no adjacent pair has a merge. Symbols form a doubly linked list and candidate merges
 * sit in a heap ordered by (rank, position), so a word of n symbols takes O(n log n). Stale heap
 * entries (a side already merged away) are skipped when popped.
 */
final class BpeWord {
    private BpeWord() {
    }

    /** Merges {@code ids} (the word's initial symbols) and appends the resulting ids to {@code out}. */
    static void mergeInto(int[] ids, BpeMerges merges, IntList out) {
        int n = ids.length;
        int[] symbol = ids.clone();
        int[] prev = new int[n];
        int[] next = new int[n];
        boolean[] removed = new boolean[n];
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        PriorityQueue<Long> queue = new PriorityQueue<>();          // rank << 32 | position
        for (int i = 0; i + 1 < n; i++)
            offer(queue, merges, symbol, i, i + 1);
        while (!queue.isEmpty()) {
            long top = queue.poll();
            int rank = (int) (top >>> 32);
            int at = (int) top;
            if (removed[at] || next[at] < 0)
                continue;
            int right = next[at];
            long merge = merges.lookup(symbol[at], symbol[right]);
            if (merge == BpeMerges.NONE || BpeMerges.rank(merge) != rank)
                continue;                                           // stale: the pair changed since it was queued
            symbol[at] = BpeMerges.mergedId(merge);
            removed[right] = true;
            next[at] = next[right];
            if (next[at] >= 0)
                prev[next[at]] = at;
            if (prev[at] >= 0)
                offer(queue, merges, symbol, prev[at], at);
            if (next[at] >= 0)
                offer(queue, merges, symbol, at, next[at]);
        }
        for (int i = n > 0 ? 0 : -1; i >= 0; i = next[i])
            out.add(symbol[i]);
    }

    private static void offer(PriorityQueue<Long> queue, BpeMerges merges, int[] symbol, int left, int right) {
        long merge = merges.lookup(symbol[left], symbol[right]);
        if (merge != BpeMerges.NONE)
            queue.add(((long) BpeMerges.rank(merge) << 32) | left);
    }
}
