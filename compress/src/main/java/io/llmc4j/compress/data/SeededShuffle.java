package io.llmc4j.compress.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A shuffle that gives the same order for the same seed on every JDK and platform, because the
 * generator is written out here rather than taken from the JDK.
 *
 * <p>Generator: SplitMix64 (Steele, Lea and Flood, 2014): {@code state += 0x9E3779B97F4A7C15}, then
 * {@code z = state; z = (z ^ z>>>30) * 0xBF58476D1CE4E5B9; z = (z ^ z>>>27) * 0x94D049BB133111EB;
 * return z ^ z>>>31}, with the seed as the initial state (the sequence
 * {@code new java.util.SplittableRandom(seed).nextLong()} yields today). A bound is drawn without
 * bias by rejection: {@code r = next()>>>1}, rejected while {@code r - r % bound > 2^63 - bound}.
 *
 * <p>Shuffle: Fisher-Yates from the end: for {@code i = n-1 .. 1}, swap {@code i} with
 * {@code j = nextInt(i + 1)}.
 */
public final class SeededShuffle {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    private SeededShuffle(long seed) {
        this.state = seed;
    }

    /** The permutation of {@code 0..n-1} for {@code seed}: element i of the shuffled list is element {@code p[i]} of the input. */
    public static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++)
            p[i] = i;
        SeededShuffle random = new SeededShuffle(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** A new list holding {@code items} in the order {@link #permutation} gives. */
    public static <T> List<T> shuffle(List<T> items, long seed) {
        int[] p = permutation(items.size(), seed);
        List<T> out = new ArrayList<>(items.size());
        for (int index : p)
            out.add(items.get(index));
        return out;
    }

    /** The next 64 bits of SplitMix64. */
    long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in {@code [0, bound)}. */
    int nextInt(int bound) {
        if (bound <= 0)
            throw new IllegalArgumentException("bound must be positive, was " + bound);
        while (true) {
            long r = nextLong() >>> 1;
            long value = r % bound;
            if (r - value <= Long.MAX_VALUE - (bound - 1))
                return (int) value;
        }
    }

    /** A generator seeded with {@code seed}, for tests of the documented sequence. */
    static SeededShuffle generator(long seed) {
        return new SeededShuffle(seed);
    }
}
