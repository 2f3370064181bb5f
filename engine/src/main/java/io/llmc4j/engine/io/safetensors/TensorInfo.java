package io.llmc4j.engine.io.safetensors;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import java.util.Objects;

/**
 * One tensor's entry in a safetensors header: its name, dtype, shape and the byte range of its data.
 *
 * <p>{@code beginOffset} and {@code endOffset} are the header's {@code data_offsets}: byte offsets
 * relative to the start of the data section (which starts {@code 8 + header length} bytes into the
 * file), end exclusive. A value; reading it never touches tensor data.
 */
public record TensorInfo(String name, DType dtype, Shape shape, long beginOffset, long endOffset) {
    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        if (beginOffset < 0 || endOffset < beginOffset)
            throw new IllegalArgumentException("tensor '" + name + "': data_offsets [" + beginOffset + ", " + endOffset
                    + "] must satisfy 0 <= begin <= end");
    }

    /** Bytes of data the offsets span ({@code endOffset - beginOffset}). */
    public long byteSize() {
        return endOffset - beginOffset;
    }

    /** Bytes that dtype and shape call for; throws {@link ArithmeticException} on overflow. */
    public long expectedByteSize() {
        return dtype.byteSizeFor(shape.elementCount());
    }
}
