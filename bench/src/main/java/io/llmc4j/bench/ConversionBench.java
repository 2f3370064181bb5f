package io.llmc4j.bench;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.convert.DTypeConversions;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.FloatFormats;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

/**
 * Bulk dtype conversions ({@link DTypeConversions}: F32 → F16, F32 ↔ FP8 E4M3 / E5M2) against the
 * scalar element-by-element loop they replace (one {@code MemorySegment.get}, one scalar
 * {@code Float.floatToFloat16} / {@link FloatFormats} call and one {@code set} per element), in the
 * same run, on the same buffers, pool and chunking, printing the ratio (vectorized / scalar).
 *
 * <p>As in a model, the narrow side (F16 or FP8 weight) is native memory and the F32 side a heap
 * array. GB/s count bytes read plus bytes written. Rounds interleave kernel and baseline; rounds
 * during the first {@code --warmup-seconds} are dropped; best and median are reported.
 *
 * <pre>
 *   ConversionBench [--threads 1] [--sizes 4096x4096,64x4096] [--rounds 15] [--warmup-seconds 2]
 * </pre>
 */
public final class ConversionBench {
    private static final long CHUNK = 1 << 16;

    /** One direction between F32 and a narrow dtype. */
    private record Conversion(DType narrow, boolean widening) {
        String label() {
            return widening ? narrow + "->F32" : "F32->" + narrow;
        }
    }

    private ConversionBench() {
    }

    public static void main(String[] args) {
        BenchArgs options = BenchArgs.parse(args);
        int threads = options.integer("threads", 1), rounds = options.integer("rounds", 15), warmup = options.integer("warmup-seconds", 2);
        System.out.println(Machine.banner("ConversionBench", threads, warmup, rounds, "kernel"));
        System.out.printf("%-14s %-14s %-22s %-22s %-12s%n", "conversion", "rows x hidden", "vectorized GB/s", "scalar loop GB/s", "ratio");
        System.out.printf("%-14s %-14s %-22s %-22s %-12s%n", "", "", "best / median", "best / median", "best / median");
        Conversion[] conversions = {new Conversion(DType.F16, false), new Conversion(DType.F8_E4M3, false), new Conversion(DType.F8_E5M2, false),
            new Conversion(DType.F8_E4M3, true), new Conversion(DType.F8_E5M2, true)};
        try (Parallel parallel = new Parallel(threads); Arena arena = Arena.ofShared()) {
            for (int[] size : options.sizes("sizes", "4096x4096,64x4096", 2)) {
                int rows = size[0], hidden = size[1];
                for (Conversion conversion : conversions) measure(conversion, rows, hidden, parallel, arena, rounds, warmup);
            }
        }
    }

    private static void measure(Conversion conversion, int rows, int hidden, Parallel parallel, Arena arena, int rounds, int warmup) {
        long n = (long) rows * hidden;
        DType narrow = conversion.narrow();
        int width = narrow.byteSize();
        MemorySegment f32 = Tensor.allocate(DType.F32, n).segment(), packed = arena.allocate(width * n, 64);
        // FP8 inputs spread over the format's range (σ = 64: normals, some subnormals, rare saturation).
        float scale = narrow == DType.F16 ? 1 : 64;
        Random random = new Random(1);
        for (long i = 0; i < n; i++) f32.set(Tensor.F32, 4 * i, scale * (float) random.nextGaussian());
        DTypeConversions.fromF32(narrow, f32, 0, packed, 0, n);
        ChunkConversion vectorized = conversion.widening()
                ? (first, count) -> DTypeConversions.toF32(narrow, packed, width * first, f32, 4 * first, count)
                : (first, count) -> DTypeConversions.fromF32(narrow, f32, 4 * first, packed, width * first, count);
        ChunkConversion scalar = scalarLoop(conversion, f32, packed);
        Samples kernel = new Samples(), baseline = new Samples();
        double bytes = (4.0 + width) * n;
        long warmupEnd = System.nanoTime() + warmup * 1_000_000_000L;
        for (int measured = 0; measured < rounds; ) {
            boolean keep = System.nanoTime() > warmupEnd;
            double kernelSeconds = run(vectorized, n, parallel), scalarSeconds = run(scalar, n, parallel);
            if (keep) {
                kernel.add(bytes / kernelSeconds * 1e-9);
                baseline.add(bytes / scalarSeconds * 1e-9);
                measured++;
            }
        }
        System.out.printf("%-14s %-14s %-22s %-22s %.2f / %.2f%n", conversion.label(), rows + "x" + hidden, kernel, baseline,
                kernel.best() / baseline.best(), kernel.median() / baseline.median());
    }

    /** Seconds for one pass of {@code op} over {@code n} elements in chunks of {@value #CHUNK}. */
    private static double run(ChunkConversion op, long n, Parallel parallel) {
        long start = System.nanoTime();
        parallel.forEach(Parallel.chunkCount(n, CHUNK), t -> {
            long first = t * CHUNK;
            op.convert(first, Math.min(CHUNK, n - first));
        });
        return (System.nanoTime() - start) * 1e-9;
    }

    /**
     * The baseline: what {@code DTypeConversions} did for FP8 before it was vectorized, one scalar
     * reference call per element, read and written through the segments. One lambda per conversion,
     * so each loop is compiled on its own (one method holding all five loops would exhaust C2's
     * inlining budget and leave the later loops' segment accessors out of line).
     */
    private static ChunkConversion scalarLoop(Conversion conversion, MemorySegment f32, MemorySegment packed) {
        if (conversion.widening()) {
            if (conversion.narrow() == DType.F8_E4M3)
                return (first, count) -> {
                    for (long i = first; i < first + count; i++) f32.set(Tensor.F32, 4 * i, FloatFormats.e4m3ToFloat(packed.get(Tensor.I8, i)));
                };
            return (first, count) -> {
                for (long i = first; i < first + count; i++) f32.set(Tensor.F32, 4 * i, FloatFormats.e5m2ToFloat(packed.get(Tensor.I8, i)));
            };
        }
        return switch (conversion.narrow()) {
            case F16 -> (first, count) -> {
                for (long i = first; i < first + count; i++) packed.set(Tensor.I16, 2 * i, Float.floatToFloat16(f32.get(Tensor.F32, 4 * i)));
            };
            case F8_E4M3 -> (first, count) -> {
                for (long i = first; i < first + count; i++) packed.set(Tensor.I8, i, FloatFormats.floatToE4M3(f32.get(Tensor.F32, 4 * i)));
            };
            default -> (first, count) -> {
                for (long i = first; i < first + count; i++) packed.set(Tensor.I8, i, FloatFormats.floatToE5M2(f32.get(Tensor.F32, 4 * i)));
            };
        };
    }

    /** Converts elements {@code [first, first + count)} of the benchmark's buffers. */
    @FunctionalInterface
    private interface ChunkConversion {
        void convert(long first, long count);
    }
}
