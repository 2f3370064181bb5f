package io.llmc4j.gpu;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.Reduction;
import io.llmc4j.engine.ops.accel.Accelerator;
import io.llmc4j.engine.ops.accel.GramChecks;
import io.llmc4j.engine.ops.convert.TensorConversion;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * An {@link Accelerator} over any {@link DeviceBackend}: the host side shared by OpenCL and CUDA.
 * Operands are converted to contiguous F32 on the host (BF16 weights of Linear stay BF16 and are
 * widened in the kernel), staged in native memory, copied to the device, computed there and copied
 * back into new F32 heap tensors. Weights over read-only memory are kept on the device between calls
 * ({@link WeightCache}). Calls are serialized (one queue); thread-safe.
 */
public final class DeviceAccelerator implements Accelerator {
    private final DeviceBackend backend;
    private final Parallel parallel;
    private final WeightCache weights;
    private GemmTile tile = GemmTile.AUTO;
    private boolean closed;

    /**
     * Takes ownership of {@code backend} and {@code parallel} (host conversions); weights up to
     * {@code weightBudgetBytes} stay cached on the device.
     */
    public DeviceAccelerator(DeviceBackend backend, Parallel parallel, long weightBudgetBytes) {
        this.backend = backend;
        this.parallel = parallel;
        this.weights = new WeightCache(weightBudgetBytes);
    }

    /** A quarter of the device memory for cached weights, at most 16 GiB. */
    public static DeviceAccelerator of(DeviceBackend backend) {
        return new DeviceAccelerator(backend, new Parallel(Runtime.getRuntime().availableProcessors()),
                Math.min(backend.memoryBytes() / 4, 16L << 30));
    }

    @Override
    public String name() {
        return backend.name();
    }

    /** The backend, for benchmarks that time device-resident work. */
    public DeviceBackend backend() {
        return backend;
    }

    /** The GEMM tile used from now on ({@link GemmTile#AUTO} by default; tests force each kernel). */
    public synchronized void gemmTile(GemmTile tile) {
        this.tile = tile;
    }

    /** Weight uploads so far (a cached weight counts once). */
    public synchronized long weightUploads() {
        return weights.uploads();
    }

    @Override
    public synchronized Tensor matmul(Tensor a, Tensor b) {
        if (a.rank() != 2 || b.rank() != 2 || a.dim(1) != b.dim(0))
            throw new IllegalArgumentException("matmul: shapes " + a.shape() + " and " + b.shape() + " do not chain");
        int m = toInt(a.dim(0), "matmul rows"), k = toInt(a.dim(1), "matmul inner"), n = toInt(b.dim(1), "matmul columns");
        try (DeviceBuffer da = uploadF32(a); DeviceBuffer db = uploadF32(b); DeviceBuffer dc = backend.allocate(4L * m * n)) {
            backend.gemm(new GemmCall(m, n, k, da, 0, k, 1, db, 0, n, 1, false, dc, 0, null, 1f, 0f), tile);
            return downloadF32(dc, m, n);
        }
    }

    @Override
    public synchronized Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        if (x.rank() < 1 || weight.rank() != 2 || x.shape().last() != weight.dim(1))
            throw new IllegalArgumentException("linear: input " + x.shape() + " does not match weight " + weight.shape() + " ([out, in])");
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != weight.dim(0)))
            throw new IllegalArgumentException("linear: bias " + bias.shape() + " must be [" + weight.dim(0) + "]");
        int in = toInt(weight.dim(1), "linear in"), out = toInt(weight.dim(0), "linear out");
        int rows = toInt(in == 0 ? 0 : x.elementCount() / in, "linear rows");
        long[] outDims = x.shape().toArray();
        outDims[outDims.length - 1] = out;
        boolean bf16 = weight.dtype() == DType.BF16;
        boolean cached = WeightCache.cacheable(weight);
        DeviceBuffer dw = cached ? weights.get(weight, this::uploadWeight) : uploadWeight(weight);
        try (DeviceBuffer dx = uploadF32(x); DeviceBuffer dy = backend.allocate(4L * rows * out);
             DeviceBuffer db = bias == null ? null : uploadF32(bias)) {
            backend.gemm(new GemmCall(rows, out, in, dx, 0, in, 1, dw, 0, 1, in, bf16, dy, 0, db, 1f, 0f), tile);
            return downloadF32(dy, outDims);
        } finally {
            if (!cached) dw.close();
        }
    }

    @Override
    public Tensor batchedMatmul(Tensor a, Tensor b) {
        if (a.rank() < 2 || b.rank() < 2)
            throw new IllegalArgumentException("batchedMatmul: operands must have rank >= 2, got " + a.shape() + " and " + b.shape());
        boolean shared = b.rank() == 2;
        Shape lead = Shape.of(Arrays.copyOf(a.shape().toArray(), a.rank() - 2));
        if (!shared && !Shape.of(Arrays.copyOf(b.shape().toArray(), b.rank() - 2)).equals(lead))
            throw new IllegalArgumentException("batchedMatmul: leading dims of " + a.shape() + " and " + b.shape() + " differ");
        Tensor a3 = a.contiguous().reshape(lead.elementCount(), a.dim(a.rank() - 2), a.dim(a.rank() - 1));
        Tensor b3 = shared ? null : b.contiguous().reshape(lead.elementCount(), b.dim(b.rank() - 2), b.dim(b.rank() - 1));
        long[] outDims = a.shape().toArray();
        outDims[outDims.length - 1] = b.dim(b.rank() - 1);
        Tensor out = Tensor.allocate(DType.F32, outDims);
        Tensor out3 = out.reshape(lead.elementCount(), a.dim(a.rank() - 2), b.dim(b.rank() - 1));
        for (long i = 0; i < lead.elementCount(); i++)
            matmul(a3.select(0, i), shared ? b : b3.select(0, i)).copyTo(out3.select(0, i));
        return out;
    }

    @Override
    public synchronized Tensor reduce(Reduction reduction, Tensor x, int axis) {
        int a = x.shape().normalizeAxis(axis);
        Tensor out = Tensor.allocate(DType.F32, x.shape().without(a).toArray());
        long n = x.dim(a), outer = 1, inner = 1;
        for (int i = 0; i < a; i++) outer *= x.dim(i);
        for (int i = a + 1; i < x.rank(); i++) inner *= x.dim(i);
        if (out.elementCount() == 0 || n == 0) return out;
        long chunks = (n + DeviceBackend.REDUCE_CHUNK - 1) / DeviceBackend.REDUCE_CHUNK;
        try (DeviceBuffer dx = uploadF32(x); DeviceBuffer partials = backend.allocate(4L * outer * chunks * inner);
             DeviceBuffer dout = backend.allocate(4L * outer * inner)) {
            backend.reduce(reduction, dx, outer, n, inner, partials, dout);
            download(dout, out);
        }
        return out;
    }

    @Override
    public synchronized void gramUpdate(Tensor x, Tensor h, float decay, float scale) {
        Tensor rows = GramChecks.rows(x, h);
        int tokens = toInt(rows.dim(0), "gram tokens"), in = toInt(rows.dim(1), "gram in");
        try (DeviceBuffer dx = uploadF32(rows); DeviceBuffer dh = uploadF32(h)) {
            // A = Xᵀ (element (i, t) at t·in + i), B = X (element (t, j) at t·in + j), C = H.
            backend.gemm(new GemmCall(in, in, tokens, dx, 0, 1, in, dx, 0, in, 1, false, dh, 0, null, scale, decay), tile);
            download(dh, h);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        weights.close();
        backend.close();
        parallel.close();
    }

    @Override
    public String toString() {
        return "DeviceAccelerator(" + backend.name() + ")";
    }

    // ------------------------------------------------------------------ transfers

    private DeviceBuffer uploadWeight(Tensor weight) {
        if (weight.dtype() != DType.BF16) return uploadF32(weight);
        return uploadRaw(weight.contiguous());
    }

    private DeviceBuffer uploadF32(Tensor t) {
        return uploadRaw(TensorConversion.contiguousF32(t, parallel));
    }

    private DeviceBuffer uploadRaw(Tensor contiguous) {
        DeviceBuffer buffer = backend.allocate(contiguous.byteSize());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment staging = arena.allocate(Math.max(1, contiguous.byteSize()), 64);
            MemorySegment.copy(contiguous.segment(), contiguous.byteOffset(), staging, 0, contiguous.byteSize());
            if (contiguous.byteSize() > 0) backend.upload(staging.asSlice(0, contiguous.byteSize()), buffer, 0);
            return buffer;
        } catch (RuntimeException e) {
            buffer.close();
            throw e;
        }
    }

    private Tensor downloadF32(DeviceBuffer buffer, long... dims) {
        Tensor out = Tensor.allocate(DType.F32, dims);
        download(buffer, out);
        return out;
    }

    /** Copies the device contents into contiguous F32 {@code target}. */
    private void download(DeviceBuffer buffer, Tensor target) {
        if (target.byteSize() == 0) return;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment staging = arena.allocate(target.byteSize(), 64);
            backend.download(buffer, 0, staging);
            MemorySegment.copy(staging, 0, target.segment(), target.byteOffset(), target.byteSize());
        }
    }

    private static int toInt(long value, String what) {
        if (value > Integer.MAX_VALUE) throw new IllegalArgumentException(what + " " + value + " exceeds the device kernels' 2^31-1 limit");
        return (int) value;
    }
}
