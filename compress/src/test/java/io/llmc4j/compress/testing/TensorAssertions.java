package io.llmc4j.compress.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.llmc4j.compress.quantization.TensorValues;
import io.llmc4j.engine.tensor.Tensor;

/** Bit-exact tensor comparison with a readable report of the first differences. */
public final class TensorAssertions {
    private TensorAssertions() {
    }

    /** Same dtype, same shape, same bits of every value (so −0.0 ≠ +0.0). */
    public static void assertBitsEqual(String what, Tensor expected, Tensor actual) {
        if (expected.dtype() != actual.dtype())
            fail(what + ": dtype " + actual.dtype() + ", expected " + expected.dtype());
        if (!expected.shape().equals(actual.shape()))
            fail(what + ": shape " + actual.shape() + ", expected " + expected.shape());
        float[] e = TensorValues.read(expected);
        float[] a = TensorValues.read(actual);
        int mismatches = 0;
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i]) && !(Float.isNaN(e[i]) && Float.isNaN(a[i]))) {
                if (mismatches < 6) first.append(String.format("%n  [%d] expected %s (0x%08x) got %s (0x%08x)", i, e[i],
                        Float.floatToRawIntBits(e[i]), a[i], Float.floatToRawIntBits(a[i])));
                mismatches++;
            }
        }
        if (mismatches > 0) fail(what + ": " + mismatches + " of " + e.length + " values differ" + first);
    }
}
