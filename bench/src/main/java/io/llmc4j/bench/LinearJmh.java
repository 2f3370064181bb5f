package io.llmc4j.bench;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.gemm.Gemm;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.FloatFormats;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: Linear {@code [tokens, in] · [out, in]ᵀ} at Llama-like shapes, llmc4j with F32 and BF16
 * weights against OpenBLAS {@code cblas_sgemm} (the baseline, same buffers and threads; its method
 * fails when libopenblas.so.0 is absent). Run with
 * {@code java -cp bench/target/classes:$(cat bench/target/classpath.txt) org.openjdk.jmh.Main LinearJmh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LinearJmh {
    /** {@code in x out}. */
    @Param({"4096x4096", "4096x11008"})
    public String shape;
    @Param({"1", "16", "512"})
    public int tokens;
    @Param({"2"})
    public int threads;

    private Parallel parallel;
    private Arena arena;
    private OpenBlas openBlas;
    private Tensor x, weight, weightBf16, out;
    private int in, outFeatures;

    @Setup(Level.Trial)
    public void setUp() throws Throwable {
        String[] parts = shape.split("x");
        in = Integer.parseInt(parts[0]);
        outFeatures = Integer.parseInt(parts[1]);
        parallel = new Parallel(threads);
        arena = Arena.ofShared();
        Random random = new Random(1);
        x = Tensor.allocate(arena, DType.F32, tokens, in);
        weight = Tensor.allocate(arena, DType.F32, outFeatures, in);
        weightBf16 = Tensor.allocate(arena, DType.BF16, outFeatures, in);
        out = Tensor.allocate(arena, DType.F32, tokens, outFeatures);
        for (long i = 0; i < x.elementCount(); i++) x.segment().set(Tensor.F32, 4 * i, (float) random.nextGaussian());
        for (long i = 0; i < weight.elementCount(); i++) {
            float value = (float) random.nextGaussian();
            weight.segment().set(Tensor.F32, 4 * i, value);
            weightBf16.segment().set(Tensor.I16, 2 * i, FloatFormats.floatToBf16(value));
        }
        openBlas = OpenBlas.load().orElse(null);
        if (openBlas != null) openBlas.threads(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (openBlas != null) openBlas.close();
        parallel.close();
        arena.close();
    }

    @Benchmark
    public Tensor llmc4jF32() {
        Gemm.linearInto(x, weight, null, out, parallel);
        return out;
    }

    @Benchmark
    public Tensor llmc4jBf16Weight() {
        Gemm.linearInto(x, weightBf16, null, out, parallel);
        return out;
    }

    @Benchmark
    public Tensor openBlasF32() throws Throwable {
        if (openBlas == null) throw new IllegalStateException("libopenblas.so.0 is not installed");
        openBlas.linear(x.segment(), weight.segment(), out.segment(), tokens, in, outFeatures);
        return out;
    }
}
