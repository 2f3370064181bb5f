package io.llmc4j.gpu;

/** Device memory owned by a {@link DeviceBackend}; {@link #close()} frees it (idempotent). */
public interface DeviceBuffer extends AutoCloseable {
    /** Size in bytes. */
    long bytes();

    @Override
    void close();
}
