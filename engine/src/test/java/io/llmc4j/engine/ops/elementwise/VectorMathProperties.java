package io.llmc4j.engine.ops.elementwise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.ops.memory.Widening;
import jdk.incubator.vector.FloatVector;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
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
