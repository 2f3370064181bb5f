package io.llmc4j.bench;

import io.llmc4j.engine.ops.convert.DTypeConversions;
import io.llmc4j.engine.tensor.FloatFormats;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
 * JMH: single-threaded bulk conversions against {@code MemorySegment.copy} of the same bytes moved
 * (the baseline): BF16→F32 (2 read + 4 written per element, baseline copies 3 per element) and
 * F32→BF16 (4 + 2, same baseline).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConversionJmh {
    @Param({"4096", "1048576", "16777216"})
    public int elements;

    private Arena arena;
    private MemorySegment bf16, f32, copySource, copyTarget;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        bf16 = arena.allocate(2L * elements, 64);
        f32 = arena.allocate(4L * elements, 64);
        copySource = arena.allocate(3L * elements, 64);
        copyTarget = arena.allocate(3L * elements, 64);
        Random random = new Random(1);
        for (long i = 0; i < elements; i++) {
            float value = (float) random.nextGaussian();
            f32.set(Tensor.F32, 4 * i, value);
            bf16.set(Tensor.I16, 2 * i, FloatFormats.floatToBf16(value));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public MemorySegment bf16ToF32() {
        DTypeConversions.bf16ToF32(bf16, 0, f32, 0, elements);
        return f32;
    }

    @Benchmark
    public MemorySegment f32ToBf16() {
        DTypeConversions.f32ToBf16(f32, 0, bf16, 0, elements);
        return bf16;
    }

    @Benchmark
    public MemorySegment copySameBytes() {
        MemorySegment.copy(copySource, 0, copyTarget, 0, 3L * elements);
        return copyTarget;
    }
}
