package io.llmc4j.engine.fx;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Objects;

/** The dtype and shape a node produced while tracing (torch.fx's {@code meta["tensor_meta"]}). */
public record TensorMeta(DType dtype, Shape shape) {
    public TensorMeta {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
    }

    public static TensorMeta of(Tensor tensor) {
        return new TensorMeta(tensor.dtype(), tensor.shape());
    }

    /** True when {@code tensor} has this dtype and shape. */
    public boolean matches(Tensor tensor) {
        return tensor.dtype() == dtype && tensor.shape().equals(shape);
    }

    @Override
    public String toString() {
        return dtype + "" + shape;
    }
}
