package io.llmc4j.gpu;

import io.llmc4j.engine.ops.Reduction;
import java.lang.foreign.MemorySegment;

/**
 * What a device driver binding provides to {@link DeviceAccelerator}: memory, copies and the three
 * kernel families (strided GEMM, two-phase axis reduction). Calls are issued in order on one queue
 * or stream; copies to the host complete before they return. Implementations are not thread-safe:
 * {@link DeviceAccelerator} serializes calls. Public so that benchmarks can time device-resident
 * work without transfers.
 */
public interface DeviceBackend extends AutoCloseable {
    /** Elements of the reduced axis that one first-phase work item combines ({@link #reduce}). */
    int REDUCE_CHUNK = 256;

    /** The backend and device, e.g. {@code "opencl:NVIDIA H200"}. */
    String name();

    /** Total device memory in bytes, as the driver reports it. */
    long memoryBytes();

    /** Uninitialized device memory of {@code bytes} bytes (at least one byte is allocated). */
    DeviceBuffer allocate(long bytes);

    /** Copies {@code host} (native memory) into {@code target} from byte {@code targetOffset}. */
    void upload(MemorySegment host, DeviceBuffer target, long targetOffset);

    /** Copies {@code host.byteSize()} bytes from {@code source} at byte {@code sourceOffset} into {@code host} (native); returns when done. */
    void download(DeviceBuffer source, long sourceOffset, MemorySegment host);

    /** Enqueues a product (see {@link GemmCall}) with the kernels of {@code tile} ({@link GemmTile#AUTO} resolved per call). */
    void gemm(GemmCall call, GemmTile tile);

    /**
     * Enqueues the reduction of F32 x seen as {@code [outer, n, inner]} over n into out
     * {@code [outer, inner]}, n ≥ 1: phase one reduces fixed chunks of {@link #REDUCE_CHUNK} into
     * {@code partials} ({@code outer·chunks·inner} floats), phase two combines the chunks in order, so
     * the result does not depend on the device's scheduling.
     */
    void reduce(Reduction reduction, DeviceBuffer x, long outer, long n, long inner, DeviceBuffer partials, DeviceBuffer out);

    /** Waits until every enqueued operation has finished. */
    void finish();

    @Override
    void close();
}
