package io.llmc4j.engine.ops;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;

/**
 * What model code calls: each method dispatches to the {@link Kernels} chosen at construction, or,
 * when an argument is a symbolic tensor, to that tensor's {@link OpRecorder} (tracing). Methods
 * mirror {@link Kernels}; see there for shapes. View operations are here too so that traces see
 * them. Thread-safe when the kernels are.
 */
public final class Ops {
    private final Kernels kernels;

    public Ops(Kernels kernels) {
        this.kernels = kernels;
    }

    public Kernels kernels() {
        return kernels;
    }

    public Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return invoke(OpCode.LINEAR, x, weight, bias);
    }

    public Tensor matmul(Tensor a, Tensor b) {
        return invoke(OpCode.MATMUL, a, b);
    }

    public Tensor embedding(Tensor ids, Tensor table) {
        return invoke(OpCode.EMBEDDING, ids, table);
    }

    public Tensor rmsNorm(Tensor x, Tensor weight, float eps) {
        return invoke(OpCode.RMS_NORM, x, weight, eps);
    }

    public Tensor add(Tensor a, Tensor b) {
        return invoke(OpCode.ADD, a, b);
    }

    public Tensor mul(Tensor a, Tensor b) {
        return invoke(OpCode.MUL, a, b);
    }

    public Tensor scale(Tensor a, float factor) {
        return invoke(OpCode.SCALE, a, factor);
    }

    public Tensor silu(Tensor x) {
        return invoke(OpCode.SILU, x);
    }

    public Tensor gelu(Tensor x) {
        return invoke(OpCode.GELU, x);
    }

    public Tensor softmax(Tensor x) {
        return invoke(OpCode.SOFTMAX, x);
    }

    public Tensor rope(Tensor x, Tensor cos, Tensor sin) {
        return invoke(OpCode.ROPE, x, cos, sin);
    }

    public Tensor attention(Tensor q, Tensor k, Tensor v, Tensor mask, float scale) {
        return attention(q, k, v, mask, scale, 0, 0f, null);
    }

    /** Attention with a sliding window (≤ 0: none), logit soft-cap (≤ 0: none) and sinks (or null); see {@link Kernels}. */
    public Tensor attention(Tensor q, Tensor k, Tensor v, Tensor mask, float scale, int window, float softcap, Tensor sinks) {
        return invoke(OpCode.ATTENTION, q, k, v, mask, scale, window, softcap, sinks);
    }

    /** gpt-oss's clamped SwiGLU; see {@link Kernels#clampedSwiglu}. */
    public Tensor clampedSwiglu(Tensor gate, Tensor up, float alpha, float limit) {
        return invoke(OpCode.CLAMPED_SWIGLU, gate, up, alpha, limit);
    }

    /** cap·tanh(x/cap). */
    public Tensor softcap(Tensor x, float cap) {
        return invoke(OpCode.SOFTCAP, x, cap);
    }

    public Tensor reduce(Reduction reduction, Tensor x, int axis) {
        return invoke(OpCode.REDUCE, reduction, x, axis);
    }

    public Tensor convert(Tensor x, DType dtype) {
        return invoke(OpCode.CONVERT, x, dtype);
    }

    public Tensor reshape(Tensor x, long... dims) {
        return invoke(OpCode.RESHAPE, x, dims);
    }

    public Tensor transpose(Tensor x, int a, int b) {
        return invoke(OpCode.TRANSPOSE, x, a, b);
    }

    public Tensor contiguous(Tensor x) {
        return invoke(OpCode.CONTIGUOUS, x);
    }

    /** A view of {@code length} entries of {@code axis} from {@code start}. */
    public Tensor narrow(Tensor x, int axis, long start, long length) {
        return invoke(OpCode.NARROW, x, axis, start, length);
    }

    /** A view of entry {@code index} of {@code axis}, that axis removed. */
    public Tensor select(Tensor x, int axis, long index) {
        return invoke(OpCode.SELECT, x, axis, index);
    }

    /**
     * Runs {@code op} on {@code args} (the same argument order as the named method). Routes to the
     * recorder of the first symbolic tensor argument, if any.
     */
    public Tensor invoke(OpCode op, Object... args) {
        for (Object arg : args) {
            if (arg instanceof Tensor t && t.isSymbolic()) {
                if (t.traceTag() instanceof OpRecorder recorder) return recorder.record(op, args);
                throw new IllegalStateException(op + " on a symbolic tensor with no recorder: " + t);
            }
        }
        return switch (op) {
            case LINEAR -> kernels.linear((Tensor) args[0], (Tensor) args[1], (Tensor) args[2]);
            case MATMUL -> kernels.matmul((Tensor) args[0], (Tensor) args[1]);
            case EMBEDDING -> kernels.embedding((Tensor) args[0], (Tensor) args[1]);
            case RMS_NORM -> kernels.rmsNorm((Tensor) args[0], (Tensor) args[1], (Float) args[2]);
            case ADD -> kernels.add((Tensor) args[0], (Tensor) args[1]);
            case MUL -> kernels.mul((Tensor) args[0], (Tensor) args[1]);
            case SCALE -> kernels.scale((Tensor) args[0], (Float) args[1]);
            case SILU -> kernels.silu((Tensor) args[0]);
            case GELU -> kernels.gelu((Tensor) args[0]);
            case SOFTMAX -> kernels.softmax((Tensor) args[0]);
            case ROPE -> kernels.rope((Tensor) args[0], (Tensor) args[1], (Tensor) args[2]);
            case ATTENTION -> kernels.attention((Tensor) args[0], (Tensor) args[1], (Tensor) args[2], (Tensor) args[3], (Float) args[4],
                    (Integer) args[5], (Float) args[6], (Tensor) args[7]);
            case CLAMPED_SWIGLU -> kernels.clampedSwiglu((Tensor) args[0], (Tensor) args[1], (Float) args[2], (Float) args[3]);
            case SOFTCAP -> kernels.softcap((Tensor) args[0], (Float) args[1]);
            case REDUCE -> kernels.reduce((Reduction) args[0], (Tensor) args[1], (Integer) args[2]);
            case CONVERT -> kernels.convert((Tensor) args[0], (DType) args[1]);
            case RESHAPE -> ((Tensor) args[0]).contiguous().reshape((long[]) args[1]);
            case TRANSPOSE -> ((Tensor) args[0]).transpose((Integer) args[1], (Integer) args[2]);
            case CONTIGUOUS -> ((Tensor) args[0]).contiguous();
            case NARROW -> ((Tensor) args[0]).narrow((Integer) args[1], (Long) args[2], (Long) args[3]);
            case SELECT -> ((Tensor) args[0]).select((Integer) args[1], (Long) args[2]);
        };
    }
}
