package io.llmc4j.engine.tensor;

import java.util.Arrays;

/** An immutable list of non-negative dimension sizes, outermost first (Hugging Face / PyTorch order). */
public final class Shape {
    private final long[] dims;

    private Shape(long[] dims) {
        this.dims = dims;
    }

    public static Shape of(long... dims) {
        long[] copy = dims.clone();
        long count = 1;
        for (long d : copy) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(copy));
            count = Math.multiplyExact(count, d);
        }
        return new Shape(copy);
    }

    public static Shape of(int... dims) {
        return of(Arrays.stream(dims).asLongStream().toArray());
    }

    public int rank() {
        return dims.length;
    }

    /** Size of dimension {@code axis}; negative axes count from the end. */
    public long dim(int axis) {
        return dims[normalizeAxis(axis)];
    }

    /** Size of the last dimension. */
    public long last() {
        return dims[dims.length - 1];
    }

    public long elementCount() {
        long count = 1;
        for (long d : dims) count = Math.multiplyExact(count, d);
        return count;
    }

    public long[] toArray() {
        return dims.clone();
    }

    /** Maps a possibly negative axis into [0, rank). */
    public int normalizeAxis(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length)
            throw new IllegalArgumentException("axis " + axis + " out of range for shape " + this);
        return a;
    }

    /** Row-major strides in elements for this shape. */
    public long[] contiguousStrides() {
        long[] strides = new long[dims.length];
        long s = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            strides[i] = s;
            s = Math.multiplyExact(s, Math.max(dims[i], 1));
        }
        return strides;
    }

    /** This shape with dimension {@code axis} replaced by {@code size}. */
    public Shape with(int axis, long size) {
        long[] copy = dims.clone();
        copy[normalizeAxis(axis)] = size;
        return of(copy);
    }

    /** This shape without dimension {@code axis}. */
    public Shape without(int axis) {
        int a = normalizeAxis(axis);
        long[] out = new long[dims.length - 1];
        for (int i = 0, j = 0; i < dims.length; i++) if (i != a) out[j++] = dims[i];
        return new Shape(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
