package io.llmc4j.engine.ops.convert;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.FloatFormats;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector loads that widen F32, BF16 or F16 memory to float lanes ({@link #SPECIES}), exactly as
 * {@link FloatFormats} widens one element. Kernels use them to read weights in their stored dtype
 * without a converted copy. Stateless, thread-safe.
 */
public final class FloatLoads {
    /** The float species every kernel uses ({@code FloatVector.SPECIES_PREFERRED}). */
    public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Lanes per float vector. */
    public static final int LANES = SPECIES.length();
    static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    static final VectorSpecies<Short> SHORTS =
            ShortVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(LANES * Short.SIZE));
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private FloatLoads() {
    }

    /** {@link #LANES} elements of {@code dtype} (F32, BF16 or F16) starting at {@code byteOffset}. */
    public static FloatVector load(DType dtype, MemorySegment segment, long byteOffset) {
        return switch (dtype) {
            case F32 -> FloatVector.fromMemorySegment(SPECIES, segment, byteOffset, LE);
            case BF16 -> bf16(segment, byteOffset);
            case F16 -> f16(segment, byteOffset);
            default -> throw new IllegalArgumentException("vector loads read F32, BF16 or F16, not " + dtype);
        };
    }

    /** One element of {@code dtype} (F32, BF16 or F16) at {@code byteOffset}, widened to float. */
    public static float get(DType dtype, MemorySegment segment, long byteOffset) {
        return switch (dtype) {
            case F32 -> segment.get(Tensor.F32, byteOffset);
            case BF16 -> FloatFormats.bf16ToFloat(segment.get(Tensor.I16, byteOffset));
            case F16 -> Float.float16ToFloat(segment.get(Tensor.I16, byteOffset));
            default -> throw new IllegalArgumentException("vector loads read F32, BF16 or F16, not " + dtype);
        };
    }

    /** BF16 lanes: each value is the top half of the float. */
    public static FloatVector bf16(MemorySegment segment, long byteOffset) {
        return widenShorts(segment, byteOffset).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /**
     * F16 lanes. The half's exponent and mantissa bits, shifted into a float's place, read as a float
     * 2^112 times too small; one multiplication by 2^112 fixes normals and subnormals alike.
     * Infinities and NaNs (exponent field 31) get the float exponent field 255 and keep their payload.
     */
    public static FloatVector f16(MemorySegment segment, long byteOffset) {
        IntVector bits = widenShorts(segment, byteOffset);
        IntVector magnitude = bits.and(0x7FFF);
        IntVector sign = bits.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
        FloatVector finite = shifted.reinterpretAsFloats().mul(0x1p112f);
        VectorMask<Integer> special = magnitude.compare(VectorOperators.GE, 0x7C00);
        return finite.reinterpretAsInts().blend(shifted.or(0x7F800000), special).or(sign).reinterpretAsFloats();
    }

    private static IntVector widenShorts(MemorySegment segment, long byteOffset) {
        ShortVector shorts = ShortVector.fromMemorySegment(SHORTS, segment, byteOffset, LE);
        return (IntVector) shorts.convertShape(VectorOperators.ZERO_EXTEND_S2I, INTS, 0);
    }
}
