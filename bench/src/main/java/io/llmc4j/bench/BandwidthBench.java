package io.llmc4j.bench;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.convert.DTypeConversions;
import io.llmc4j.engine.ops.norm.RmsNorm;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.FloatFormats;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

/**
 * Memory-bound kernels against a plain {@code MemorySegment.copy} that moves the same bytes, in the
 * same run, on the same pool and chunking, printing the ratio:
 * <ul>
 *   <li>BF16 → F32 bulk conversion ({@link DTypeConversions}) from native memory (a mapped weight)
 *       into a heap array: reads 2 and writes 4 bytes per element; the baseline copies 3 bytes per
 *       element (3 read + 3 written) between the same kinds of memory.</li>
 *   <li>RMSNorm ({@link RmsNorm}) of F32 heap rows (activations): reads and writes 4 bytes per
 *       element (the weight stays in cache); the baseline copies the input to the output. Once as
 *       {@code Tensor.allocate} places them (large tensors start on a cache line), and once with
 *       every row shifted 16 bytes into a line (what large arrays gave before), to show what the
 *       placement is worth.</li>
 * </ul>
 * GB/s count bytes read plus bytes written. Rounds interleave kernel and baseline; rounds during
 * the first {@code --warmup-seconds} are dropped; best and median are reported.
 *
 * <pre>
 *   BandwidthBench [--threads 1] [--sizes 4096x4096,64x4096] [--rounds 30] [--warmup-seconds 2]
 * </pre>
 */
public final class BandwidthBench {
    private static final long CHUNK = 1 << 16;
    /** Elements by which the mid-line RMSNorm rows are shifted: 16 bytes, an array header's length. */
    private static final int MID_LINE = 4;

    private BandwidthBench() {
    }

    public static void main(String[] args) {
        BenchArgs options = BenchArgs.parse(args);
        int threads = options.integer("threads", 1), rounds = options.integer("rounds", 30), warmup = options.integer("warmup-seconds", 2);
        System.out.println(Machine.banner("BandwidthBench", threads, warmup, rounds, "kernel"));
        System.out.printf("%-22s %-14s %-24s %-24s %-12s%n", "kernel", "rows x hidden", "kernel GB/s", "copy GB/s", "ratio");
        System.out.printf("%-22s %-14s %-24s %-24s %-12s%n", "", "", "best / median", "best / median", "best / median");
        try (Parallel parallel = new Parallel(threads); Arena arena = Arena.ofShared()) {
            for (int[] size : options.sizes("sizes", "4096x4096,64x4096", 2)) {
                int rows = size[0], hidden = size[1];
                conversion(rows, hidden, parallel, arena, rounds, warmup);
                rmsNorm(rows, hidden, 0, parallel, arena, rounds, warmup);
                rmsNorm(rows, hidden, MID_LINE, parallel, arena, rounds, warmup);
            }
        }
    }

    private static void conversion(int rows, int hidden, Parallel parallel, Arena arena, int rounds, int warmup) {
        long n = (long) rows * hidden;
        // As in a model: the BF16 weight is native (mapped) memory, the F32 result a heap array.
        MemorySegment bf16 = arena.allocate(2 * n, 64), f32 = Tensor.allocate(DType.F32, n).segment();
        MemorySegment copySource = arena.allocate(3 * n, 64), copyTarget = Tensor.allocate(DType.I8, 3 * n).segment();
        Random random = new Random(1);
        for (long i = 0; i < n; i++) bf16.set(Tensor.I16, 2 * i, FloatFormats.floatToBf16((float) random.nextGaussian()));
        int tasks = Parallel.chunkCount(n, CHUNK);
        Samples kernel = new Samples(), copy = new Samples();
        double bytes = 6.0 * n;
        long warmupEnd = System.nanoTime() + warmup * 1_000_000_000L;
        for (int measured = 0; measured < rounds; ) {
            boolean keep = System.nanoTime() > warmupEnd;
            long start = System.nanoTime();
            parallel.forEach(tasks, t -> {
                long first = t * CHUNK, count = Math.min(CHUNK, n - first);
                DTypeConversions.bf16ToF32(bf16, 2 * first, f32, 4 * first, count);
            });
            double kernelSeconds = (System.nanoTime() - start) * 1e-9;
            start = System.nanoTime();
            parallel.forEach(tasks, t -> {
                long first = t * CHUNK, count = Math.min(CHUNK, n - first);
                MemorySegment.copy(copySource, 3 * first, copyTarget, 3 * first, 3 * count);
            });
            double copySeconds = (System.nanoTime() - start) * 1e-9;
            if (keep) {
                kernel.add(bytes / kernelSeconds * 1e-9);
                copy.add(bytes / copySeconds * 1e-9);
                measured++;
            }
        }
        report("BF16->F32 convert", rows, hidden, kernel, copy);
    }

    private static void rmsNorm(int rows, int hidden, int shift, Parallel parallel, Arena arena, int rounds, int warmup) {
        // As in a model: activations are heap tensors (which start on a cache line when large);
        // shifted by a few elements, every row starts mid-line, as large arrays did before.
        Tensor x = heapRows(rows, hidden, shift), out = heapRows(rows, hidden, shift);
        Tensor weight = Tensor.allocate(arena, DType.BF16, hidden);
        Random random = new Random(2);
        for (long i = 0; i < x.elementCount(); i++) x.segment().set(Tensor.F32, x.byteOffset() + 4 * i, (float) random.nextGaussian());
        for (long i = 0; i < hidden; i++) weight.segment().set(Tensor.I16, 2 * i, FloatFormats.floatToBf16(1 + 0.1f * (float) random.nextGaussian()));
        long n = x.elementCount();
        int tasks = Parallel.chunkCount(n, CHUNK);
        Samples kernel = new Samples(), copy = new Samples();
        double bytes = 8.0 * n;
        long warmupEnd = System.nanoTime() + warmup * 1_000_000_000L;
        for (int measured = 0; measured < rounds; ) {
            boolean keep = System.nanoTime() > warmupEnd;
            long start = System.nanoTime();
            RmsNorm.applyInto(x, weight, 1e-5f, out, parallel);
            double kernelSeconds = (System.nanoTime() - start) * 1e-9;
            start = System.nanoTime();
            parallel.forEach(tasks, t -> {
                long first = t * CHUNK, count = Math.min(CHUNK, n - first);
                MemorySegment.copy(x.segment(), x.byteOffset() + 4 * first, out.segment(), out.byteOffset() + 4 * first, 4 * count);
            });
            double copySeconds = (System.nanoTime() - start) * 1e-9;
            if (keep) {
                kernel.add(bytes / kernelSeconds * 1e-9);
                copy.add(bytes / copySeconds * 1e-9);
                measured++;
            }
        }
        report(shift == 0 ? "RMSNorm (F32)" : "RMSNorm, rows mid-line", rows, hidden, kernel, copy);
    }

    /** A contiguous F32 [rows, hidden] heap tensor whose element 0 is {@code shift} elements into its array. */
    private static Tensor heapRows(int rows, int hidden, int shift) {
        long n = (long) rows * hidden;
        return Tensor.allocate(DType.F32, n + shift).narrow(0, shift, n).reshape(rows, hidden);
    }

    private static void report(String name, int rows, int hidden, Samples kernel, Samples copy) {
        System.out.printf("%-22s %-14s %-24s %-24s %.2f / %.2f%n", name, rows + "x" + hidden, kernel, copy,
                kernel.best() / copy.best(), kernel.median() / copy.median());
    }
}
