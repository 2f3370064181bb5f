package io.llmc4j.compress.quantization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Quantize/dequantize/fake-quantize against a naive reference written here from the formulas (double
 * range arithmetic, explicit loops over rows, groups and blocks), on sizes with awkward tails.
 */
class QuantizeOpsReferenceTest {
    private static final int[] SIZES = {1, 3, 7, 31, 33, 257};

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8})
    void channelSymmetricMatchesReference(int bits) {
        for (int rows : new int[] {1, 3, 7}) {
            for (int cols : SIZES) {
                long seed = 31L * rows + cols + 1000L * bits;
                float[] w = random(rows * cols, seed);
                QuantizationArgs args = QuantizationArgs.builder().numBits(bits).strategy(QuantizationStrategy.CHANNEL).build();
                Tensor x = Tensor.of(w, rows, cols);
                QParams qp = qparams(x, args);
                float half = (float) ((Math.pow(2, bits) - 1) / 2);
                float qmin = (float) -Math.pow(2, bits - 1), qmax = (float) Math.pow(2, bits - 1) - 1;
                float[] scale = TensorValues.read(qp.scale());
                float[] fq = TensorValues.read(QuantizeOps.fakeQuantize(x, qp.scale(), qp.zeroPoint(), args));
                for (int r = 0; r < rows; r++) {
                    double absmax = 0;
                    for (int c = 0; c < cols; c++) absmax = Math.max(absmax, Math.abs(w[r * cols + c]));
                    float s = (float) absmax / half;
                    assertEquals(s == 0 ? Math.ulp(1f) : s, scale[r], "scale row " + r + " seed " + seed);
                    for (int c = 0; c < cols; c++) {
                        float q = (float) Math.rint(Math.min(Math.max(w[r * cols + c] / scale[r], qmin), qmax));
                        assertEquals(q * scale[r], fq[r * cols + c], 0f, "row " + r + " col " + c + " seed " + seed);
                    }
                }
            }
        }
    }

    @Test
    void groupAsymmetricMatchesReference() {
        for (int cols : new int[] {16, 48, 256}) {
            long seed = 7L * cols;
            int rows = 3, group = 16;
            float[] w = random(rows * cols, seed);
            QuantizationArgs args = QuantizationArgs.builder().numBits(4).symmetric(false).groupSize(group).build();
            Tensor x = Tensor.of(w, rows, cols);
            QParams qp = qparams(x, args);
            assertArrayEquals(new long[] {rows, cols / group}, qp.scale().shape().toArray());
            float[] scale = TensorValues.read(qp.scale());
            float[] zero = TensorValues.read(qp.zeroPoint());
            float[] q = TensorValues.read(QuantizeOps.quantize(x, qp.scale(), qp.zeroPoint(), args, DType.I8));
            for (int r = 0; r < rows; r++) {
                for (int g = 0; g < cols / group; g++) {
                    double lo = 0, hi = 0;
                    for (int c = g * group; c < (g + 1) * group; c++) {
                        lo = Math.min(lo, w[r * cols + c]);
                        hi = Math.max(hi, w[r * cols + c]);
                    }
                    int p = r * (cols / group) + g;
                    float s = (float) ((float) hi - (float) lo) / 15f;
                    assertEquals(s, scale[p], "scale seed " + seed);
                    float z = (int) Math.rint(Math.min(Math.max(-8f - (float) lo / s, -8f), 7f));
                    assertEquals(z, zero[p], "zero point seed " + seed);
                    for (int c = g * group; c < (g + 1) * group; c++) {
                        float expected = (int) Math.rint(Math.min(Math.max(w[r * cols + c] / s + z, -8f), 7f));
                        assertEquals(expected, q[r * cols + c], "q seed " + seed);
                    }
                }
            }
        }
    }

    @Test
    void blockPadsWithZerosAndMatchesReference() {
        int rows = 20, cols = 37, bh = 8, bw = 16;
        long seed = 99;
        float[] w = random(rows * cols, seed);
        QuantizationArgs args = QuantizationArgs.builder().numBits(8).type(QuantizationType.FLOAT).strategy(QuantizationStrategy.BLOCK)
                .blockStructure(bh, bw).build();
        Tensor x = Tensor.of(w, rows, cols);
        QParams qp = qparams(x, args);
        assertArrayEquals(new long[] {3, 3}, qp.scale().shape().toArray());
        float[] scale = TensorValues.read(qp.scale());
        float[] fq = TensorValues.read(QuantizeOps.fakeQuantize(x, qp.scale(), qp.zeroPoint(), args));
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int p = (r / bh) * 3 + c / bw;
                double absmax = 0;
                for (int i = (r / bh) * bh; i < Math.min(rows, (r / bh + 1) * bh); i++)
                    for (int j = (c / bw) * bw; j < Math.min(cols, (c / bw + 1) * bw); j++) absmax = Math.max(absmax, Math.abs(w[i * cols + j]));
                assertEquals((float) absmax / 448f, scale[p], "block scale seed " + seed);
                float v = io.llmc4j.engine.tensor.FloatFormats.roundToE4M3(w[r * cols + c] / scale[p]);
                assertEquals(v * scale[p], fq[r * cols + c], 0f, "fq seed " + seed);
            }
        }
    }

    @Test
    void dynamicTokenScalesEachToken() {
        for (int hidden : SIZES) {
            long seed = 5L * hidden;
            float[] a = random(2 * 3 * hidden, seed);
            QuantizationArgs args = QuantizationArgs.builder().numBits(8).strategy(QuantizationStrategy.TOKEN).dynamic(DynamicMode.DYNAMIC).build();
            QParams qp = DynamicQParams.compute(Tensor.of(a, 2, 3, hidden), args, null);
            assertArrayEquals(new long[] {2, 3, 1}, qp.scale().shape().toArray());
            float[] scale = TensorValues.read(qp.scale());
            for (int t = 0; t < 6; t++) {
                double absmax = 0;
                for (int h = 0; h < hidden; h++) absmax = Math.max(absmax, Math.abs(a[t * hidden + h]));
                assertEquals((float) absmax / 127.5f, scale[t], "token " + t + " seed " + seed);
            }
        }
    }

    @Test
    void activationOrderedGroupsUseGIdx() {
        int rows = 2, cols = 8, group = 4;
        float[] w = random(rows * cols, 3);
        QuantizationArgs args = QuantizationArgs.builder().numBits(4).groupSize(group).build();
        int[] gIdx = {1, 0, 1, 0, 0, 1, 1, 0};
        float[] perm = new float[rows * cols];
        int[] order = {1, 3, 4, 7, 0, 2, 5, 6};
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) perm[r * cols + c] = w[r * cols + order[c]];
        Tensor permuted = Tensor.of(perm, rows, cols);
        QParams qp = qparams(permuted, args);
        float[] fqPermuted = TensorValues.read(QuantizeOps.fakeQuantize(permuted, qp.scale(), qp.zeroPoint(), args));
        Tensor g = Tensor.allocate(DType.I32, cols);
        for (int c = 0; c < cols; c++) g.setLong(gIdx[c], c);
        float[] fq = TensorValues.read(QuantizeOps.fakeQuantize(Tensor.of(w, rows, cols), qp.scale(), qp.zeroPoint(), args, g, null));
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) assertEquals(fqPermuted[r * cols + c], fq[r * cols + order[c]], 0f, "row " + r + " col " + c);
        }
    }

    @Test
    void dequantizeInfersTheStrategyFromTheScale() {
        float[] w = random(4 * 32, 11);
        Tensor x = Tensor.of(w, 4, 32);
        QuantizationArgs group = QuantizationArgs.builder().numBits(4).groupSize(8).build();
        QParams qp = qparams(x, group);
        Tensor q = QuantizeOps.quantize(x, qp.scale(), qp.zeroPoint(), group, DType.I8);
        assertArrayEquals(TensorValues.read(QuantizeOps.dequantize(q, qp.scale(), qp.zeroPoint(), group)),
                TensorValues.read(QuantizeOps.dequantize(q, qp.scale(), qp.zeroPoint(), null, null, null, null)));
    }

    @Test
    void emptyTensorsGiveEmptyResults() {
        QuantizationArgs args = QuantizationArgs.builder().numBits(8).strategy(QuantizationStrategy.CHANNEL).build();
        Tensor x = Tensor.allocate(DType.F32, 0, 16);
        Tensor scale = Tensor.allocate(DType.F32, 0, 1);
        assertEquals(0, QuantizeOps.fakeQuantize(x, scale, null, args).elementCount());
        assertEquals(DType.I8, QuantizeOps.quantize(x, scale, null, args, DType.I8).dtype());
    }

    @Test
    void shapeErrorsNameWhatWasExpected() {
        QuantizationArgs group = QuantizationArgs.builder().numBits(4).groupSize(16).build();
        Tensor x = Tensor.allocate(DType.F32, 2, 40);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QuantizeOps.fakeQuantize(x, Tensor.allocate(DType.F32, 2, 3), null, group));
        assertTrue(e.getMessage().contains("group_size 16") && e.getMessage().contains("40"), e.getMessage());
        QuantizationArgs channel = QuantizationArgs.builder().strategy(QuantizationStrategy.CHANNEL).build();
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                () -> QuantizeOps.fakeQuantize(Tensor.allocate(DType.F32, 2, 4), Tensor.allocate(DType.F32, 3, 1), null, channel));
        assertTrue(b.getMessage().contains("[3, 1]") && b.getMessage().contains("[2, 4]"), b.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QuantizeOps.fakeQuantize(Tensor.allocate(DType.I32, 2, 4),
                Tensor.allocate(DType.F32, 2, 1), null, channel));
    }

    @Test
    void halfPrecisionIsComputedInHalf() {
        float[] w = random(64, 17);
        QuantizationArgs args = QuantizationArgs.builder().numBits(8).strategy(QuantizationStrategy.CHANNEL).build();
        Tensor x = TensorValues.write(w, DType.F16, 2, 32);
        QParams qp = qparams(x, args);
        assertEquals(DType.F16, qp.scale().dtype());
        Tensor fq = QuantizeOps.fakeQuantize(x, qp.scale(), qp.zeroPoint(), args);
        assertEquals(DType.F16, fq.dtype());
        float[] xs = TensorValues.read(x), s = TensorValues.read(qp.scale()), out = TensorValues.read(fq);
        for (int i = 0; i < 64; i++) {
            float v = Float.float16ToFloat(Float.floatToFloat16(xs[i] / s[i / 32]));
            float q = (float) Math.rint(Math.min(Math.max(v, -128f), 127f));
            assertEquals(Float.float16ToFloat(Float.floatToFloat16(q * s[i / 32])), out[i], 0f, "element " + i);
        }
    }

    private static QParams qparams(Tensor x, QuantizationArgs args) {
        io.llmc4j.compress.observers.Observer observer = io.llmc4j.compress.observers.ObserverRegistry.standard()
                .create(io.llmc4j.compress.observers.ObservedRole.WEIGHT, args);
        observer.observe(x);
        return observer.qparams();
    }

    static float[] random(int n, long seed) {
        Random random = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) (random.nextGaussian() * 0.05);
        return out;
    }
}
