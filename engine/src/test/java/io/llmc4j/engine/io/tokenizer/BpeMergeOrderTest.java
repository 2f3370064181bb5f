package io.llmc4j.engine.io.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Merge priority: the lowest rank merges first, the leftmost among equal ranks. Symbols are ids
 * 0..3 for a, b, c, d; merged tokens get ids from 10. Checked on hand-worked words and against a
 * naive reference (rescan for the best pair after every merge).
 */
class BpeMergeOrderTest {
    private static final int A = 0, B = 1, C = 2, D = 3;

    @Test
    void lowerRankWinsOverPosition() {
        // ranks: 0 a+b->ab(10), 1 b+c->bc(11), 2 ab+c->abc(12), 3 c+d->cd(13)
        BpeMerges m = merges(new int[][] {{A, B, 10}, {B, C, 11}, {10, C, 12}, {C, D, 13}});
        // a b c d: (a,b)0 -> ab c d: (ab,c)2 beats (c,d)3 -> abc d
        assertArrayEquals(new int[] {12, D}, merge(m, A, B, C, D));
        // b c d: (b,c)1 beats (c,d)3 -> bc d
        assertArrayEquals(new int[] {11, D}, merge(m, B, C, D));
    }

    @Test
    void reorderingTheRanksChangesTheResult() {
        // ranks: 0 c+d->cd(13), 1 a+b->ab(10), 2 b+c->bc(11), 3 ab+c->abc(12)
        BpeMerges m = merges(new int[][] {{C, D, 13}, {A, B, 10}, {B, C, 11}, {10, C, 12}});
        // a b c d: (c,d)0 -> a b cd: (a,b)1 -> ab cd; no merge for (ab,cd)
        assertArrayEquals(new int[] {10, 13}, merge(m, A, B, C, D));
    }

    @Test
    void equalRanksMergeLeftmostFirst() {
        // 0 a+a->aa(10), 1 aa+aa->aaaa(11), 2 aa+a->aaa(12)
        BpeMerges m = merges(new int[][] {{A, A, 10}, {10, 10, 11}, {10, A, 12}});
        // a a a: leftmost (a,a) -> aa a -> (aa,a)2 -> aaa
        assertArrayEquals(new int[] {12}, merge(m, A, A, A));
        // a a a a: aa a a (the pair at 1 is stale) -> aa aa -> (aa,aa)1 -> aaaa
        assertArrayEquals(new int[] {11}, merge(m, A, A, A, A));
        // a a a a a: aa aa a -> (aa,aa)1 before (aa,a)2 -> aaaa a
        assertArrayEquals(new int[] {11, A}, merge(m, A, A, A, A, A));
    }

    @Test
    void emptyAndSingleSymbolWords() {
        BpeMerges m = merges(new int[][] {{A, B, 10}});
        assertArrayEquals(new int[0], merge(m));
        assertArrayEquals(new int[] {B}, merge(m, B));
    }

    @Property(tries = 300)
    void heapMergeMatchesNaiveReference(@ForAll @IntRange(min = 0, max = 1_000_000) int seed,
                                        @ForAll @IntRange(min = 1, max = 40) int length) {
        Random random = new Random(seed);
        int alphabet = 2 + random.nextInt(3);
        List<int[]> table = new ArrayList<>();
        BpeMerges merges = new BpeMerges();
        int nextId = alphabet;
        for (int rank = 0; rank < 12; rank++) {
            int left = random.nextInt(nextId);
            int right = random.nextInt(nextId);
            if (table.stream().anyMatch(e -> e[0] == left && e[1] == right))
                continue;
            table.add(new int[] {left, right, nextId});
            merges.put(left, right, table.size() - 1, nextId++);
        }
        int[] word = random.ints(length, 0, alphabet).toArray();
        assertArrayEquals(naive(word, table), merge(merges, word), () -> "seed " + seed + ", word " + Arrays.toString(word));
    }

    /** Rescans for the lowest-rank, leftmost pair after each merge. */
    private static int[] naive(int[] word, List<int[]> table) {
        List<Integer> symbols = new ArrayList<>(Arrays.stream(word).boxed().toList());
        while (true) {
            int bestRank = Integer.MAX_VALUE;
            int bestAt = -1;
            for (int i = 0; i + 1 < symbols.size(); i++)
                for (int rank = 0; rank < table.size(); rank++)
                    if (rank < bestRank && table.get(rank)[0] == symbols.get(i) && table.get(rank)[1] == symbols.get(i + 1)) {
                        bestRank = rank;
                        bestAt = i;
                    }
            if (bestAt < 0)
                return symbols.stream().mapToInt(Integer::intValue).toArray();
            symbols.set(bestAt, table.get(bestRank)[2]);
            symbols.remove(bestAt + 1);
        }
    }

    private static BpeMerges merges(int[][] entries) {
        BpeMerges m = new BpeMerges();
        for (int rank = 0; rank < entries.length; rank++)
            m.put(entries[rank][0], entries[rank][1], rank, entries[rank][2]);
        assertEquals(entries.length, m.size());
        return m;
    }

    private static int[] merge(BpeMerges merges, int... word) {
        IntList out = new IntList();
        BpeWord.mergeInto(word, merges, out);
        return out.toArray();
    }
}
