package io.llmc4j.compress.format.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class Int32PackingTest {

    @Test
    void packsTheReadmeExample() {
        // compressed-tensors pack_to_int32, 4 bits: shared/golden/README.md rule 8 (pack/int4_3x13_dim1).
        byte[] row = {-8, -3, 1, 2, 5, -2, -5, -6};
        int[] packed = Int32Packing.pack(row, 1, 8, 4, 1);
        assertArrayEquals(new int[] {0x236da950}, packed);
    }

    @Test
    void threeBitValuesStraddleWords() {
        byte[] values = new byte[11];
        for (int i = 0; i < values.length; i++) values[i] = (byte) (i % 8 - 4);
        values[10] = 2;
        int[] packed = Int32Packing.pack(values, 1, 11, 3, 1);
        assertEquals(2, packed.length); // 33 bits
        // element 10 (value 2 → u = 6 = 0b110) sits at bits 30..32: its low two bits in word 0, its top bit in word 1
        assertEquals(0b10, packed[0] >>> 30);
        assertEquals(1, packed[1] & 1);
        assertArrayEquals(values, Int32Packing.unpack(packed, 1, 11, 3, 1));
    }

    @Test
    void rejectsValuesOutsideTheBitRange() {
        var e = assertThrows(IllegalArgumentException.class, () -> Int32Packing.pack(new byte[] {8}, 1, 1, 4, 1));
        assertEquals("value 8 at index 0 does not fit in 4 signed bits", e.getMessage());
    }

    @Property
    void unpackInvertsPack(@ForAll @IntRange(min = 1, max = 8) int bits, @ForAll @IntRange(min = 1, max = 40) int rows,
                           @ForAll @IntRange(min = 1, max = 70) int cols, @ForAll @IntRange(min = 0, max = 1) int dim,
                           @ForAll long seed) {
        Random random = new Random(seed);
        byte[] values = new byte[rows * cols];
        for (int i = 0; i < values.length; i++) values[i] = (byte) (random.nextInt(1 << bits) - (1 << (bits - 1)));
        int[] packed = Int32Packing.pack(values, rows, cols, bits, dim);
        int expectedWords = dim == 1 ? rows * Int32Packing.wordsFor(cols, bits) : cols * Int32Packing.wordsFor(rows, bits);
        assertEquals(expectedWords, packed.length);
        assertArrayEquals(values, Int32Packing.unpack(packed, rows, cols, bits, dim), "seed " + seed);
    }
}
