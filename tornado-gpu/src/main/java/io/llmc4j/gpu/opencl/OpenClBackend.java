package io.llmc4j.gpu.opencl;

import io.llmc4j.engine.ops.Reduction;
import io.llmc4j.gpu.DeviceBackend;
import io.llmc4j.gpu.DeviceBuffer;
import io.llmc4j.gpu.GemmCall;
import io.llmc4j.gpu.GemmTile;
import io.llmc4j.gpu.KernelSources;
import java.lang.foreign.MemorySegment;

/**
 * {@link DeviceBackend} over one OpenCL device: a context, an in-order queue and the program built
 * from {@code kernels.cl}. Not thread-safe.
 */
public final class OpenClBackend implements DeviceBackend {
    static final String SOURCE = "/io/llmc4j/gpu/opencl/kernels.cl";
    private static final int GROUP = 16, REDUCE_GROUP = 64;

    private final ClDevice device;
    private final ClContext context;
    private final ClQueue queue;
    private final ClProgram program;
    private final ClKernel gemmF32, gemmBf16, gemmF32Wide, gemmBf16Wide, reducePartial, reduceCombine;

    public OpenClBackend(ClDevice device) {
        this.device = device;
        this.context = new ClContext(device);
        ClQueue q = null;
        ClProgram p = null;
        try {
            q = new ClQueue(context);
            p = new ClProgram(context, SOURCE, KernelSources.read(SOURCE), "");
        } catch (RuntimeException e) {
            if (q != null) q.close();
            context.close();
            throw e;
        }
        this.queue = q;
        this.program = p;
        this.gemmF32 = new ClKernel(program, "gemm_f32");
        this.gemmBf16 = new ClKernel(program, "gemm_bf16");
        this.gemmF32Wide = new ClKernel(program, "gemm_f32_wide");
        this.gemmBf16Wide = new ClKernel(program, "gemm_bf16_wide");
        this.reducePartial = new ClKernel(program, "reduce_partial");
        this.reduceCombine = new ClKernel(program, "reduce_combine");
    }

    @Override
    public String name() {
        return "opencl:" + device.name();
    }

    @Override
    public long memoryBytes() {
        return device.memoryBytes();
    }

    @Override
    public DeviceBuffer allocate(long bytes) {
        return new ClBuffer(context, bytes);
    }

    @Override
    public void upload(MemorySegment host, DeviceBuffer target, long targetOffset) {
        queue.write((ClBuffer) target, targetOffset, host);
    }

    @Override
    public void download(DeviceBuffer source, long sourceOffset, MemorySegment host) {
        queue.read((ClBuffer) source, sourceOffset, host);
    }

    @Override
    public void gemm(GemmCall g, GemmTile tile) {
        if (g.m() == 0 || g.n() == 0) return;
        boolean wide = tile.resolve(g) == GemmTile.WIDE;
        int size = tile.resolve(g).size();
        ClKernel kernel = g.bBf16() ? (wide ? gemmBf16Wide : gemmBf16) : (wide ? gemmF32Wide : gemmF32);
        kernel.args(g.m(), g.n(), g.k(), g.a(), g.aOffset(), g.aRowStride(), g.aColStride(),
                g.b(), g.bOffset(), g.bRowStride(), g.bColStride(), g.c(), g.cOffset(),
                g.bias(), g.bias() == null ? 0 : 1, g.alpha(), g.beta());
        long groupsN = (g.n() + size - 1) / size, groupsM = (g.m() + size - 1) / size;
        queue.launch(kernel, new long[] {groupsN * GROUP, groupsM * GROUP}, new long[] {GROUP, GROUP});
    }

    @Override
    public void reduce(Reduction reduction, DeviceBuffer x, long outer, long n, long inner, DeviceBuffer partials, DeviceBuffer out) {
        long chunks = (n + REDUCE_CHUNK - 1) / REDUCE_CHUNK;
        int op = KernelSources.opCode(reduction);
        reducePartial.args(op, outer, n, inner, chunks, x, partials);
        queue.launch(reducePartial, new long[] {roundUp(outer * chunks * inner, REDUCE_GROUP)}, new long[] {REDUCE_GROUP});
        reduceCombine.args(op, outer, chunks, inner, partials, out);
        queue.launch(reduceCombine, new long[] {roundUp(outer * inner, REDUCE_GROUP)}, new long[] {REDUCE_GROUP});
    }

    private static long roundUp(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    @Override
    public void finish() {
        queue.finish();
    }

    @Override
    public void close() {
        try (context; program; queue; gemmF32; gemmBf16; gemmF32Wide; gemmBf16Wide; reducePartial; reduceCombine) {
            queue.finish();
        }
    }
}
