package io.llmc4j.compress.quantization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.observers.ObservedRole;
import io.llmc4j.compress.observers.Observer;
import io.llmc4j.compress.observers.ObserverRegistry;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.FloatFormats;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Scale;

/** Properties of the quantization math; inputs are generated inside the domain each property needs. */
class QuantizationProperties {
    private static final ObserverRegistry OBSERVERS = ObserverRegistry.standard();

    @Property(tries = 300)
    void intRoundTripIsWithinHalfAStep(@ForAll("intBits") int bits, @ForAll boolean symmetric,
                                       @ForAll @FloatRange(min = 0, max = 1) @Scale(6) float position,
                                       @ForAll @FloatRange(min = 1e-4f, max = 10) @Scale(6) float scale,
                                       @ForAll @FloatRange(min = 0, max = 1) float zeroPosition) {
        QuantizationArgs args = QuantizationArgs.builder().numBits(bits).symmetric(symmetric).build();
        QuantizationRange range = QuantizationRange.of(args);
        float zero = symmetric ? 0f : (float) Math.rint(range.min() + zeroPosition * range.width());
        float steps = range.min() + position * range.width();            // inside [qmin, qmax] after adding zp
        float x = (steps - zero) * scale;
        float fq = fakeQuantizeOne(x, scale, zero, args);
        assertTrue(Math.abs(x - fq) <= scale * 0.5f * (1 + 1e-5f), () -> x + " -> " + fq + " at scale " + scale + " zp " + zero);
    }

    @Property(tries = 200)
    void fakeQuantizeIsIdempotent(@ForAll("schemes") QuantizationArgs args, @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        Tensor x = gaussian(4, 64, seed);
        QParams qp = observe(x, args);
        Tensor once = QuantizeOps.fakeQuantize(x, qp.scale(), qp.zeroPoint(), args, null, qp.globalScale());
        Tensor twice = QuantizeOps.fakeQuantize(once, qp.scale(), qp.zeroPoint(), args, null, qp.globalScale());
        float[] a = TensorValues.read(once), b = TensorValues.read(twice);
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 0f, args + " seed " + seed + " element " + i);
    }

    @Property(tries = 300)
    void symmetricIntIsOddInsideTheRange(@ForAll("intBits") int bits, @ForAll @FloatRange(min = -1, max = 1) @Scale(6) float position,
                                         @ForAll @FloatRange(min = 1e-4f, max = 10) @Scale(6) float scale) {
        QuantizationArgs args = QuantizationArgs.builder().numBits(bits).build();
        float limit = QuantizationRange.of(args).max() + 0.45f;               // beyond it, −8 exists but +8 does not
        float x = position * limit * scale;
        assertEquals(-fakeQuantizeOne(x, scale, 0f, args), fakeQuantizeOne(-x, scale, 0f, args), 0f, () -> "x " + x + " scale " + scale);
    }

    @Property(tries = 300)
    void symmetricFloatIsOdd(@ForAll("floatSchemes") QuantizationArgs args, @ForAll @FloatRange(min = -1000, max = 1000) float x,
                             @ForAll @FloatRange(min = 1e-3f, max = 10) @Scale(5) float scale) {
        assertEquals(-fakeQuantizeOne(x, scale, 0f, args), fakeQuantizeOne(-x, scale, 0f, args), 0f, () -> args + " x " + x);
    }

    @Property(tries = 300)
    void asymmetricZeroPointsAreIntegersInRange(@ForAll("intBits") int bits, @ForAll @FloatRange(min = -1e30f, max = 1e30f) float a,
                                                @ForAll @FloatRange(min = -1e30f, max = 1e30f) float b) {
        QuantizationArgs args = QuantizationArgs.builder().numBits(bits).symmetric(false).build();
        QParams qp = QParamsCalculator.calculate(Tensor.of(Math.min(a, b)), Tensor.of(Math.max(a, b)), args, null);
        QuantizationRange range = QuantizationRange.of(args);
        float zp = qp.zeroPoint().getFloat(0);
        float scale = qp.scale().getFloat(0);
        assertEquals(DType.I8, qp.zeroPoint().dtype());
        assertTrue(zp >= range.min() && zp <= range.max() && zp == Math.rint(zp), "zp " + zp);
        assertTrue(scale > 0 && Float.isFinite(scale), "scale " + scale);
    }

    @Property(tries = 150)
    void constantTensorsGiveFinitePositiveScales(@ForAll("schemes") QuantizationArgs args, @ForAll("computeTypes") DType dtype,
                                                 @ForAll @FloatRange(min = -1e30f, max = 1e30f) float value) {
        float[] data = new float[4 * 64];
        Arrays.fill(data, value);
        Tensor x = TensorValues.write(data, dtype, 4, 64);
        QParams qp = observe(x, args);
        for (float s : TensorValues.read(qp.scale())) assertTrue(s > 0 && Float.isFinite(s), args + " " + dtype + " constant " + value + " scale " + s);
        for (float f : TensorValues.read(QuantizeOps.fakeQuantize(x, qp.scale(), qp.zeroPoint(), args, null, qp.globalScale())))
            assertTrue(Float.isFinite(f), args + " constant " + value + " fq " + f);
    }

    @Property(tries = 500)
    void fp8CastIsMonotoneAndSaturating(@ForAll float a, @ForAll float b) {
        float lo = Math.min(a, b), hi = Math.max(a, b);
        float cl = FloatFormats.roundToE4M3(lo), ch = FloatFormats.roundToE4M3(hi);
        assertTrue(cl <= ch, () -> lo + " -> " + cl + " but " + hi + " -> " + ch);
        assertTrue(Math.abs(cl) <= 448f && Math.abs(ch) <= 448f);
        if (hi >= 448f) assertEquals(448f, ch);
        if (lo <= -448f) assertEquals(-448f, cl);
        assertEquals(ch, QuantizedGrid.FP8_E4M3.round(TorchArithmetic.clamp(hi, -448f, 448f)));
    }

    @Property(tries = 500)
    void fp4CastIsMonotoneAndSaturating(@ForAll @FloatRange(min = -100, max = 100) float a, @ForAll @FloatRange(min = -100, max = 100) float b) {
        float lo = Math.min(a, b), hi = Math.max(a, b);
        float cl = Fp4E2M1.cast(lo), ch = Fp4E2M1.cast(hi);
        assertTrue(cl <= ch, () -> lo + " -> " + cl + " but " + hi + " -> " + ch);
        assertTrue(Math.abs(ch) <= 6f && Math.abs(cl) <= 6f);
        if (hi > 5f) assertEquals(6f, ch);
        if (lo < -5f) assertEquals(-6f, cl);
        assertEquals(ch, Fp4E2M1.decode(Fp4E2M1.encode(ch)));
    }

    @Property(tries = 200)
    void mxScalesArePowersOfTwoThatFitTheGroup(@ForAll @FloatRange(min = 1, max = 2, maxIncluded = false) @Scale(7) float mantissa,
                                               @ForAll @IntRange(min = -100, max = 99) int exponent, @ForAll("mxBits") int bits) {
        float absmax = Math.scalb(mantissa, exponent);
        float code = Math.min(255, Math.max(0, (float) Math.rint(MxScales.exponentCode(absmax, bits, DType.F32))));
        float scale = MxScales.scaleOfCode(code, DType.F32);
        assertEquals(0, Float.floatToRawIntBits(scale) & 0x7FFFFF, () -> "scale " + scale + " for " + absmax);
        float max = bits == 4 ? 6f : 448f;
        // the group max lands below 2x the element max (power-of-2 rounding down), or one step above it when rounded up
        assertTrue(absmax / scale < 2 * max * 1.01f, () -> "absmax " + absmax + " scale " + scale);
    }

    @Property(tries = 100)
    void bf16ResultsStayOnTheBf16Grid(@ForAll("schemes") QuantizationArgs args, @ForAll @IntRange(min = 0, max = 10_000) int seed) {
        Tensor x = TensorValues.write(TensorValues.read(gaussian(2, 64, seed)), DType.BF16, 2, 64);
        QParams qp = observe(x, args);
        Tensor fq = QuantizeOps.fakeQuantize(x, qp.scale(), qp.zeroPoint(), args, null, qp.globalScale());
        for (float v : TensorValues.read(fq)) {
            if (fq.dtype() == DType.BF16) assertEquals(v, FloatFormats.bf16ToFloat(FloatFormats.floatToBf16(v)));
        }
    }

    @Provide
    Arbitrary<Integer> intBits() {
        return Arbitraries.of(1, 2, 3, 4, 8);
    }

    @Provide
    Arbitrary<Integer> mxBits() {
        return Arbitraries.of(4, 8);
    }

    @Provide
    Arbitrary<DType> computeTypes() {
        return Arbitraries.of(DType.F32, DType.BF16);
    }

    @Provide
    Arbitrary<QuantizationArgs> floatSchemes() {
        return Arbitraries.of(List.of(
                QuantizationArgs.builder().numBits(8).type(QuantizationType.FLOAT).build(),
                QuantizationArgs.builder().numBits(4).type(QuantizationType.FLOAT).build()));
    }

    @Provide
    Arbitrary<QuantizationArgs> schemes() {
        return Arbitraries.of(List.of(
                QuantizationArgs.builder().numBits(4).strategy(QuantizationStrategy.CHANNEL).build(),
                QuantizationArgs.builder().numBits(4).groupSize(16).build(),
                QuantizationArgs.builder().numBits(4).symmetric(false).groupSize(32).build(),
                QuantizationArgs.builder().numBits(8).symmetric(false).build(),
                QuantizationArgs.builder().numBits(8).type(QuantizationType.FLOAT).build(),
                QuantizationArgs.builder().numBits(8).type(QuantizationType.FLOAT).strategy(QuantizationStrategy.BLOCK).blockStructure(3, 16).build(),
                QuantizationPresets.scheme("NVFP4A16", List.of("Linear")).weights(),
                QuantizationPresets.scheme("MXFP4A16", List.of("Linear")).weights(),
                QuantizationPresets.scheme("MXFP8A16", List.of("Linear")).weights()));
    }

    private static float fakeQuantizeOne(float x, float scale, float zero, QuantizationArgs args) {
        Tensor zp = TensorValues.write(new float[] {zero}, args.zpDtype(), 1);
        return QuantizeOps.fakeQuantize(Tensor.of(x), Tensor.of(scale), zp, args).getFloat(0);
    }

    private static QParams observe(Tensor x, QuantizationArgs args) {
        Observer observer = OBSERVERS.create(ObservedRole.WEIGHT, args);
        observer.observe(x);
        return observer.qparams();
    }

    private static Tensor gaussian(int rows, int cols, long seed) {
        Random random = new Random(seed);
        float[] out = new float[rows * cols];
        for (int i = 0; i < out.length; i++) out[i] = (float) (random.nextGaussian() * Math.exp(random.nextGaussian()));
        return Tensor.of(out, rows, cols);
    }
}
