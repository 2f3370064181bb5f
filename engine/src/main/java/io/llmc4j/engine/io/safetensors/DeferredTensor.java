package io.llmc4j.engine.io.safetensors;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A tensor declared by dtype and shape whose data is made only when a writer reaches it, so a
 * checkpoint larger than memory can be written one tensor at a time (see
 * {@link SafetensorsShardedWriter#writeDeferred}). The writer calls {@link #data()} once, writes the
 * result and drops its reference; the supplier must return a tensor of exactly the declared dtype and
 * shape (any layout), and whatever memory it allocates is the supplier's to manage (heap tensors are
 * simply collected).
 *
 * @param dtype the dtype the header declares
 * @param shape the shape the header declares
 * @param data  makes the tensor's data; called on the writing thread
 */
public record DeferredTensor(DType dtype, Shape shape, Supplier<Tensor> data) {
    public DeferredTensor {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
    }

    /** Bytes of data the tensor will occupy. */
    public long byteSize() {
        return dtype.byteSizeFor(shape.elementCount());
    }
}
