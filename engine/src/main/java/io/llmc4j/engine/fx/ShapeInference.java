package io.llmc4j.engine.fx;

import io.llmc4j.engine.ops.Kernels;
import io.llmc4j.engine.ops.OpCode;
import io.llmc4j.engine.ops.Reduction;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import io.llmc4j.engine.tensor.Tensor;

/**
 * The dtype and shape of each {@link OpCode}'s result, computed from its arguments' metadata alone
 * (no data is read). Arguments come in the order {@code Ops} passes them to {@code Ops.invoke}.
 * Compute ops give fresh contiguous F32 results ({@link Kernels}' contract; {@code CONVERT} gives
 * its target dtype); view ops give the same view metadata the real op would (strides and offset
 * included), so model code that inspects layout behaves the same while tracing.
 *
 * <p>Arguments are checked as the kernels would check them; a mismatch throws
 * {@link IllegalArgumentException} naming the op and the shapes. Stateless and thread-safe.
 */
public final class ShapeInference {
    private ShapeInference() {
    }

    /** A symbolic tensor tagged {@code tag} with the metadata of {@code op(args)}. */
    public static Tensor resultOf(OpCode op, Object[] args, Object tag) {
        return switch (op) {
            case LINEAR -> linear(tensor(op, args, 0), tensor(op, args, 1), optionalTensor(op, args, 2), tag);
            case MATMUL -> matmul(tensor(op, args, 0), tensor(op, args, 1), tag);
            case EMBEDDING -> embedding(tensor(op, args, 0), tensor(op, args, 1), tag);
            case RMS_NORM -> rmsNorm(tensor(op, args, 0), tensor(op, args, 1), tag);
            case ADD, MUL -> broadcast(op, tensor(op, args, 0), tensor(op, args, 1), tag);
            case CLAMPED_SWIGLU -> fresh(DType.F32, tensor(op, args, 0).shape(), tag);
            case SCALE, SILU, GELU, SOFTCAP, SOFTMAX -> fresh(DType.F32, tensor(op, args, 0).shape(), tag);
            case ROPE -> rope(tensor(op, args, 0), tensor(op, args, 1), tensor(op, args, 2), tag);
            case ATTENTION -> attention(tensor(op, args, 0), tensor(op, args, 1), tensor(op, args, 2), optionalTensor(op, args, 3), tag);
            case REDUCE -> reduce((Reduction) args[0], tensor(op, args, 1), (Integer) args[2], tag);
            case CONVERT -> fresh((DType) args[1], tensor(op, args, 0).shape(), tag);
            case RESHAPE -> reshape(tensor(op, args, 0), (long[]) args[1], tag);
            case TRANSPOSE -> tensor(op, args, 0).withTraceTag(tag).transpose((Integer) args[1], (Integer) args[2]);
            case CONTIGUOUS -> contiguous(tensor(op, args, 0), tag);
            case NARROW -> tensor(op, args, 0).withTraceTag(tag).narrow((Integer) args[1], (Long) args[2], (Long) args[3]);
            case SELECT -> tensor(op, args, 0).withTraceTag(tag).select((Integer) args[1], (Long) args[2]);
        };
    }

    private static Tensor linear(Tensor x, Tensor weight, Tensor bias, Object tag) {
        if (x.rank() < 1 || weight.rank() != 2 || weight.dim(1) != x.shape().last())
            throw mismatch(OpCode.LINEAR, "weight " + weight.shape() + " does not match input " + x.shape() + " (expected [out, " + lastOrNone(x) + "])");
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != weight.dim(0)))
            throw mismatch(OpCode.LINEAR, "bias " + bias.shape() + " does not match weight " + weight.shape());
        return fresh(DType.F32, x.shape().with(-1, weight.dim(0)), tag);
    }

    private static Tensor matmul(Tensor a, Tensor b, Object tag) {
        if (a.rank() != 2 || b.rank() != 2 || a.dim(1) != b.dim(0))
            throw mismatch(OpCode.MATMUL, "shapes " + a.shape() + " and " + b.shape() + " do not chain");
        return fresh(DType.F32, Shape.of(a.dim(0), b.dim(1)), tag);
    }

    private static Tensor embedding(Tensor ids, Tensor table, Object tag) {
        if (ids.dtype().isFloatingPoint())
            throw mismatch(OpCode.EMBEDDING, "ids must have an integer dtype, got " + ids.dtype());
        if (table.rank() != 2) throw mismatch(OpCode.EMBEDDING, "table must be [vocab, hidden], got " + table.shape());
        long[] dims = new long[ids.rank() + 1];
        System.arraycopy(ids.shape().toArray(), 0, dims, 0, ids.rank());
        dims[ids.rank()] = table.dim(1);
        return fresh(DType.F32, Shape.of(dims), tag);
    }

    private static Tensor rmsNorm(Tensor x, Tensor weight, Object tag) {
        if (x.rank() < 1 || weight.rank() != 1 || weight.dim(0) != x.shape().last())
            throw mismatch(OpCode.RMS_NORM, "weight " + weight.shape() + " does not match features of " + x.shape());
        return fresh(DType.F32, x.shape(), tag);
    }

    private static Tensor broadcast(OpCode op, Tensor a, Tensor b, Object tag) {
        boolean suffix = b.rank() <= a.rank();
        for (int i = 1; suffix && i <= b.rank(); i++) suffix = b.dim(-i) == a.dim(-i);
        if (!suffix) throw mismatch(op, "shape " + b.shape() + " does not broadcast to " + a.shape() + " (it must be a suffix)");
        return fresh(DType.F32, a.shape(), tag);
    }

    private static Tensor rope(Tensor x, Tensor cos, Tensor sin, Object tag) {
        if (x.rank() != 4) throw mismatch(OpCode.ROPE, "x must be [batch, tokens, heads, headDim], got " + x.shape());
        Shape expected = Shape.of(x.dim(0), x.dim(1), x.dim(3));
        if (!cos.shape().equals(expected) || !sin.shape().equals(expected))
            throw mismatch(OpCode.ROPE, "cos " + cos.shape() + " and sin " + sin.shape() + " must be " + expected + " for x " + x.shape());
        return fresh(DType.F32, x.shape(), tag);
    }

    private static Tensor attention(Tensor q, Tensor k, Tensor v, Tensor mask, Object tag) {
        if (q.rank() != 4 || k.rank() != 4 || !k.shape().equals(v.shape()))
            throw mismatch(OpCode.ATTENTION, "q " + q.shape() + ", k " + k.shape() + ", v " + v.shape()
                    + " must be [batch, tokens, heads, headDim] with k and v alike");
        if (q.dim(0) != k.dim(0) || q.dim(1) != k.dim(1) || q.dim(3) != k.dim(3) || k.dim(2) == 0 || q.dim(2) % k.dim(2) != 0)
            throw mismatch(OpCode.ATTENTION, "q " + q.shape() + " does not match k " + k.shape() + " (query heads must be a multiple of kv heads)");
        if (mask != null && !mask.shape().equals(Shape.of(q.dim(0), q.dim(1))))
            throw mismatch(OpCode.ATTENTION, "mask " + mask.shape() + " must be [batch, tokens] = " + Shape.of(q.dim(0), q.dim(1)));
        return fresh(DType.F32, q.shape(), tag);
    }

    private static Tensor reduce(Reduction reduction, Tensor x, int axis, Object tag) {
        if (reduction == null) throw mismatch(OpCode.REDUCE, "reduction is null");
        return fresh(DType.F32, x.shape().without(axis), tag);
    }

    private static Tensor reshape(Tensor x, long[] dims, Object tag) {
        Tensor contiguous = x.isContiguous() ? x.withTraceTag(tag) : fresh(x.dtype(), x.shape(), tag);
        return contiguous.reshape(dims);
    }

    private static Tensor contiguous(Tensor x, Object tag) {
        return x.isContiguous() ? x.withTraceTag(tag) : fresh(x.dtype(), x.shape(), tag);
    }

    private static Tensor fresh(DType dtype, Shape shape, Object tag) {
        return Tensor.symbolic(dtype, shape, tag);
    }

    private static Tensor tensor(OpCode op, Object[] args, int i) {
        if (i >= args.length || !(args[i] instanceof Tensor t))
            throw mismatch(op, "argument " + i + " must be a tensor, got " + (i < args.length ? args[i] : "nothing"));
        return t;
    }

    private static Tensor optionalTensor(OpCode op, Object[] args, int i) {
        return i < args.length && args[i] == null ? null : tensor(op, args, i);
    }

    private static String lastOrNone(Tensor x) {
        return x.rank() == 0 ? "?" : String.valueOf(x.shape().last());
    }

    private static IllegalArgumentException mismatch(OpCode op, String detail) {
        return new IllegalArgumentException(op + ": " + detail);
    }
}
