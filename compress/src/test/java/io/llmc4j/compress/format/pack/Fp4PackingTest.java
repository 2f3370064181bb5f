package io.llmc4j.compress.format.pack;

import static io.llmc4j.compress.testing.TensorAssertions.assertBitsEqual;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.llmc4j.compress.quantization.Fp4E2M1;
import io.llmc4j.compress.quantization.TensorValues;
import io.llmc4j.compress.testing.GoldenCase;
import io.llmc4j.compress.testing.GoldenCases;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class Fp4PackingTest {
    private static final float[] GRID = {0f, 0.5f, 1f, 1.5f, 2f, 3f, 4f, 6f};

    @Test
    void elementZeroIsTheLowNibbleAndNegativeZeroKeepsItsSign() {
        Tensor packed = Fp4Packing.pack(Tensor.of(new float[] {0.5f, -6f, -0.0f, 1f}, 1, 4));
        assertArrayEquals(new byte[] {(byte) 0xF1, (byte) 0x28}, bytes(packed));
        Tensor back = Fp4Packing.unpack(packed, DType.F32);
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(back.getFlat(2)));
        assertArrayEquals(new float[] {0.5f, -6f, -0.0f, 1f}, back.toFloatArray());
    }

    /** compressed-tensors pack_fp4_to_uint8 / unpack_fp4_from_uint8 on the cast table (golden fp4/e2m1_cast_table). */
    @Test
    void packsTheGoldenCastTable() {
        GoldenCase c = GoldenCases.byId("fp4/e2m1_cast_table");
        Tensor cast = c.output("cast");
        Tensor packed = Fp4Packing.pack(cast.reshape(1, cast.elementCount()));
        assertArrayEquals(bytes(c.output("packed")), bytes(packed));
        assertBitsEqual("unpacked", c.output("unpacked"), Fp4Packing.unpack(packed, DType.BF16));
    }

    /** Every code unpacks to its value and packs back to itself, in either nibble. */
    @Test
    void allSixteenCodesRoundTrip() {
        for (int code = 0; code < 16; code++) {
            float v = Fp4E2M1.decode(code);
            assertEquals(code, Fp4Packing.code(v), "code " + code);
            Tensor packed = Fp4Packing.pack(Tensor.of(new float[] {v, -v}, 1, 2));
            assertArrayEquals(new float[] {v, -v}, Fp4Packing.unpack(packed, DType.F32).toFloatArray(), "code " + code);
        }
    }

    @Property(tries = 200)
    void packThenUnpackIsTheIdentityOnTheGrid(@ForAll @IntRange(min = 1, max = 9) int rows, @ForAll @IntRange(min = 1, max = 40) int pairs,
                                              @ForAll long seed) {
        Random random = new Random(seed);
        float[] values = new float[rows * pairs * 2];
        for (int i = 0; i < values.length; i++) values[i] = GRID[random.nextInt(GRID.length)] * (random.nextBoolean() ? 1 : -1);
        Tensor x = TensorValues.write(values, DType.BF16, rows, pairs * 2L);
        Tensor packed = Fp4Packing.pack(x);
        assertEquals(DType.U8, packed.dtype());
        assertEquals(pairs, packed.dim(1));
        assertBitsEqual("seed " + seed, x, Fp4Packing.unpack(packed, DType.BF16));
    }

    @Test
    void oddColumnsAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> Fp4Packing.pack(Tensor.of(new float[] {1, 2, 3}, 1, 3)));
        assertEquals("FP4 packing needs a 2-D tensor with an even number of columns, found [1, 3]", e.getMessage());
    }

    private static byte[] bytes(Tensor t) {
        Tensor c = t.contiguous();
        return c.segment().asSlice(c.byteOffset(), c.byteSize()).toArray(ValueLayout.JAVA_BYTE);
    }
}
