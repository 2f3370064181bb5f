package io.llmc4j.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.ops.Reduction;
import io.llmc4j.engine.ops.accel.CpuAccelerator;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * What every device backend must satisfy, checked against {@link CpuAccelerator} on the same
 * inputs: products within 1e-5 relative to {@code Σ|aᵢ·bᵢ|} (random shapes, tile remainders
 * included), min/max/abs-max bit-exact (NaN and signed zeros too), sums within float tolerance.
 * Subclasses supply the device and skip when it is absent.
 */
public abstract class AcceleratorContract {
    protected static final CpuAccelerator CPU = CpuAccelerator.withThreads(2);

    /** The accelerator under test (opened once per class by the subclass). */
    protected abstract DeviceAccelerator device();

    static Tensor normal(Random random, DType dtype, long... dims) {
        Tensor t = Tensor.allocate(DType.F32, dims);
        for (long i = 0; i < t.elementCount(); i++) t.setFlat(i, random.nextGaussian());
        return dtype == DType.F32 ? t : t.to(dtype);
    }

    /** |got − want| ≤ 1e-5·Σ|aᵢ·bᵢ| (plus a denormal floor) for every element; {@code scale} holds the Σ|aᵢ·bᵢ|. */
    static void assertWithinProductTolerance(Tensor want, Tensor got, Tensor scale, String what) {
        assertArrayEquals(want.shape().toArray(), got.shape().toArray(), what + ": shape");
        float[] w = want.contiguous().toFloatArray(), g = got.contiguous().toFloatArray(), s = scale.contiguous().toFloatArray();
        for (int i = 0; i < w.length; i++)
            assertTrue(Math.abs(w[i] - g[i]) <= 1e-5 * s[i] + 1e-30, what + ": element " + i + " cpu " + w[i] + " device " + g[i] + " bound " + 1e-5 * s[i]);
    }

    static Tensor abs(Tensor t) {
        Tensor out = t.contiguous().to(DType.F32);
        for (long i = 0; i < out.elementCount(); i++) out.setFlat(i, Math.abs(out.getFlat(i)));
        return out;
    }

    @Property(tries = 40)
    void matmulMatchesTheCpu(@ForAll @IntRange(min = 1, max = 150) int m, @ForAll @IntRange(min = 1, max = 150) int k,
                             @ForAll @IntRange(min = 1, max = 150) int n, @ForAll @LongRange(max = 1000) long seed) {
        Random random = new Random(seed);
        Tensor a = normal(random, DType.F32, m, k), b = normal(random, DType.F32, k, n);
        String what = "matmul " + m + "x" + k + "x" + n + " seed " + seed;
        assertWithinProductTolerance(CPU.matmul(a, b), device().matmul(a, b), CPU.matmul(abs(a), abs(b)), what);
    }

    @Property(tries = 40)
    void linearMatchesTheCpu(@ForAll @IntRange(min = 1, max = 130) int rows, @ForAll @IntRange(min = 1, max = 150) int in,
                             @ForAll @IntRange(min = 1, max = 150) int out, @ForAll boolean bf16, @ForAll boolean withBias,
                             @ForAll @LongRange(max = 1000) long seed) {
        Random random = new Random(seed);
        Tensor x = normal(random, DType.F32, 1, rows, in), w = normal(random, bf16 ? DType.BF16 : DType.F32, out, in);
        Tensor bias = withBias ? normal(random, DType.F32, out) : null;
        String what = "linear " + rows + "x" + in + "->" + out + (bf16 ? " bf16" : " f32") + (withBias ? " bias" : "") + " seed " + seed;
        Tensor scale = CPU.linear(abs(x), abs(w), bias == null ? null : abs(bias));
        assertWithinProductTolerance(CPU.linear(x, w, bias), device().linear(x, w, bias), scale, what);
    }

    @Property(tries = 25)
    void gramUpdateMatchesTheCpu(@ForAll @IntRange(min = 1, max = 200) int tokens, @ForAll @IntRange(min = 1, max = 140) int in,
                                 @ForAll @LongRange(max = 1000) long seed) {
        Random random = new Random(seed);
        Tensor x = normal(random, DType.F32, tokens, in), start = normal(random, DType.F32, in, in);
        float decay = 0.75f, scale = 2f / (tokens + 3);
        Tensor want = start.copy(), got = start.copy();
        CPU.gramUpdate(x, want, decay, scale);
        device().gramUpdate(x, got, decay, scale);
        Tensor bound = abs(start.copy());
        CPU.gramUpdate(abs(x), bound, decay, scale);
        assertWithinProductTolerance(want, got, bound, "gram " + tokens + "x" + in + " seed " + seed);
    }

    @Property(tries = 40)
    void reductionsMatchTheCpu(@ForAll @IntRange(min = 1, max = 5) int d0, @ForAll @IntRange(min = 1, max = 700) int d1,
                               @ForAll @IntRange(min = 1, max = 9) int d2, @ForAll @IntRange(min = 0, max = 2) int axis,
                               @ForAll @LongRange(max = 1000) long seed) {
        Random random = new Random(seed);
        Tensor x = normal(random, DType.F32, d0, d1, d2);
        for (Reduction r : new Reduction[] {Reduction.MIN, Reduction.MAX, Reduction.ABS_MAX})
            assertArrayEquals(CPU.reduce(r, x, axis).toFloatArray(), device().reduce(r, x, axis).toFloatArray(),
                    r + " of [" + d0 + "," + d1 + "," + d2 + "] axis " + axis + " seed " + seed);
        assertWithinProductTolerance(CPU.reduce(Reduction.SUM, x, axis), device().reduce(Reduction.SUM, x, axis),
                CPU.reduce(Reduction.SUM, abs(x), axis), "SUM axis " + axis + " seed " + seed);
    }

    @Property(tries = 20)
    void everyTileGivesTheSameProducts(@ForAll @IntRange(min = 1, max = 300) int m, @ForAll @IntRange(min = 1, max = 70) int k,
                                       @ForAll @IntRange(min = 1, max = 300) int n, @ForAll @LongRange(max = 1000) long seed) {
        Random random = new Random(seed);
        Tensor a = normal(random, DType.F32, m, k), w = normal(random, DType.BF16, n, k), h = normal(random, DType.F32, k, k);
        Map<GemmTile, List<float[]>> results = new EnumMap<>(GemmTile.class);
        try {
            for (GemmTile tile : GemmTile.values()) {
                device().gemmTile(tile);
                Tensor gram = h.copy();
                device().gramUpdate(a, gram, 1f, 0.5f);
                results.put(tile, List.of(device().matmul(a, w.transpose(0, 1)).toFloatArray(), device().linear(a, w, null).toFloatArray(), gram.toFloatArray()));
            }
        } finally {
            device().gemmTile(GemmTile.AUTO);
        }
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(results.get(GemmTile.SMALL).get(i), results.get(GemmTile.WIDE).get(i), "product " + i + " " + m + "x" + k + "x" + n + " seed " + seed);
            assertArrayEquals(results.get(GemmTile.SMALL).get(i), results.get(GemmTile.AUTO).get(i), "product " + i + " auto");
        }
        assertWithinProductTolerance(CPU.linear(a, w, null), device().linear(a, w, null), CPU.linear(abs(a), abs(w), null), "linear " + m + "x" + k + "x" + n);
    }

    @Example
    void reductionsFollowJavaSemanticsForNanAndSignedZeros() {
        float nan = Float.NaN;
        Tensor x = Tensor.of(new float[] {-0f, 0f, 0f, -0f, -0f, -0f, 1f, nan, -3f, nan, -0f, 2f}, 6, 2);
        for (Reduction r : new Reduction[] {Reduction.MIN, Reduction.MAX, Reduction.ABS_MAX})
            for (int axis = 0; axis < 2; axis++)
                assertArrayEquals(CPU.reduce(r, x, axis).toFloatArray(), device().reduce(r, x, axis).toFloatArray(), r + " axis " + axis);
        Tensor bf16 = normal(new Random(3), DType.BF16, 33, 600).transpose(0, 1);
        assertArrayEquals(CPU.reduce(Reduction.ABS_MAX, bf16, 1).toFloatArray(), device().reduce(Reduction.ABS_MAX, bf16, 1).toFloatArray(), "strided BF16 abs-max");
    }

    @Example
    void emptyAxesAndRowsGiveEmptyOrZeroResults() {
        Tensor empty = Tensor.allocate(DType.F32, 3, 0);
        assertArrayEquals(new float[3], device().reduce(Reduction.MAX, empty, 1).toFloatArray());
        Tensor noRows = Tensor.allocate(DType.F32, 0, 8);
        assertEquals(0, device().linear(noRows, normal(new Random(1), DType.F32, 5, 8), null).elementCount());
    }

    @Example
    void batchedMatmulMatchesTheCpu() {
        Random random = new Random(11);
        Tensor a = normal(random, DType.F32, 2, 3, 17, 70), b = normal(random, DType.F32, 2, 3, 70, 9), shared = normal(random, DType.F32, 70, 5);
        assertWithinProductTolerance(CPU.batchedMatmul(a, b), device().batchedMatmul(a, b), CPU.batchedMatmul(abs(a), abs(b)), "batched");
        assertWithinProductTolerance(CPU.batchedMatmul(a, shared), device().batchedMatmul(a, shared), CPU.batchedMatmul(abs(a), abs(shared)), "batched shared");
    }

    @Example
    void readOnlyWeightsGoToTheDeviceOnce() {
        Random random = new Random(5);
        Tensor w = normal(random, DType.BF16, 40, 64);
        Tensor frozen = Tensor.wrap(w.segment().asReadOnly(), DType.BF16, 40, 64);
        Tensor x = normal(random, DType.F32, 7, 64);
        long before = device().weightUploads();
        Tensor first = device().linear(x, frozen, null);
        for (int i = 0; i < 3; i++) assertArrayEquals(first.toFloatArray(), device().linear(x, frozen, null).toFloatArray(), "cached call " + i);
        assertEquals(before + 1, device().weightUploads(), "one upload for four calls");
        Tensor writable = w.copy();
        device().linear(x, writable, null);
        writable.segment().fill((byte) 0);
        assertArrayEquals(new float[7 * 40], device().linear(x, writable, null).toFloatArray(), "a writable weight is re-read on every call");
        assertEquals(before + 1, device().weightUploads(), "writable weights are not cached");
    }
}
