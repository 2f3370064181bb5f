package io.llmc4j.compress.format;

import static io.llmc4j.compress.format.FormatAssertions.assertSameTensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationPresets;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.QuantizationStrategy;
import io.llmc4j.compress.quantization.QuantizeOps;
import io.llmc4j.compress.quantization.TensorValues;
import io.llmc4j.engine.nn.Linear;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Compress then decompress on random weights of odd sizes (rows 1, 3, 7, 33; columns 1, 3, 7, 31, 33,
 * 257, or multiples of the group size), for every format: the stored quantized values, decoded here
 * by a naive reader of the format's bit layout, are {@code quantize(weight)}, and the decompressed
 * weight is {@code dequantize(quantize(weight))} bit for bit.
 */
class CompressorPropertiesTest {
    private static final List<String> LINEAR = List.of("Linear");

    @Provide
    Arbitrary<Integer> rows() {
        return Arbitraries.of(1, 3, 7, 33);
    }

    @Provide
    Arbitrary<Integer> columns() {
        return Arbitraries.of(1, 3, 7, 31, 33, 257);
    }

    @Property(tries = 150)
    void packQuantizedStoresAndRestoresTheQuantizedWeight(@ForAll("rows") int rows, @ForAll("columns") int columns,
                                                          @ForAll @IntRange(min = 1, max = 8) int bits, @ForAll boolean symmetric,
                                                          @ForAll @IntRange(min = 0, max = 2) int strategyIndex, @ForAll long seed) {
        QuantizationStrategy strategy = List.of(QuantizationStrategy.TENSOR, QuantizationStrategy.CHANNEL, QuantizationStrategy.GROUP).get(strategyIndex);
        int cols = strategy == QuantizationStrategy.GROUP ? columns * 8 : columns;
        QuantizationArgs.Builder args = QuantizationArgs.builder().numBits(bits).symmetric(symmetric).strategy(strategy);
        if (strategy == QuantizationStrategy.GROUP) args.groupSize(8);
        QuantizationScheme scheme = new QuantizationScheme(LINEAR, args.build(), null, null, null);
        assertEquals(CompressionFormat.PACK_QUANTIZED, FormatInference.forScheme(scheme));
        Map<String, Tensor> state = calibrated(rows, cols, scheme, seed, DType.F32);
        Map<String, Tensor> stored = new PackQuantizedCompressor().compress("m", state, scheme);

        Tensor q = QuantizeOps.quantize(state.get("weight"), state.get("weight_scale"), state.get("weight_zero_point"), scheme.weights(), DType.I8);
        assertEquals(DType.I64, stored.get("weight_shape").dtype());
        assertEquals(List.of((long) rows, (long) cols), List.of(stored.get("weight_shape").toLongArray()[0], stored.get("weight_shape").toLongArray()[1]));
        int[] packed = ints(stored.get("weight_packed"));
        int words = (int) stored.get("weight_packed").dim(1);
        assertEquals((cols * bits + 31) / 32, words, "seed " + seed);
        long[] qv = q.toLongArray();
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) assertEquals(qv[r * cols + c], naiveRead(packed, r * words, c, bits), "seed " + seed + " at " + r + "," + c);
        if (symmetric) assertFalse(stored.containsKey("weight_zero_point"), "symmetric zero points are dropped");
        else if (strategy == QuantizationStrategy.TENSOR) assertSameTensor("tensor zero point", state.get("weight_zero_point"), stored.get("weight_zero_point"));
        else {
            Tensor zp = state.get("weight_zero_point");
            int groups = (int) zp.dim(1);
            int[] packedZp = ints(stored.get("weight_zero_point"));
            assertEquals(List.of((long) (rows * bits + 31) / 32, (long) groups), List.of(stored.get("weight_zero_point").dim(0), stored.get("weight_zero_point").dim(1)));
            long[] zv = zp.toLongArray();
            for (int g = 0; g < groups; g++) {
                int[] column = new int[(rows * bits + 31) / 32];
                for (int w = 0; w < column.length; w++) column[w] = packedZp[w * groups + g];
                for (int r = 0; r < rows; r++) assertEquals(zv[r * groups + g], naiveRead(column, 0, r, bits), "zero point " + r + "," + g + " seed " + seed);
            }
        }

        Tensor expected = QuantizeOps.dequantize(q, state.get("weight_scale"), state.get("weight_zero_point"), scheme.weights());
        assertSameTensor("seed " + seed, expected, new PackQuantizedCompressor().decompress("m", stored, scheme).get("weight"));
    }

    @Property(tries = 60)
    void naiveFormatsStoreTheQuantizedWeight(@ForAll("rows") int rows, @ForAll("columns") int cols, @ForAll boolean fp8, @ForAll boolean bf16,
                                             @ForAll long seed) {
        QuantizationScheme scheme = QuantizationPresets.scheme(fp8 ? "FP8_DYNAMIC" : "W8A8", LINEAR);
        CompressionFormat format = FormatInference.forScheme(scheme);
        Map<String, Tensor> state = calibrated(rows, cols, scheme, seed, bf16 ? DType.BF16 : DType.F32);
        Compressor compressor = Compressor.of(format);
        Map<String, Tensor> stored = compressor.compress("m", state, scheme);
        Tensor q = QuantizeOps.quantize(state.get("weight"), state.get("weight_scale"), state.get("weight_zero_point"), scheme.weights(),
                fp8 ? DType.F8_E4M3 : DType.I8);
        assertSameTensor("quantized weight, seed " + seed, q, stored.get("weight"));
        assertSameTensor("scale passes through", state.get("weight_scale"), stored.get("weight_scale"));
        assertEquals(Map.of("weight", 0, "weight_scale", 0).keySet(), stored.keySet());
        assertSameTensor("seed " + seed, QuantizeOps.dequantize(q, state.get("weight_scale"), null, scheme.weights()),
                compressor.decompress("m", stored, scheme).get("weight"));
    }

    @Property(tries = 40)
    void fp4FormatsRestoreTheFakeQuantizedWeightInBf16(@ForAll("rows") int rows, @ForAll @IntRange(min = 1, max = 9) int groups,
                                                       @ForAll boolean mx, @ForAll long seed) {
        QuantizationScheme scheme = QuantizationPresets.scheme(mx ? "MXFP4A16" : "NVFP4A16", LINEAR);
        int cols = groups * (mx ? 32 : 16);
        Map<String, Tensor> state = calibrated(rows, cols, scheme, seed, DType.F32);
        Compressor compressor = Compressor.of(FormatInference.forScheme(scheme));
        Map<String, Tensor> stored = compressor.compress("m", state, scheme);
        assertEquals(mx ? DType.U8 : DType.F8_E4M3, stored.get("weight_scale").dtype());
        assertEquals(List.of((long) rows, (long) cols / 2), List.of(stored.get("weight_packed").dim(0), stored.get("weight_packed").dim(1)));
        Tensor restored = compressor.decompress("m", stored, scheme).get("weight");
        assertEquals(DType.BF16, restored.dtype());
        Tensor fq = QuantizeOps.fakeQuantize(state.get("weight"), state.get("weight_scale"), state.get("weight_zero_point"), scheme.weights(),
                null, state.get("weight_global_scale"));
        float[] expected = TensorValues.read(fq), actual = TensorValues.read(restored);
        for (int i = 0; i < expected.length; i++) {
            float bf16 = TensorValues.read(TensorValues.write(new float[] {expected[i]}, DType.BF16, 1))[0];
            assertEquals(bf16, actual[i], 0f, "seed " + seed + " element " + i);
        }
    }

    /** Calibrated state of a random [rows, cols] Linear: weight and observer qparams. */
    private static Map<String, Tensor> calibrated(int rows, int cols, QuantizationScheme scheme, long seed, DType dtype) {
        Random random = new Random(seed);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) w[i] = (float) (random.nextGaussian() * 0.1);
        Linear linear = new Linear(TinyQuantizedModels.OPS, TensorValues.write(w, dtype, rows, cols), null);
        TinyQuantizedModels.calibrateWeight(linear, scheme.weights());
        return linear.parameters();
    }

    /** Element {@code index} of a b-bit little-endian bit stream starting at word {@code from}, made signed. */
    private static long naiveRead(int[] words, int from, int index, int bits) {
        long value = 0;
        for (int b = 0; b < bits; b++) {
            long bit = (long) index * bits + b;
            int word = words[from + (int) (bit / 32)];
            value |= (long) ((word >>> (bit % 32)) & 1) << b;
        }
        return value - (1L << (bits - 1));
    }

    private static int[] ints(Tensor t) {
        long[] v = t.toLongArray();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (int) v[i];
        return out;
    }
}
