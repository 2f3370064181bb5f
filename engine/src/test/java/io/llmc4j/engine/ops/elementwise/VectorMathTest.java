package io.llmc4j.engine.ops.elementwise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.ops.memory.Widening;
import jdk.incubator.vector.FloatVector;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import org.junit.jupiter.api.Test;

class VectorMathTest {

    @Property
    void expIsWithinTwoUlpsOfMathExp(@ForAll @FloatRange(min = -85.9f, max = 88.7f) float x) {
        double expected = Math.exp(x);
        float actual = VectorMath.exp(x);
        assertTrue(Math.abs(actual - expected) <= 2e-7 * expected + Float.MIN_NORMAL, () -> x + ": " + actual + " vs " + expected);
    }

    @Property
    void vectorLanesEqualTheScalarPathBitForBit(@ForAll @FloatRange(min = -120f, max = 120f) float x) {
        FloatVector v = FloatVector.broadcast(Widening.SPECIES, x);
        assertEquals(Float.floatToRawIntBits(VectorMath.exp(x)), Float.floatToRawIntBits(VectorMath.exp(v).lane(0)), () -> "exp " + x);
        assertEquals(Float.floatToRawIntBits(VectorMath.tanh(x)), Float.floatToRawIntBits(VectorMath.tanh(v).lane(0)), () -> "tanh " + x);
    }

    @Test
    void edgeValues() {
        assertEquals(0f, VectorMath.exp(Float.NEGATIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, VectorMath.exp(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(VectorMath.exp(Float.NaN)));
        assertEquals(1f, VectorMath.exp(0f));
        FloatVector v = FloatVector.broadcast(Widening.SPECIES, Float.NEGATIVE_INFINITY);
        assertEquals(0f, VectorMath.exp(v).lane(0));
        assertEquals(1f, VectorMath.tanh(50f));
        assertEquals(-1f, VectorMath.tanh(-50f));
        assertEquals(0f, VectorMath.tanh(0f));
    }

    @Test
    void sumAddsLanesInOrder() {
        float[] lanes = new float[Widening.LANES];
        lanes[0] = 1e8f;
        for (int i = 1; i < lanes.length; i++) lanes[i] = 1f;
        float expected = 0f;
        for (float lane : lanes) expected += lane;
        assertEquals(expected, VectorMath.sum(FloatVector.fromArray(Widening.SPECIES, lanes, 0)));
    }
}
