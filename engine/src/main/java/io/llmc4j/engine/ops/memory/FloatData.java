package io.llmc4j.engine.ops.memory;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * A run of F32, BF16 or F16 elements (a contiguous tensor, or part of a segment) that kernels read
 * and write through Java arrays: {@link #read} yields floats for a range, {@link #writable} and
 * {@link #commit} accept floats for a range.
 *
 * <p>Why arrays: C2 compiles a Vector API load from a {@code MemorySegment} well only while every
 * segment that load site has ever seen is of one kind, and the profile that decides this sits in the
 * JDK's shared access code, so one heap segment anywhere degrades every later vector access to
 * native memory (measured: a BF16→F32 loop fell from ~100 to ~15 GB/s in cache). Loads from arrays
 * ({@code fromArray}) have no such trap. So F32 data backed by a {@code float[]} (what
 * {@link Tensor#allocate(DType, long...)} makes) is used in place and BF16/F16 in a {@code short[]}
 * is widened from it; BF16/F16 in native memory (mapped weights) is widened by vector loads straight
 * from the segment — the one kind of segment any vector load in this code base ever sees, which
 * keeps that profile clean (measured: BF16→F32 from DRAM at 0.92 of memcpy bandwidth on one thread,
 * against 0.77 when staged); everything else (native F32, other heap arrays) is staged through a
 * {@link Window} with {@code MemorySegment.copy} (a plain memory copy, whatever the segment kind).
 *
 * <p>Does not own the memory. Immutable; thread-safe when concurrent writers touch disjoint ranges.
 */
public final class FloatData {
    private final DType dtype;
    private final float[] floats;
    private final short[] shorts;
    private final int arrayBase;
    private final MemorySegment segment;
    private final long byteBase;

    private FloatData(DType dtype, float[] floats, short[] shorts, int arrayBase, MemorySegment segment, long byteBase) {
        this.dtype = dtype;
        this.floats = floats;
        this.shorts = shorts;
        this.arrayBase = arrayBase;
        this.segment = segment;
        this.byteBase = byteBase;
    }

    /** Elements of {@code dtype} (F32, BF16 or F16) from byte {@code byteOffset} of {@code segment} on. */
    public static FloatData of(DType dtype, MemorySegment segment, long byteOffset) {
        if (dtype != DType.F32 && dtype != DType.BF16 && dtype != DType.F16)
            throw new IllegalArgumentException("float data is F32, BF16 or F16, not " + dtype);
        if (!segment.isNative()) {
            Object base = segment.heapBase().orElse(null);
            long at = segment.address() + byteOffset;
            if (dtype == DType.F32 && base instanceof float[] array && at % 4 == 0)
                return new FloatData(dtype, array, null, Math.toIntExact(at / 4), null, 0);
            if (dtype != DType.F32 && base instanceof short[] array && at % 2 == 0)
                return new FloatData(dtype, null, array, Math.toIntExact(at / 2), null, 0);
        }
        return new FloatData(dtype, null, null, 0, segment, byteOffset);
    }

    /** The elements of contiguous tensor {@code t} (F32, BF16 or F16), element 0 first. */
    public static FloatData of(Tensor t) {
        if (!t.isContiguous()) throw new IllegalArgumentException("float data needs a contiguous tensor, got " + t + " with strides " + java.util.Arrays.toString(t.strides()));
        return of(t.dtype(), t.segment(), t.byteOffset());
    }

    /** {@code array[base ...]} as F32 data. */
    public static FloatData of(float[] array, int base) {
        return new FloatData(DType.F32, array, null, base, null, 0);
    }

    /** The same data from element {@code start} on. */
    public FloatData from(long start) {
        if (floats != null || shorts != null) return new FloatData(dtype, floats, shorts, Math.toIntExact(arrayBase + start), null, 0);
        return new FloatData(dtype, null, null, 0, segment, byteBase + start * dtype.byteSize());
    }

    /** Whether {@link #read} and {@link #writable} show the backing array itself (F32 in a {@code float[]}). */
    public boolean isFloatArray() {
        return floats != null;
    }

    public DType dtype() {
        return dtype;
    }

    /**
     * Points {@code window} at elements {@code [start, start + count)} as floats: at the backing
     * array itself when this is F32 in a {@code float[]}, else at the window's scratch, filled by
     * copying and widening. Callers only read what the window shows.
     */
    public Window read(long start, int count, Window window) {
        if (floats != null) return window.show(floats, Math.toIntExact(arrayBase + start));
        float[] scratch = window.scratch(count);
        if (dtype == DType.F32) {
            MemorySegment.copy(segment, Tensor.F32, byteBase + 4 * start, scratch, 0, count);
        } else if (shorts != null) {
            Widening.widen(dtype, shorts, Math.toIntExact(arrayBase + start), scratch, 0, count);
        } else if (segment.isNative()) {
            Widening.widen(dtype, segment, byteBase + 2 * start, scratch, 0, count);
        } else {
            short[] bits = window.bits(count);
            MemorySegment.copy(segment, Tensor.I16, byteBase + 2 * start, bits, 0, count);
            Widening.widen(dtype, bits, 0, scratch, 0, count);
        }
        return window.show(scratch, 0);
    }

    /** Widens elements {@code [start, start + count)} into {@code dst[at ...]}; {@code staging} lends scratch. */
    public void readInto(long start, int count, float[] dst, int at, Window staging) {
        if (floats != null) {
            System.arraycopy(floats, Math.toIntExact(arrayBase + start), dst, at, count);
        } else if (dtype == DType.F32) {
            MemorySegment.copy(segment, Tensor.F32, byteBase + 4 * start, dst, at, count);
        } else if (shorts != null) {
            Widening.widen(dtype, shorts, Math.toIntExact(arrayBase + start), dst, at, count);
        } else if (segment.isNative()) {
            Widening.widen(dtype, segment, byteBase + 2 * start, dst, at, count);
        } else {
            short[] bits = staging.bits(count);
            MemorySegment.copy(segment, Tensor.I16, byteBase + 2 * start, bits, 0, count);
            Widening.widen(dtype, bits, 0, dst, at, count);
        }
    }

    /** Elements {@code [toStart, toStart + count)} := {@code from}'s {@code [fromStart, ...)}, converted. */
    public void copyFrom(FloatData from, long fromStart, long toStart, int count, Window staging) {
        if (floats != null) {
            from.readInto(fromStart, count, floats, Math.toIntExact(arrayBase + toStart), staging);
        } else {
            Window source = from.read(fromStart, count, staging);
            write(toStart, source.array(), source.offset(), count, staging);
        }
    }

    /**
     * Points {@code window} where elements {@code [start, start + count)} may be written as floats:
     * the backing {@code float[]} itself, or the window's scratch; {@link #commit} then stores them.
     */
    public Window writable(long start, int count, Window window) {
        if (floats != null) return window.show(floats, Math.toIntExact(arrayBase + start));
        return window.show(window.scratch(count), 0);
    }

    /** Stores what was written through {@link #writable} (narrowing BF16/F16 to nearest even). */
    public void commit(long start, int count, Window window) {
        if (floats != null) return;
        write(start, window.array(), window.offset(), count, window);
    }

    /** Elements {@code [start, start + count)} := {@code values[from ...]}, narrowed to this dtype. */
    public void write(long start, float[] values, int from, int count) {
        write(start, values, from, count, null);
    }

    private void write(long start, float[] values, int from, int count, Window staging) {
        if (floats != null) {
            System.arraycopy(values, from, floats, Math.toIntExact(arrayBase + start), count);
        } else if (dtype == DType.F32) {
            MemorySegment.copy(values, from, segment, Tensor.F32, byteBase + 4 * start, count);
        } else if (shorts != null) {
            Widening.narrow(dtype, values, from, shorts, Math.toIntExact(arrayBase + start), count);
        } else {
            short[] bits = staging == null ? new short[count] : staging.bits(count);
            Widening.narrow(dtype, values, from, bits, 0, count);
            MemorySegment.copy(bits, 0, segment, Tensor.I16, byteBase + 2 * start, count);
        }
    }

    /** Element {@code i} widened to float (for scalar edges; bulk access goes through windows). */
    public float get(long i) {
        if (floats != null) return floats[Math.toIntExact(arrayBase + i)];
        if (dtype == DType.F32) return segment.get(Tensor.F32, byteBase + 4 * i);
        short bits = shorts != null ? shorts[Math.toIntExact(arrayBase + i)] : segment.get(Tensor.I16, byteBase + 2 * i);
        return Widening.widen(dtype, bits);
    }
}
