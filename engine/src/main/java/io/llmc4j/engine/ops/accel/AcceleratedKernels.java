package io.llmc4j.engine.ops.accel;

import io.llmc4j.engine.ops.Kernels;
import io.llmc4j.engine.ops.Reduction;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;

/**
 * {@link Kernels} whose Linear and matmul go to an {@link Accelerator}; every other operation
 * (norms, attention, element-wise, reductions, conversions) stays on the wrapped CPU kernels. This
 * is how {@code --device} reaches model forwards (calibration, evaluation, generation). Closing it
 * closes the accelerator. Thread-safe when both parts are.
 */
public final class AcceleratedKernels implements Kernels, AutoCloseable {
    private final Kernels cpu;
    private final Accelerator accelerator;

    public AcceleratedKernels(Kernels cpu, Accelerator accelerator) {
        this.cpu = cpu;
        this.accelerator = accelerator;
    }

    public Accelerator accelerator() {
        return accelerator;
    }

    /** The CPU kernels every operation other than Linear and matmul runs on. */
    public Kernels cpu() {
        return cpu;
    }

    @Override
    public Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return accelerator.linear(x, weight, bias);
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        return accelerator.matmul(a, b);
    }

    @Override
    public Tensor embedding(Tensor ids, Tensor table) {
        return cpu.embedding(ids, table);
    }

    @Override
    public Tensor rmsNorm(Tensor x, Tensor weight, float eps) {
        return cpu.rmsNorm(x, weight, eps);
    }

    @Override
    public Tensor add(Tensor a, Tensor b) {
        return cpu.add(a, b);
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        return cpu.mul(a, b);
    }

    @Override
    public Tensor scale(Tensor a, float factor) {
        return cpu.scale(a, factor);
    }

    @Override
    public Tensor silu(Tensor x) {
        return cpu.silu(x);
    }

    @Override
    public Tensor gelu(Tensor x) {
        return cpu.gelu(x);
    }

    @Override
    public Tensor softmax(Tensor x) {
        return cpu.softmax(x);
    }

    @Override
    public Tensor rope(Tensor x, Tensor cos, Tensor sin) {
        return cpu.rope(x, cos, sin);
    }

    @Override
    public Tensor attention(Tensor q, Tensor k, Tensor v, Tensor mask, float scale, int window, float softcap, Tensor sinks) {
        return cpu.attention(q, k, v, mask, scale, window, softcap, sinks);
    }

    @Override
    public Tensor clampedSwiglu(Tensor gate, Tensor up, float alpha, float limit) {
        return cpu.clampedSwiglu(gate, up, alpha, limit);
    }

    @Override
    public Tensor softcap(Tensor x, float cap) {
        return cpu.softcap(x, cap);
    }

    @Override
    public Tensor reduce(Reduction reduction, Tensor x, int axis) {
        return cpu.reduce(reduction, x, axis);
    }

    @Override
    public Tensor convert(Tensor x, DType dtype) {
        return cpu.convert(x, dtype);
    }

    @Override
    public void close() {
        accelerator.close();
    }

    @Override
    public String toString() {
        return "AcceleratedKernels(" + accelerator.name() + " for linear/matmul, " + cpu + ")";
    }
}
