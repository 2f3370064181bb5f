package io.llmc4j.compress.quantization.gptq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.llmc4j.compress.quantization.TensorValues;
import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Partial Hessians: counts, masks, exact merges, mean. */
class HessianSumTest {

    private static Tensor random(Random random, long... dims) {
        int n = 1;
        for (long d : dims) n *= (int) d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) random.nextGaussian();
        return TensorValues.write(v, DType.F32, dims);
    }

    @Test
    void partialsMergeByElementwiseAdditionAndCountsAdd() {
        Random random = new Random(3);
        Tensor a = random(random, 2, 5, 40), b = random(random, 7, 40);
        try (Parallel parallel = new Parallel(2)) {
            HessianSum first = new HessianSum(40), second = new HessianSum(40);
            first.add(a, null, parallel);
            second.add(b, null, parallel);
            HessianSum merged = new HessianSum(40);
            merged.merge(first);
            merged.merge(second);
            assertEquals(3, merged.samples(), "a [2, 5, 40] input is 2 samples, a 2-D input 1");
            assertEquals(17, merged.tokens());
            float[] x = first.lowerSum(), y = second.lowerSum(), sum = merged.lowerSum();
            for (int i = 0; i < sum.length; i++) assertEquals(Float.floatToRawIntBits(0f + x[i] + y[i]), Float.floatToRawIntBits(sum[i]), "element " + i);
            HessianSum again = new HessianSum(40);
            again.merge(first);
            again.merge(second);
            assertArrayEquals(sum, again.lowerSum(), "the same partials in the same order give the same bits");
            float[] mean = merged.mean();
            for (int i = 0; i < 40; i++)
                for (int j = 0; j < 40; j++) assertEquals(mean[i * 40 + j], mean[j * 40 + i], "mean is symmetric");
            assertThrows(IllegalArgumentException.class, () -> merged.merge(new HessianSum(41)));
        }
    }

    @Test
    void maskedRowsAreLeftOut() {
        Random random = new Random(4);
        Tensor x = random(random, 6, 16);
        boolean[] keep = {true, false, true, true, false, true};
        try (Parallel parallel = new Parallel(1)) {
            HessianSum masked = new HessianSum(16), kept = new HessianSum(16);
            masked.add(x, keep, parallel);
            float[] all = TensorValues.read(x), rows = new float[4 * 16];
            int r = 0;
            for (int i = 0; i < 6; i++) if (keep[i]) System.arraycopy(all, i * 16, rows, 16 * r++, 16);
            kept.add(TensorValues.write(rows, DType.F32, 4, 16), null, parallel);
            assertArrayEquals(kept.lowerSum(), masked.lowerSum());
            assertEquals(4, masked.tokens());
            assertThrows(IllegalArgumentException.class, () -> masked.add(x, new boolean[5], parallel));
            assertThrows(IllegalStateException.class, () -> new HessianSum(3).mean());
        }
    }
}
