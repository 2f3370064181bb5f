package io.llmc4j.engine.ops.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.FloatFormats;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** BF16/F16 widening from arrays and from native memory against the scalar formats, bit for bit. */
class WideningTest {

    private static float scalar(DType dtype, short bits) {
        return dtype == DType.BF16 ? FloatFormats.bf16ToFloat(bits) : Float.float16ToFloat(bits);
    }

    @Test
    void everyCodeWidensExactlyFromArraysAndNativeMemoryAtAnyByteOffset() {
        int codes = 1 << 16;
        short[] bits = new short[codes];
        for (int i = 0; i < codes; i++) bits[i] = (short) i;
        for (DType dtype : new DType[] {DType.BF16, DType.F16}) {
            float[] fromArray = new float[codes];
            Widening.widen(dtype, bits, 0, fromArray, 0, codes);
            for (int offset : new int[] {0, 1, 2, 3}) {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment segment = arena.allocate(2L * codes + offset);
                    for (int i = 0; i < codes; i++) segment.set(Tensor.I16, offset + 2L * i, bits[i]);
                    float[] fromNative = new float[codes + 5];
                    Widening.widen(dtype, segment, offset, fromNative, 5, codes);
                    for (int i = 0; i < codes; i++) {
                        int expected = Float.floatToRawIntBits(scalar(dtype, bits[i]));
                        assertEquals(expected, Float.floatToRawIntBits(fromArray[i]), dtype + " code " + i + " from an array");
                        assertEquals(expected, Float.floatToRawIntBits(fromNative[5 + i]), dtype + " code " + i + " from native memory at byte offset " + offset);
                    }
                }
            }
        }
    }

    @Property(tries = 200)
    void nativeTailsMatchTheScalarFormats(@ForAll @Size(max = 70) short[] bits, @ForAll @IntRange(max = 5) int byteOffset, @ForAll boolean bf16) {
        DType dtype = bf16 ? DType.BF16 : DType.F16;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(2L * bits.length + byteOffset + 1);
            for (int i = 0; i < bits.length; i++) segment.set(Tensor.I16, byteOffset + 2L * i, bits[i]);
            float[] out = new float[bits.length];
            Widening.widen(dtype, segment, byteOffset, out, 0, bits.length);
            for (int i = 0; i < bits.length; i++)
                assertEquals(Float.floatToRawIntBits(scalar(dtype, bits[i])), Float.floatToRawIntBits(out[i]), dtype + " element " + i + " of " + bits.length);
        }
    }

    @Test
    void heapSegmentsAreRefusedSoNoVectorLoadEverSeesOne() {
        MemorySegment heap = MemorySegment.ofArray(new short[32]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Widening.widen(DType.BF16, heap, 0, new float[32], 0, 32));
        assertTrue(e.getMessage().contains("native"), e.getMessage());
    }

    @Test
    void otherDtypesAreRefusedByName() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(64);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Widening.widen(DType.F32, segment, 0, new float[16], 0, 16));
            assertTrue(e.getMessage().contains("F32"), e.getMessage());
        }
    }
}
