package io.llmc4j.compress.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shuffle order is a function of the seed alone, pinned by values computed outside Java. */
class SeededShuffleTest {
    @Test
    void generatorIsSplitMix64() {
        // SplitMix64 from state 0: the published reference sequence (also computed with a Python transcription)
        SeededShuffle g = SeededShuffle.generator(0);
        assertEquals(0xE220A8397B1DCDAFL, g.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, g.nextLong());
        assertEquals(0x06C45D188009454FL, g.nextLong());
        for (long seed : new long[] {1, 42, -7, Long.MAX_VALUE}) {
            SeededShuffle ours = SeededShuffle.generator(seed);
            SplittableRandom jdk = new SplittableRandom(seed);
            for (int i = 0; i < 5; i++)
                assertEquals(jdk.nextLong(), ours.nextLong(), "seed " + seed + ", draw " + i);
        }
    }

    @Test
    void permutationIsPinned() {
        // computed with an independent Python transcription of the documented algorithm
        assertArrayEquals(new int[] {3, 8, 4, 2, 9, 5, 7, 1, 0, 6}, SeededShuffle.permutation(10, 42));
        assertArrayEquals(new int[] {2, 5, 4, 9, 6, 1, 7, 8, 3, 0}, SeededShuffle.permutation(10, 43));
        assertArrayEquals(new int[] {0}, SeededShuffle.permutation(1, 5));
        assertArrayEquals(new int[0], SeededShuffle.permutation(0, 5));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 31, 33, 257})
    void sameSeedSameOrderAndEveryElementOnce(int n) {
        for (long seed = 0; seed < 20; seed++) {
            int[] p = SeededShuffle.permutation(n, seed);
            assertArrayEquals(p, SeededShuffle.permutation(n, seed), "seed " + seed);
            int[] sorted = p.clone();
            Arrays.sort(sorted);
            assertArrayEquals(IntStream.range(0, n).toArray(), sorted, "seed " + seed);
        }
    }

    @Test
    void differentSeedsGiveDifferentOrders() {
        assertFalse(Arrays.equals(SeededShuffle.permutation(128, 1), SeededShuffle.permutation(128, 2)));
        List<String> items = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        assertEquals(List.of("d", "i", "e", "c", "j", "f", "h", "b", "a", "g"), SeededShuffle.shuffle(items, 42));
    }

    @Test
    void boundedDrawsStayInRange() {
        SeededShuffle g = SeededShuffle.generator(9);
        for (int bound : new int[] {1, 2, 3, 7, 1 << 30, Integer.MAX_VALUE})
            for (int i = 0; i < 1000; i++) {
                int v = g.nextInt(bound);
                if (v < 0 || v >= bound)
                    throw new AssertionError(v + " outside [0, " + bound + ")");
            }
    }
}
