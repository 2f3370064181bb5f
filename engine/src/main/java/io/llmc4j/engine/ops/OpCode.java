package io.llmc4j.engine.ops;

/**
 * Every operation a model's forward may call through {@link Ops}: the kernels plus the view
 * operations. The tracer records one {@code call_function} node per call, with the op code and its
 * arguments, and the interpreter replays it through {@link Ops#invoke}.
 */
public enum OpCode {
    LINEAR, MATMUL, EMBEDDING, RMS_NORM, ADD, MUL, SCALE, SILU, GELU, SOFTCAP, CLAMPED_SWIGLU, SOFTMAX, ROPE, ATTENTION, REDUCE, CONVERT,
    RESHAPE, TRANSPOSE, CONTIGUOUS, NARROW, SELECT
}
