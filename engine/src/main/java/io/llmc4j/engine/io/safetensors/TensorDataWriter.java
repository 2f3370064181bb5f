package io.llmc4j.engine.io.safetensors;

import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Streams bytes to a {@link FileChannel} through one small off-heap staging buffer, so writing a
 * tensor never needs a copy of the whole tensor: contiguous tensors are copied in buffer-sized chunks,
 * strided views row by row (or element by element when the last axis is strided), in row-major order.
 * Element bytes are copied as they are, so the file gets the tensor's own little-endian encoding.
 *
 * <p>Works for heap-backed segments of any array type, off-heap and mapped segments alike. Owns its
 * staging memory (freed by {@link #close()}); confined to the creating thread.
 */
final class TensorDataWriter implements AutoCloseable {
    static final int DEFAULT_BUFFER_BYTES = 1 << 20;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;

    private final FileChannel channel;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment staging;
    private final ByteBuffer stagingBuffer;
    private long filled;

    TensorDataWriter(FileChannel channel, int bufferBytes) {
        this.channel = channel;
        this.staging = arena.allocate(bufferBytes, 64);
        this.stagingBuffer = staging.asByteBuffer();
    }

    /** Appends {@code bytes}. */
    void write(byte[] bytes) throws IOException {
        append(MemorySegment.ofArray(bytes), 0, bytes.length);
    }

    /** Appends {@code tensor}'s elements in row-major order. */
    void write(Tensor tensor) throws IOException {
        if (tensor.elementCount() == 0) return;
        MemorySegment source = tensor.segment();
        int width = tensor.dtype().byteSize();
        if (tensor.isContiguous()) {
            append(source, tensor.byteOffset(), tensor.byteSize());
            return;
        }
        int rank = tensor.rank();
        long[] dims = tensor.shape().toArray();
        long[] strides = tensor.strides();
        long rowLength = dims[rank - 1];
        long rowStride = strides[rank - 1];
        long rows = tensor.elementCount() / rowLength;
        long[] index = new long[rank - 1];
        for (long r = 0; r < rows; r++) {
            long rowStart = tensor.offset();
            for (int axis = 0; axis < index.length; axis++) rowStart += index[axis] * strides[axis];
            if (rowStride == 1) {
                append(source, rowStart * width, rowLength * width);
            } else {
                for (long j = 0; j < rowLength; j++) appendElement(source, (rowStart + j * rowStride) * width, width);
            }
            for (int axis = index.length - 1; axis >= 0 && ++index[axis] == dims[axis]; axis--) index[axis] = 0;
        }
    }

    /** Writes out whatever is staged. */
    void flush() throws IOException {
        stagingBuffer.clear().limit((int) filled);
        while (stagingBuffer.hasRemaining()) channel.write(stagingBuffer);
        filled = 0;
    }

    @Override
    public void close() {
        arena.close();
    }

    private void append(MemorySegment source, long offset, long length) throws IOException {
        while (length > 0) {
            if (filled == staging.byteSize()) flush();
            long n = Math.min(length, staging.byteSize() - filled);
            MemorySegment.copy(source, offset, staging, filled, n);
            filled += n;
            offset += n;
            length -= n;
        }
    }

    private void appendElement(MemorySegment source, long offset, int width) throws IOException {
        if (filled + width > staging.byteSize()) flush();
        switch (width) {
            case 1 -> staging.set(ValueLayout.JAVA_BYTE, filled, source.get(ValueLayout.JAVA_BYTE, offset));
            case 2 -> staging.set(U16, filled, source.get(U16, offset));
            case 4 -> staging.set(U32, filled, source.get(U32, offset));
            case 8 -> staging.set(U64, filled, source.get(U64, offset));
            default -> MemorySegment.copy(source, offset, staging, filled, width);
        }
        filled += width;
    }
}
