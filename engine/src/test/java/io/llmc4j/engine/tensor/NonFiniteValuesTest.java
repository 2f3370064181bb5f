package io.llmc4j.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NonFiniteValuesTest {
    private static final float[] SPECIAL = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F64", "F32", "F16", "BF16", "F8_E5M2", "F8_E4M3"})
    void theFastScanFindsTheSameFirstIndexAsThePlainLoop(DType dtype) {
        SplittableRandom random = new SplittableRandom(dtype.ordinal());
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(300);
            Tensor t = Tensor.allocate(dtype, n);
            for (int i = 0; i < n; i++) t.setFlat(i, random.nextDouble(-400, 400));
            int hits = random.nextInt(3);
            for (int h = 0; h < hits; h++) {
                float special = SPECIAL[random.nextInt(dtype == DType.F8_E4M3 ? 1 : 3)];
                t.setFlat(random.nextInt(n), special);
            }
            long expected = NonFiniteValues.firstIndexReference(t);
            assertEquals(expected, NonFiniteValues.firstIndex(t), dtype + " n=" + n + " trial " + trial);
            if (hits == 0) assertEquals(-1, expected);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "BF16"})
    void aStridedViewIsScannedInRowMajorOrderAndTheHitDescribed(DType dtype) {
        Tensor t = Tensor.allocate(dtype, 4, 6);
        t.setFloat(Float.NEGATIVE_INFINITY, 3, 1);
        t.setFloat(Float.NaN, 1, 2);
        Tensor transposed = t.transpose(0, 1);
        assertEquals(1 * 4 + 3, NonFiniteValues.firstIndex(transposed));
        assertEquals("-Inf at [1, 3]", NonFiniteValues.describe(transposed, 7));
        assertEquals(1 * 6 + 2, NonFiniteValues.firstIndex(t));
        assertEquals("NaN at [1, 2]", NonFiniteValues.describe(t, 8));
        assertEquals(-1, NonFiniteValues.firstIndex(Tensor.ofLongs(new long[] {1, 2, 3}, 3)));
    }
}
