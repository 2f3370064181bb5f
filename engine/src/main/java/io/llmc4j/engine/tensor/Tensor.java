package io.llmc4j.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An n-dimensional array: a {@link MemorySegment} + {@link DType} + {@link Shape} + strides + offset.
 *
 * <p>Strides and the offset count elements, not bytes. Views ({@link #reshape}, {@link #transpose},
 * {@link #permute}, {@link #narrow}, {@link #select}, {@link #unsqueeze}) share the segment; copies are
 * explicit ({@link #contiguous()}, {@link #copy()}, {@link #copyInto(Arena)}).
 *
 * <p>Ownership: {@link #allocate(DType, long...)} backs the tensor by a Java array, so the GC owns it
 * and heap limits bound it (used for activations). {@link #allocate(Arena, DType, long...)} and
 * {@link #wrap} use a segment whose lifetime is that of its arena (mapped checkpoints, offloaded
 * activations). Data is little-endian and may be unaligned.
 *
 * <p>A <em>symbolic</em> tensor has a dtype and a shape but no data; the tracer uses them. Reading
 * or writing its elements throws {@link SymbolicAccessException}. Its {@link #traceTag()} is an
 * opaque object owned by the tracer.
 *
 * <p>Not thread-safe for concurrent writes to overlapping elements; reads are safe.
 */
public final class Tensor {
    public static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;

    private final MemorySegment segment;
    private final DType dtype;
    private final Shape shape;
    private final long[] strides;
    private final long offset;
    private final Object traceTag;

    private Tensor(MemorySegment segment, DType dtype, Shape shape, long[] strides, long offset, Object traceTag) {
        this.segment = segment;
        this.dtype = dtype;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.traceTag = traceTag;
    }

    // ---------------------------------------------------------------- creation

    /**
     * A zero-filled, heap-backed, contiguous tensor. The backing array has the dtype's own element
     * type (float[] for F32, short[] for F16/BF16, ...) whenever the element count fits in an array:
     * Vector API loads and stores on a heap segment are only intrinsified when the array's element
     * type matches the vector's (a float vector over a long[]-backed segment runs ~40× slower).
     * Tensors of 1 MiB and more start on a 64-byte cache line of their array where the JVM grants
     * native access (see {@link HeapArrays}); the segment may then be a slice of a slightly longer
     * array, so code that reaches the array must add the segment's {@code address()}.
     */
    public static Tensor allocate(DType dtype, long... dims) {
        Shape shape = Shape.of(dims);
        long count = shape.elementCount();
        long bytes = dtype.byteSizeFor(count);
        MemorySegment seg;
        if (count <= Integer.MAX_VALUE - 8) {
            seg = typedHeapSegment(dtype, (int) count);
        } else {
            long words = (bytes + 7) / 8;
            if (words > Integer.MAX_VALUE - 8)
                throw new IllegalArgumentException("tensor of " + bytes + " bytes " + shape + " is too large for the heap; allocate it in an Arena");
            seg = MemorySegment.ofArray(new long[(int) words]).asSlice(0, bytes);
        }
        return new Tensor(seg, dtype, shape, shape.contiguousStrides(), 0, null);
    }

    private static MemorySegment typedHeapSegment(DType dtype, int count) {
        return switch (dtype) {
            case F64 -> HeapArrays.allocate(count, 8, n -> MemorySegment.ofArray(new double[n]));
            case F32 -> HeapArrays.allocate(count, 4, n -> MemorySegment.ofArray(new float[n]));
            case F16, BF16, I16 -> HeapArrays.allocate(count, 2, n -> MemorySegment.ofArray(new short[n]));
            case I64 -> HeapArrays.allocate(count, 8, n -> MemorySegment.ofArray(new long[n]));
            case I32 -> HeapArrays.allocate(count, 4, n -> MemorySegment.ofArray(new int[n]));
            case F8_E4M3, F8_E5M2, I8, U8, BOOL -> HeapArrays.allocate(count, 1, n -> MemorySegment.ofArray(new byte[n]));
        };
    }

    /** A zero-filled, contiguous tensor whose memory belongs to {@code arena}. */
    public static Tensor allocate(Arena arena, DType dtype, long... dims) {
        Shape shape = Shape.of(dims);
        long bytes = dtype.byteSizeFor(shape.elementCount());
        MemorySegment seg = arena.allocate(Math.max(bytes, 1), 64).asSlice(0, bytes);
        return new Tensor(seg, dtype, shape, shape.contiguousStrides(), 0, null);
    }

    /** A contiguous view of {@code segment}, which must hold exactly shape×dtype bytes. */
    public static Tensor wrap(MemorySegment segment, DType dtype, long... dims) {
        Shape shape = Shape.of(dims);
        long bytes = dtype.byteSizeFor(shape.elementCount());
        if (segment.byteSize() != bytes)
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes cannot hold " + dtype + shape + " (" + bytes + " bytes)");
        return new Tensor(segment, dtype, shape, shape.contiguousStrides(), 0, null);
    }

    /** An F32 tensor that views {@code data} (no copy). */
    public static Tensor of(float[] data, long... dims) {
        Shape shape = Shape.of(dims);
        if (shape.elementCount() != data.length)
            throw new IllegalArgumentException(data.length + " values cannot fill shape " + shape);
        return new Tensor(MemorySegment.ofArray(data), DType.F32, shape, shape.contiguousStrides(), 0, null);
    }

    /** A 1-D F32 tensor that views {@code data}. */
    public static Tensor of(float... data) {
        return of(data, data.length);
    }

    /** An I64 tensor holding a copy of {@code values}, shaped {@code dims}. */
    public static Tensor ofLongs(long[] values, long... dims) {
        Shape shape = Shape.of(dims);
        if (shape.elementCount() != values.length)
            throw new IllegalArgumentException(values.length + " values cannot fill shape " + shape);
        return new Tensor(MemorySegment.ofArray(values.clone()), DType.I64, shape, shape.contiguousStrides(), 0, null);
    }

    /** A tensor with dtype and shape but no data, tagged with {@code traceTag} (used by the tracer). */
    public static Tensor symbolic(DType dtype, Shape shape, Object traceTag) {
        return new Tensor(null, dtype, shape, shape.contiguousStrides(), 0, traceTag);
    }

    // ---------------------------------------------------------------- facts

    public MemorySegment segment() {
        requireData("segment");
        return segment;
    }

    public DType dtype() {
        return dtype;
    }

    public Shape shape() {
        return shape;
    }

    public int rank() {
        return shape.rank();
    }

    public long dim(int axis) {
        return shape.dim(axis);
    }

    public long elementCount() {
        return shape.elementCount();
    }

    /** Bytes covered by the elements, as if contiguous. */
    public long byteSize() {
        return dtype.byteSizeFor(elementCount());
    }

    public long[] strides() {
        return strides.clone();
    }

    public long stride(int axis) {
        return strides[shape.normalizeAxis(axis)];
    }

    /** Offset of element 0 in elements from the start of the segment. */
    public long offset() {
        return offset;
    }

    /** Offset of element 0 in bytes from the start of the segment. */
    public long byteOffset() {
        return offset * dtype.byteSize();
    }

    public boolean isSymbolic() {
        return segment == null;
    }

    public Object traceTag() {
        return traceTag;
    }

    /** A symbolic copy of this tensor's metadata with another trace tag. */
    public Tensor withTraceTag(Object tag) {
        return new Tensor(null, dtype, shape, strides, offset, tag);
    }

    /** True when elements are laid out row-major without gaps. */
    public boolean isContiguous() {
        long expected = 1;
        for (int i = shape.rank() - 1; i >= 0; i--) {
            long d = shape.dim(i);
            if (d != 1 && strides[i] != expected) return false;
            expected *= d;
        }
        return true;
    }

    // ---------------------------------------------------------------- views

    /** A view with a new shape; requires a contiguous tensor. One dimension may be -1 (inferred). */
    public Tensor reshape(long... dims) {
        long[] d = dims.clone();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                if (inferred >= 0) throw new IllegalArgumentException("only one dimension may be -1 in " + Arrays.toString(dims));
                inferred = i;
            } else {
                known = Math.multiplyExact(known, d[i]);
            }
        }
        if (inferred >= 0) {
            if (known == 0 || elementCount() % known != 0)
                throw new IllegalArgumentException("cannot reshape " + shape + " to " + Arrays.toString(dims));
            d[inferred] = elementCount() / known;
        }
        Shape target = Shape.of(d);
        if (target.elementCount() != elementCount())
            throw new IllegalArgumentException("cannot reshape " + shape + " (" + elementCount() + " elements) to " + target);
        if (!isContiguous())
            throw new IllegalStateException("reshape of a non-contiguous tensor " + shape + " strides " + Arrays.toString(strides) + "; call contiguous() first");
        return new Tensor(segment, dtype, target, target.contiguousStrides(), offset, traceTag);
    }

    /** A view with axes {@code a} and {@code b} swapped. */
    public Tensor transpose(int a, int b) {
        int[] order = new int[rank()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        int x = shape.normalizeAxis(a), y = shape.normalizeAxis(b);
        order[x] = y;
        order[y] = x;
        return permute(order);
    }

    /** A view whose axis i is this tensor's axis {@code order[i]}. */
    public Tensor permute(int... order) {
        if (order.length != rank()) throw new IllegalArgumentException("permute order " + Arrays.toString(order) + " for rank " + rank());
        long[] dims = new long[order.length];
        long[] st = new long[order.length];
        boolean[] seen = new boolean[order.length];
        for (int i = 0; i < order.length; i++) {
            int src = shape.normalizeAxis(order[i]);
            if (seen[src]) throw new IllegalArgumentException("permute order repeats axis " + src + ": " + Arrays.toString(order));
            seen[src] = true;
            dims[i] = shape.dim(src);
            st[i] = strides[src];
        }
        return new Tensor(segment, dtype, Shape.of(dims), st, offset, traceTag);
    }

    /** A view of {@code length} entries of {@code axis} starting at {@code start}. */
    public Tensor narrow(int axis, long start, long length) {
        int a = shape.normalizeAxis(axis);
        if (start < 0 || length < 0 || start + length > shape.dim(a))
            throw new IndexOutOfBoundsException("narrow(" + axis + ", " + start + ", " + length + ") on shape " + shape);
        return new Tensor(segment, dtype, shape.with(a, length), strides, offset + start * strides[a], traceTag);
    }

    /** A view of entry {@code index} of {@code axis}, with that axis removed. */
    public Tensor select(int axis, long index) {
        int a = shape.normalizeAxis(axis);
        if (index < 0 || index >= shape.dim(a))
            throw new IndexOutOfBoundsException("select(" + axis + ", " + index + ") on shape " + shape);
        long[] st = new long[rank() - 1];
        for (int i = 0, j = 0; i < rank(); i++) if (i != a) st[j++] = strides[i];
        return new Tensor(segment, dtype, shape.without(a), st, offset + index * strides[a], traceTag);
    }

    /** A view with a new axis of size 1 at {@code axis}. */
    public Tensor unsqueeze(int axis) {
        int a = axis < 0 ? axis + rank() + 1 : axis;
        if (a < 0 || a > rank()) throw new IllegalArgumentException("unsqueeze axis " + axis + " for rank " + rank());
        long[] dims = new long[rank() + 1];
        long[] st = new long[rank() + 1];
        for (int i = 0, j = 0; i <= rank(); i++) {
            if (i == a) {
                dims[i] = 1;
                st[i] = a < rank() ? strides[a] * shape.dim(a) : 1;
            } else {
                dims[i] = shape.dim(j);
                st[i] = strides[j++];
            }
        }
        return new Tensor(segment, dtype, Shape.of(dims), st, offset, traceTag);
    }

    // ---------------------------------------------------------------- copies

    /** This tensor if contiguous, else a contiguous heap copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : copy();
    }

    /** A contiguous heap copy. */
    public Tensor copy() {
        requireData("copy");
        Tensor out = allocate(dtype, shape.toArray());
        copyTo(out);
        return out;
    }

    /** A contiguous copy whose memory belongs to {@code arena}. */
    public Tensor copyInto(Arena arena) {
        requireData("copyInto");
        Tensor out = allocate(arena, dtype, shape.toArray());
        copyTo(out);
        return out;
    }

    /** Copies this tensor's elements into {@code target}, which must have the same dtype and shape. */
    public void copyTo(Tensor target) {
        requireData("copyTo");
        if (target.dtype != dtype || !target.shape.equals(shape))
            throw new IllegalArgumentException("copyTo " + target.dtype + target.shape + " from " + dtype + shape);
        if (isContiguous() && target.isContiguous()) {
            MemorySegment.copy(segment, byteOffset(), target.segment, target.byteOffset(), byteSize());
            return;
        }
        long n = elementCount();
        long[] index = new long[rank()];
        int width = dtype.byteSize();
        for (long i = 0; i < n; i++) {
            MemorySegment.copy(segment, elementByteOffset(index), target.segment, target.elementByteOffset(index), width);
            increment(index);
        }
    }

    /** A contiguous heap copy converted to {@code target} dtype (RNE narrowing, FP8 saturating). */
    public Tensor to(DType target) {
        requireData("to");
        if (target == dtype) return copy();
        Tensor out = allocate(target, shape.toArray());
        long n = elementCount();
        long[] index = new long[rank()];
        for (long i = 0; i < n; i++) {
            if (target.isFloatingPoint()) out.setFlat(i, getDouble(index));
            else out.setFlatLong(i, getLong(index));
            increment(index);
        }
        return out;
    }

    /** All elements in row-major order as float32. */
    public float[] toFloatArray() {
        requireData("toFloatArray");
        long n = elementCount();
        if (n > Integer.MAX_VALUE) throw new IllegalStateException("tensor " + shape + " too large for a float[]");
        float[] out = new float[(int) n];
        if (dtype == DType.F32 && isContiguous()) {
            MemorySegment.copy(segment, F32, byteOffset(), out, 0, out.length);
            return out;
        }
        long[] index = new long[rank()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) getDouble(index);
            increment(index);
        }
        return out;
    }

    /** All elements in row-major order as long (integer dtypes, or floats truncated toward zero). */
    public long[] toLongArray() {
        requireData("toLongArray");
        long[] out = new long[Math.toIntExact(elementCount())];
        long[] index = new long[rank()];
        for (int i = 0; i < out.length; i++) {
            out[i] = getLong(index);
            increment(index);
        }
        return out;
    }

    // ---------------------------------------------------------------- element access

    /** Element at {@code index} as float (any dtype). */
    public float getFloat(long... index) {
        return (float) getDouble(index);
    }

    /** Element at {@code index} as double (any dtype). */
    public double getDouble(long... index) {
        long at = elementByteOffset(index);
        return readDouble(at);
    }

    /** Element at {@code index} as long (integer dtypes exact; floats truncated). */
    public long getLong(long... index) {
        long at = elementByteOffset(index);
        return switch (dtype) {
            case I64 -> segment.get(I64, at);
            case I32 -> segment.get(I32, at);
            case I16 -> segment.get(I16, at);
            case I8 -> segment.get(I8, at);
            case U8, BOOL -> segment.get(I8, at) & 0xFF;
            default -> (long) readDouble(at);
        };
    }

    /** Writes {@code value} at {@code index}, converting to this dtype (RNE, FP8 saturating). */
    public void setFloat(float value, long... index) {
        writeDouble(elementByteOffset(index), value);
    }

    /** Writes {@code value} at {@code index}, converting to this dtype. */
    public void setDouble(double value, long... index) {
        writeDouble(elementByteOffset(index), value);
    }

    /** Writes an integer at {@code index}; for float dtypes it is converted. */
    public void setLong(long value, long... index) {
        writeLong(elementByteOffset(index), value);
    }

    /** Element {@code flatIndex} in row-major order as float; the tensor must be contiguous. */
    public float getFlat(long flatIndex) {
        return (float) readDouble(flatByteOffset(flatIndex));
    }

    /** Writes element {@code flatIndex} in row-major order; the tensor must be contiguous. */
    public void setFlat(long flatIndex, double value) {
        writeDouble(flatByteOffset(flatIndex), value);
    }

    /** Writes integer element {@code flatIndex} in row-major order; the tensor must be contiguous. */
    public void setFlatLong(long flatIndex, long value) {
        writeLong(flatByteOffset(flatIndex), value);
    }

    private long flatByteOffset(long flatIndex) {
        requireData("element access");
        if (!isContiguous()) throw new IllegalStateException("flat access needs a contiguous tensor, got strides " + Arrays.toString(strides));
        if (flatIndex < 0 || flatIndex >= elementCount())
            throw new IndexOutOfBoundsException("flat index " + flatIndex + " for shape " + shape);
        return (offset + flatIndex) * dtype.byteSize();
    }

    private long elementByteOffset(long[] index) {
        requireData("element access");
        if (index.length != rank())
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " has rank " + index.length + ", tensor " + shape + " has rank " + rank());
        long element = offset;
        for (int i = 0; i < index.length; i++) {
            long d = shape.dim(i);
            if (index[i] < 0 || index[i] >= d)
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of bounds for shape " + shape);
            element += index[i] * strides[i];
        }
        return element * dtype.byteSize();
    }

    private double readDouble(long at) {
        return switch (dtype) {
            case F64 -> segment.get(F64, at);
            case F32 -> segment.get(F32, at);
            case F16 -> FloatFormats.f16ToFloat(segment.get(I16, at));
            case BF16 -> FloatFormats.bf16ToFloat(segment.get(I16, at));
            case F8_E4M3 -> FloatFormats.e4m3ToFloat(segment.get(I8, at));
            case F8_E5M2 -> FloatFormats.e5m2ToFloat(segment.get(I8, at));
            case I64 -> segment.get(I64, at);
            case I32 -> segment.get(I32, at);
            case I16 -> segment.get(I16, at);
            case I8 -> segment.get(I8, at);
            case U8, BOOL -> segment.get(I8, at) & 0xFF;
        };
    }

    private void writeDouble(long at, double value) {
        switch (dtype) {
            case F64 -> segment.set(F64, at, value);
            case F32 -> segment.set(F32, at, (float) value);
            case F16 -> segment.set(I16, at, FloatFormats.floatToF16((float) value));
            case BF16 -> segment.set(I16, at, FloatFormats.floatToBf16((float) value));
            case F8_E4M3 -> segment.set(I8, at, FloatFormats.floatToE4M3((float) value));
            case F8_E5M2 -> segment.set(I8, at, FloatFormats.floatToE5M2((float) value));
            default -> writeLong(at, (long) value);
        }
    }

    private void writeLong(long at, long value) {
        switch (dtype) {
            case I64 -> segment.set(I64, at, value);
            case I32 -> segment.set(I32, at, (int) value);
            case I16 -> segment.set(I16, at, (short) value);
            case I8, U8 -> segment.set(I8, at, (byte) value);
            case BOOL -> segment.set(I8, at, (byte) (value != 0 ? 1 : 0));
            default -> writeDouble(at, value);
        }
    }

    private void increment(long[] index) {
        for (int i = index.length - 1; i >= 0; i--) {
            if (++index[i] < shape.dim(i)) return;
            index[i] = 0;
        }
    }

    private void requireData(String operation) {
        if (segment == null) throw new SymbolicAccessException(operation, this);
    }

    @Override
    public String toString() {
        return (isSymbolic() ? "SymbolicTensor" : "Tensor") + "(" + dtype + shape + ")";
    }
}
