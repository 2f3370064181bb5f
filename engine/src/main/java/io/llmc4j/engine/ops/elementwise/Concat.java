package io.llmc4j.engine.ops.elementwise;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import io.llmc4j.engine.tensor.Tensor;

/**
 * Concatenation of two tensors along {@code axis} (torch.cat), where on every other axis the sizes
 * are equal or one of them is 1 and is repeated (torch's expand before the cat, as DeepSeek's shared
 * rotary key is expanded over the heads). Any float dtype and layout in; a new contiguous F32 heap
 * tensor out. A copy, so one implementation serves both kernel sets. Thread-safe.
 */
public final class Concat {
    private Concat() {
    }

    /** The result shape, or an IllegalArgumentException naming both shapes. */
    public static Shape shape(Tensor a, Tensor b, int axis) {
        if (a.rank() != b.rank() || axis < 0 || axis >= a.rank())
            throw new IllegalArgumentException("concat: shapes " + a.shape() + " and " + b.shape() + " cannot be joined along axis " + axis);
        long[] dims = new long[a.rank()];
        for (int d = 0; d < dims.length; d++) {
            if (d == axis) {
                dims[d] = a.dim(d) + b.dim(d);
            } else if (a.dim(d) == b.dim(d) || a.dim(d) == 1 || b.dim(d) == 1) {
                dims[d] = Math.max(a.dim(d), b.dim(d));
            } else {
                throw new IllegalArgumentException("concat: shapes " + a.shape() + " and " + b.shape() + " differ on axis " + d);
            }
        }
        return Shape.of(dims);
    }

    public static Tensor apply(Tensor a, Tensor b, int axis) {
        Shape shape = shape(a, b, axis);
        Tensor out = Tensor.allocate(DType.F32, shape.toArray());
        long[] index = new long[shape.rank()], source = new long[shape.rank()];
        for (long i = 0; i < out.elementCount(); i++) {
            boolean first = index[axis] < a.dim(axis);
            Tensor from = first ? a : b;
            for (int d = 0; d < index.length; d++)
                source[d] = d == axis ? (first ? index[d] : index[d] - a.dim(axis)) : (from.dim(d) == 1 ? 0 : index[d]);
            out.setFlat(i, from.getFloat(source));
            for (int d = index.length - 1; d >= 0 && ++index[d] == shape.dim(d); d--) index[d] = 0;
        }
        return out;
    }
}
