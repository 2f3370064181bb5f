package io.llmc4j.engine.ops.elementwise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.ops.memory.Widening;
import jdk.incubator.vector.FloatVector;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class VectorMathProperties {

    @Property
    void vectorExpEqualsScalarExpAndIsAccurate(@ForAll @FloatRange(min = -110, max = 95) float x) {
        float[] lanes = new float[Widening.LANES];
        for (int i = 0; i < lanes.length; i++) lanes[i] = x + i * 0.37f;
        float[] out = new float[lanes.length];
        VectorMath.exp(FloatVector.fromArray(Widening.SPECIES, lanes, 0)).intoArray(out, 0);
        for (int i = 0; i < lanes.length; i++) {
            float scalar = VectorMath.exp(lanes[i]);
            assertEquals(Float.floatToRawIntBits(scalar), Float.floatToRawIntBits(out[i]), "lane " + i + " of exp(" + lanes[i] + ")");
            double exact = Math.exp(lanes[i]);
            double error = Math.abs(scalar - exact);
            assertTrue(error <= 3 * Math.ulp((float) exact) || error <= Float.MIN_VALUE, () -> "exp(" + x + ") = " + scalar + ", exact " + exact);
        }
    }

    @Property
    void arrayExpEqualsScalarExpOfTheScaledShiftedInput(@ForAll @Size(max = 70) float[] values, @ForAll @IntRange(max = 3) int scaleIndex,
                                                         @ForAll @FloatRange(min = -50, max = 50) float shift, @ForAll @IntRange(max = 5) int offset) {
        float scale = new float[] {1f, -1f, -2f, 0.5f}[scaleIndex];
        float[] src = new float[values.length + offset], dst = new float[values.length + 2 * offset];
        System.arraycopy(values, 0, src, offset, values.length);
        VectorMath.exp(src, offset, scale, shift, dst, 2 * offset, values.length);
        for (int i = 0; i < values.length; i++) {
            float expected = VectorMath.exp(values[i] * scale - shift);
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(dst[2 * offset + i]),
                    "element " + i + " of " + values.length + ": exp(" + values[i] + " * " + scale + " - " + shift + ")");
        }
        float[] inPlace = src.clone();
        VectorMath.exp(inPlace, offset, scale, shift, inPlace, offset, values.length);
        for (int i = 0; i < values.length; i++)
            assertEquals(Float.floatToRawIntBits(dst[2 * offset + i]), Float.floatToRawIntBits(inPlace[offset + i]), "in place, element " + i);
    }

    @Test
    void expHandlesSpecialValues() {
        assertEquals(Float.POSITIVE_INFINITY, VectorMath.exp(Float.POSITIVE_INFINITY));
        assertEquals(0f, VectorMath.exp(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(VectorMath.exp(Float.NaN)));
        assertEquals(1f, VectorMath.exp(0f));
        assertEquals(Float.POSITIVE_INFINITY, VectorMath.exp(89f));
    }

    @Property
    void sumIsAFixedTree(@ForAll @FloatRange(min = -1e6f, max = 1e6f) float seed) {
        float[] lanes = new float[Widening.LANES];
        for (int i = 0; i < lanes.length; i++) lanes[i] = seed * (i + 1) / 7f + i;
        float[] tree = lanes.clone();
        for (int width = lanes.length / 2; width >= 1; width /= 2)
            for (int i = 0; i < width; i++) tree[i] = tree[i] + tree[i + width];
        assertEquals(Float.floatToRawIntBits(tree[0]), Float.floatToRawIntBits(VectorMath.sum(FloatVector.fromArray(Widening.SPECIES, lanes, 0))));
        assertEquals(Float.floatToRawIntBits(tree[0]), Float.floatToRawIntBits(VectorMath.sum(lanes, 0)));
    }
}
