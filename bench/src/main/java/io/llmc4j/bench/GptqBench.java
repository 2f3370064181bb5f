package io.llmc4j.bench;

import io.llmc4j.compress.observers.ObservedRole;
import io.llmc4j.compress.observers.Observer;
import io.llmc4j.compress.observers.ObserverRegistry;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationStrategy;
import io.llmc4j.compress.quantization.QuantizationType;
import io.llmc4j.compress.quantization.TensorValues;
import io.llmc4j.compress.quantization.gptq.Gptq;
import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.gemm.FloatMatrix;
import io.llmc4j.engine.ops.gemm.Gemm;
import io.llmc4j.engine.ops.linalg.InverseCholesky;
import io.llmc4j.engine.ops.linalg.SymmetricRankK;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * GPTQ's three heavy steps on one Linear {@code [n, n]}, llmc4j next to OpenBLAS/LAPACK in the same
 * run, same data, same thread count, printing seconds (median over rounds, each after one untimed
 * warm-up call) and the ratio llmc4j / OpenBLAS (below 1: llmc4j faster):
 *
 * <ol>
 *   <li>Hessian accumulation: {@code samples} calls of {@code H += XᵀX} with X {@code [tokens, n]}
 *       ({@link SymmetricRankK} vs {@code cblas_ssyrk}, lower triangle);</li>
 *   <li>inverse: the upper Cholesky factor of {@code H⁻¹} ({@link InverseCholesky}: one factorization
 *       and one triangular inverse) vs torch's LAPACK path {@code spotrf}, {@code spotri}, {@code spotrf};</li>
 *   <li>the column loop's lazy batch updates {@code W[:, i2:] −= E·U[i1:i2, i2:]} per block of 128
 *       ({@link Gemm#multiplyAdd} vs {@code cblas_sgemm}).</li>
 * </ol>
 * Then the whole {@link Gptq#quantize} (W4 group 128, actorder static) once, llmc4j only.
 *
 * <pre>
 *   GptqBench [--n 4096] [--tokens 2048] [--samples 32] [--threads 2] [--rounds 3]
 * </pre>
 */
public final class GptqBench {
    private static final int BLOCK = 128;

    private GptqBench() {
    }

    public static void main(String[] args) throws Throwable {
        BenchArgs options = BenchArgs.parse(args);
        int n = options.integer("n", 4096), tokens = options.integer("tokens", 2048), samples = options.integer("samples", 32);
        int threads = options.integer("threads", 2), rounds = options.integer("rounds", 3);
        System.out.println(Machine.banner("GptqBench", threads, 0, rounds, "step") + String.format(Locale.ROOT,
                "; Linear %dx%d, %d x %d tokens, W4 group 128", n, n, samples, tokens));
        Optional<OpenBlas> blas = OpenBlas.load();
        if (blas.isEmpty()) System.out.println("OpenBLAS unavailable: llmc4j numbers only");
        blas.ifPresent(b -> System.out.println("OpenBLAS: " + b.description()));
        try (Parallel parallel = new Parallel(threads); Arena arena = Arena.ofShared()) {
            if (blas.isPresent()) blas.get().threads(threads);
            Random random = new Random(7);
            float[] x = new float[tokens * n];
            for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
            MemorySegment xNative = arena.allocate((long) x.length * 4, 64);
            MemorySegment.copy(x, 0, xNative, ValueLayout.JAVA_FLOAT, 0, x.length);
            System.out.printf(Locale.ROOT, "%-34s %-14s %-14s %s%n", "step", "llmc4j s", "OpenBLAS s", "ratio");

            float[] h = new float[n * n];
            MemorySegment hNative = arena.allocate((long) n * n * 4, 64);
            List<Double> ours = new ArrayList<>(), theirs = new ArrayList<>();
            for (int r = 0; r <= rounds; r++) {
                java.util.Arrays.fill(h, 0f);
                long start = System.nanoTime();
                for (int s = 0; s < samples; s++) SymmetricRankK.accumulateLower(x, tokens, n, h, parallel);
                if (r > 0) ours.add(seconds(start));
                if (blas.isPresent()) {
                    hNative.fill((byte) 0);
                    start = System.nanoTime();
                    for (int s = 0; s < samples; s++) blas.get().syrkLower(xNative, hNative, n, tokens);
                    if (r > 0) theirs.add(seconds(start));
                    settle();
                }
            }
            report("Hessian XᵀX (" + samples + " calls)", ours, theirs);

            // A dampened Hessian, symmetric, for the inverse and the loop.
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) h[i * n + j] /= samples;
                h[i * n + i] += 0.01f * h[i * n + i] + 1e-3f;
            }
            SymmetricRankK.mirrorLower(h, n);
            ours.clear();
            theirs.clear();
            float[] u = null;
            for (int r = 0; r <= rounds; r++) {
                long start = System.nanoTime();
                u = InverseCholesky.upperFactorOfInverse(h, n, parallel);
                if (r > 0) ours.add(seconds(start));
                if (blas.isPresent()) {
                    MemorySegment.copy(h, 0, hNative, ValueLayout.JAVA_FLOAT, 0, h.length);
                    start = System.nanoTime();
                            check(blas.get().lapack(false, 'U', hNative, n, arena), "spotrf");
                    check(blas.get().lapack(true, 'U', hNative, n, arena), "spotri");
                    check(blas.get().lapack(false, 'U', hNative, n, arena), "spotrf");
                    if (r > 0) theirs.add(seconds(start));
                    settle();
                }
            }
            if (u == null) throw new IllegalStateException("the bench Hessian is not positive definite");
            if (blas.isPresent()) compareUpper(u, hNative, n);
            report("inverse: upper factor of H⁻¹", ours, theirs);

            float[] w = new float[n * n], errors = new float[n * BLOCK];
            for (int i = 0; i < w.length; i++) w[i] = (float) random.nextGaussian();
            for (int i = 0; i < errors.length; i++) errors[i] = (float) random.nextGaussian() * 1e-3f;
            MemorySegment wNative = arena.allocate((long) n * n * 4, 64), eNative = arena.allocate((long) errors.length * 4, 64), uNative = arena.allocate((long) n * n * 4, 64);
            MemorySegment.copy(w, 0, wNative, ValueLayout.JAVA_FLOAT, 0, w.length);
            MemorySegment.copy(errors, 0, eNative, ValueLayout.JAVA_FLOAT, 0, errors.length);
            MemorySegment.copy(u, 0, uNative, ValueLayout.JAVA_FLOAT, 0, u.length);
            ours.clear();
            theirs.clear();
            for (int r = 0; r <= rounds; r++) {
                long start = System.nanoTime();
                for (int i1 = 0; i1 + BLOCK < n; i1 += BLOCK) {
                    int i2 = i1 + BLOCK;
                    Gemm.multiplyAdd(new FloatMatrix(errors, 0, BLOCK, 1, n, BLOCK), FloatMatrix.block(u, n, i1, i2, BLOCK, n - i2), w, i2, n, parallel);
                }
                if (r > 0) ours.add(seconds(start));
                if (blas.isPresent()) {
                    start = System.nanoTime();
                    for (int i1 = 0; i1 + BLOCK < n; i1 += BLOCK) {
                        int i2 = i1 + BLOCK;
                        blas.get().subtractProduct(eNative, BLOCK, uNative.asSlice(((long) i1 * n + i2) * 4), n, wNative.asSlice((long) i2 * 4), n, n, BLOCK, n - i2);
                    }
                    if (r > 0) theirs.add(seconds(start));
                    settle();
                }
            }
            report("column loop: lazy batch updates", ours, theirs);

            QuantizationArgs w4g128 = QuantizationArgs.builder().numBits(4).type(QuantizationType.INT).symmetric(true)
                    .strategy(QuantizationStrategy.GROUP).groupSize(128).actorder(io.llmc4j.compress.quantization.ActivationOrdering.WEIGHT).build();
            Tensor weight = TensorValues.write(w, DType.F32, n, n);
            long start = System.nanoTime();
            var result = Gptq.quantize(weight, h, w4g128, t -> {
                Observer o = ObserverRegistry.standard().create("memoryless_minmax", ObservedRole.WEIGHT, w4g128);
                o.observe(t);
                return o.qparams();
            }, BLOCK, 0.01f, parallel);
            System.out.printf(Locale.ROOT, "whole Gptq.quantize (llmc4j, inverse included): %.2f s, loss %.4g%n", seconds(start), result.loss());
        } finally {
            blas.ifPresent(OpenBlas::close);
        }
    }

    private static void compareUpper(float[] u, MemorySegment lapack, int n) {
        // LAPACK's U sits in the column-major upper triangle: row-major element (j, i), j >= i, is U[i][j].
        double worst = 0, scale = 0;
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++) {
                float theirs = lapack.getAtIndex(ValueLayout.JAVA_FLOAT, (long) j * n + i);
                worst = Math.max(worst, Math.abs(theirs - u[i * n + j]));
                scale = Math.max(scale, Math.abs(theirs));
            }
        System.out.printf(Locale.ROOT, "  upper factor: largest difference to LAPACK %.3g (largest entry %.3g)%n", worst, scale);
        if (!(worst <= 1e-2 * scale)) throw new IllegalStateException("llmc4j and LAPACK disagree on the upper factor by " + worst);
    }

    private static void check(int info, String what) {
        if (info != 0) throw new IllegalStateException(what + " failed with info " + info);
    }

    private static void report(String step, List<Double> ours, List<Double> theirs) {
        double a = median(ours), b = theirs.isEmpty() ? Double.NaN : median(theirs);
        System.out.printf(Locale.ROOT, "%-34s %-14s %-14s %s%n", step, String.format(Locale.ROOT, "%.3f", a),
                theirs.isEmpty() ? "n/a" : String.format(Locale.ROOT, "%.3f", b), theirs.isEmpty() ? "n/a" : String.format(Locale.ROOT, "%.2f", a / b));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** OpenBLAS's threads spin for a while after a call; let them park before the next measurement. */
    private static void settle() throws InterruptedException {
        Thread.sleep(300);
    }
}
