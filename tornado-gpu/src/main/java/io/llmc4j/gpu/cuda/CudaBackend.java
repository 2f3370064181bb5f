package io.llmc4j.gpu.cuda;

import io.llmc4j.engine.ops.Reduction;
import io.llmc4j.gpu.DeviceBackend;
import io.llmc4j.gpu.DeviceBuffer;
import io.llmc4j.gpu.GemmCall;
import io.llmc4j.gpu.GemmTile;
import io.llmc4j.gpu.KernelSources;
import java.lang.foreign.MemorySegment;

/**
 * {@link DeviceBackend} over one CUDA device: its primary context, one stream and the module loaded
 * from {@code kernels.ptx} (compiled from {@code kernels.cu} beside it). Every call makes the
 * context current on the calling thread first. Not thread-safe.
 */
public final class CudaBackend implements DeviceBackend {
    static final String PTX = "/io/llmc4j/gpu/cuda/kernels.ptx";
    private static final int GROUP = 16, REDUCE_BLOCK = 128, MAX_GRID_Y = 65535;

    private final CudaDriver cu = CudaDriver.load();
    private final CudaContext context;
    private final CudaStream stream;
    private final CudaModule module;
    private final CudaFunction gemmF32, gemmBf16, gemmF32Wide, gemmBf16Wide, reducePartial, reduceCombine;

    public CudaBackend(int ordinal) {
        context = new CudaContext(ordinal);
        CudaStream s = null;
        try {
            s = new CudaStream();
            module = new CudaModule(PTX, KernelSources.read(PTX));
        } catch (RuntimeException e) {
            if (s != null) s.close();
            context.close();
            throw e;
        }
        stream = s;
        gemmF32 = module.function("gemm_f32");
        gemmBf16 = module.function("gemm_bf16");
        gemmF32Wide = module.function("gemm_f32_wide");
        gemmBf16Wide = module.function("gemm_bf16_wide");
        reducePartial = module.function("reduce_partial");
        reduceCombine = module.function("reduce_combine");
    }

    @Override
    public String name() {
        return "cuda:" + context.name();
    }

    /** The device's context (name, compute capability, multiprocessors). */
    public CudaContext context() {
        return context;
    }

    @Override
    public long memoryBytes() {
        return context.memoryBytes();
    }

    @Override
    public DeviceBuffer allocate(long bytes) {
        context.makeCurrent();
        return new CudaBuffer(bytes);
    }

    @Override
    public void upload(MemorySegment host, DeviceBuffer target, long targetOffset) {
        context.makeCurrent();
        cu.call("cuMemcpyHtoDAsync", cu.memcpyHtoDAsync, ((CudaBuffer) target).pointer() + targetOffset, host, host.byteSize(), stream.handle());
    }

    @Override
    public void download(DeviceBuffer source, long sourceOffset, MemorySegment host) {
        context.makeCurrent();
        cu.call("cuMemcpyDtoHAsync", cu.memcpyDtoHAsync, host, ((CudaBuffer) source).pointer() + sourceOffset, host.byteSize(), stream.handle());
        stream.synchronize();
    }

    @Override
    public void gemm(GemmCall g, GemmTile tile) {
        if (g.m() == 0 || g.n() == 0) return;
        context.makeCurrent();
        boolean wide = tile.resolve(g) == GemmTile.WIDE;
        int size = tile.resolve(g).size();
        int groupsN = (g.n() + size - 1) / size, groupsM = (g.m() + size - 1) / size;
        if (groupsM > MAX_GRID_Y)
            throw new IllegalArgumentException("gemm: " + g.m() + " rows need " + groupsM + " row blocks, more than CUDA's " + MAX_GRID_Y + " (split the rows)");
        (g.bBf16() ? (wide ? gemmBf16Wide : gemmBf16) : (wide ? gemmF32Wide : gemmF32)).launch(stream, new int[] {groupsN, groupsM, 1}, new int[] {GROUP, GROUP, 1},
                g.m(), g.n(), g.k(), g.a(), g.aOffset(), g.aRowStride(), g.aColStride(),
                g.b(), g.bOffset(), g.bRowStride(), g.bColStride(), g.c(), g.cOffset(),
                g.bias(), g.bias() == null ? 0 : 1, g.alpha(), g.beta());
    }

    @Override
    public void reduce(Reduction reduction, DeviceBuffer x, long outer, long n, long inner, DeviceBuffer partials, DeviceBuffer out) {
        context.makeCurrent();
        long chunks = (n + REDUCE_CHUNK - 1) / REDUCE_CHUNK;
        int op = KernelSources.opCode(reduction);
        reducePartial.launch(stream, blocks(outer * chunks * inner), new int[] {REDUCE_BLOCK, 1, 1}, op, outer, n, inner, chunks, x, partials);
        reduceCombine.launch(stream, blocks(outer * inner), new int[] {REDUCE_BLOCK, 1, 1}, op, outer, chunks, inner, partials, out);
    }

    private static int[] blocks(long items) {
        long blocks = (items + REDUCE_BLOCK - 1) / REDUCE_BLOCK;
        if (blocks > Integer.MAX_VALUE) throw new IllegalArgumentException("reduction of " + items + " outputs exceeds one launch");
        return new int[] {(int) blocks, 1, 1};
    }

    @Override
    public void finish() {
        context.makeCurrent();
        stream.synchronize();
    }

    @Override
    public void close() {
        context.makeCurrent();
        try (context; module; stream) {
            stream.synchronize();
        }
    }
}
