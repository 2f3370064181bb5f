package io.llmc4j.bench;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.gemm.Gemm;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.FloatFormats;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * llmc4j GEMM against OpenBLAS {@code cblas_sgemm}, measured in the same run on the same native
 * input buffers and thread count, printing GFLOPS and the ratio.
 *
 * <p>Per shape {@code M×K×N}: Linear {@code C = X·Wᵀ} (X {@code [M, K]}, W {@code [N, K]}, OpenBLAS
 * NoTrans/Trans), and llmc4j with a BF16 weight (no OpenBLAS counterpart). Rounds interleave the
 * two libraries so that machine noise hits both alike (with a pause after each OpenBLAS call, whose
 * worker threads keep spinning for a while and would otherwise slow the next measurement down);
 * every timed call follows an untimed call of the same library, so each is measured warm (steady
 * throughput, not the wake-up of a pool); rounds during the first {@code --warmup-seconds} (JIT
 * warm-up) are dropped. Reported: best and median GFLOPS over the
 * measured rounds, and the ratios llmc4j / OpenBLAS of both.
 *
 * <pre>
 *   GemmBench [--threads 2] [--shapes 512x2048x2048,2048x2048x5632] [--rounds 20] [--warmup-seconds 4]
 * </pre>
 */
public final class GemmBench {
    private static final long OPENBLAS_SETTLE_MILLIS = 300;

    private GemmBench() {
    }

    public static void main(String[] args) throws Throwable {
        BenchArgs options = BenchArgs.parse(args);
        int threads = options.integer("threads", 2), rounds = options.integer("rounds", 20), warmup = options.integer("warmup-seconds", 4);
        List<int[]> shapes = options.sizes("shapes", "512x2048x2048,2048x2048x5632", 3);
        System.out.println(Machine.banner("GemmBench", threads, warmup, rounds, "shape"));
        Optional<OpenBlas> openBlas = OpenBlas.load();
        if (openBlas.isPresent()) {
            openBlas.get().threads(threads);
            System.out.println("OpenBLAS: " + openBlas.get().description() + " (OPENBLAS_NUM_THREADS=" + System.getenv("OPENBLAS_NUM_THREADS") + ")");
        }
        System.out.printf("%-16s %-22s %-22s %-15s %-22s%n", "M x K x N", "llmc4j F32 GFLOPS", "OpenBLAS GFLOPS", "ratio", "llmc4j BF16-W GFLOPS");
        System.out.printf("%-16s %-22s %-22s %-15s %-22s%n", "", "best / median", "best / median", "best / median", "best / median");
        try (Parallel parallel = new Parallel(threads); Arena arena = Arena.ofShared()) {
            for (int[] shape : shapes) run(shape[0], shape[1], shape[2], parallel, openBlas, arena, rounds, warmup);
        } finally {
            openBlas.ifPresent(OpenBlas::close);
        }
    }

    private static void run(int m, int k, int n, Parallel parallel, Optional<OpenBlas> openBlas, Arena arena, int rounds, int warmup) throws Throwable {
        Random random = new Random(1);
        Tensor x = Tensor.allocate(arena, DType.F32, m, k), w = Tensor.allocate(arena, DType.F32, n, k);
        // Inputs are the same native buffers for both; each library writes its usual output: a heap
        // tensor for llmc4j (what Linear returns), a native buffer for OpenBLAS.
        Tensor wBf16 = Tensor.allocate(arena, DType.BF16, n, k), c = Tensor.allocate(DType.F32, m, n);
        Tensor cBlas = Tensor.allocate(arena, DType.F32, m, n);
        for (long i = 0; i < x.elementCount(); i++) x.segment().set(Tensor.F32, 4 * i, (float) random.nextGaussian());
        for (long i = 0; i < w.elementCount(); i++) {
            float value = (float) random.nextGaussian();
            w.segment().set(Tensor.F32, 4 * i, value);
            wBf16.segment().set(Tensor.I16, 2 * i, FloatFormats.floatToBf16(value));
        }
        double flops = 2.0 * m * n * k;
        Samples ours = new Samples(), blas = new Samples(), oursBf16 = new Samples();
        long warmupEnd = System.nanoTime() + warmup * 1_000_000_000L;
        for (int measured = 0; measured < rounds; ) {
            boolean keep = System.nanoTime() > warmupEnd;
            // Each timed call follows an untimed call of the same library, so both are measured
            // warm: threads running and caches holding their own buffers (a pool that has just
            // woken up from the previous library's turn runs up to 1.7x slower).
            Gemm.linearInto(x, w, null, c, parallel);
            long start = System.nanoTime();
            Gemm.linearInto(x, w, null, c, parallel);
            if (keep) ours.add(flops / (System.nanoTime() - start));
            if (openBlas.isPresent()) {
                openBlas.get().linear(x.segment(), w.segment(), cBlas.segment(), m, k, n);
                start = System.nanoTime();
                openBlas.get().linear(x.segment(), w.segment(), cBlas.segment(), m, k, n);
                if (keep) blas.add(flops / (System.nanoTime() - start));
                // OpenBLAS's threads spin for a while after a call; on a small machine they would
                // steal the cores from the next measurement.
                Thread.sleep(OPENBLAS_SETTLE_MILLIS);
            }
            Gemm.linearInto(x, wBf16, null, c, parallel);
            start = System.nanoTime();
            Gemm.linearInto(x, wBf16, null, c, parallel);
            if (keep) {
                oursBf16.add(flops / (System.nanoTime() - start));
                measured++;
            }
        }
        if (openBlas.isPresent()) checkAgreement(c, cBlas, x, w, parallel, m, k, n);
        String ratio = openBlas.isPresent()
                ? String.format("%.2f / %.2f", ours.best() / blas.best(), ours.median() / blas.median())
                : "n/a";
        System.out.printf("%-16s %-22s %-22s %-15s %-22s%n", m + "x" + k + "x" + n, ours, openBlas.isPresent() ? blas.toString() : "unavailable", ratio, oursBf16);
    }

    /** Guards against benchmarking wrong code: llmc4j's F32 result must match OpenBLAS's closely. */
    private static void checkAgreement(Tensor c, Tensor cBlas, Tensor x, Tensor w, Parallel parallel, int m, int k, int n) {
        Gemm.linearInto(x, w, null, c, parallel);
        double worst = 0;
        for (long i = 0; i < Math.min(c.elementCount(), 1 << 16); i++) {
            float a = c.segment().get(Tensor.F32, 4 * i), b = cBlas.segment().get(Tensor.F32, 4 * i);
            worst = Math.max(worst, Math.abs(a - b));
        }
        if (worst > 1e-2 * Math.sqrt(k))
            throw new IllegalStateException("llmc4j and OpenBLAS disagree by " + worst + " on " + m + "x" + k + "x" + n);
    }
}
