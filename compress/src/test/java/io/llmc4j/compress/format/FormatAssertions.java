package io.llmc4j.compress.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** Exact comparisons for checkpoint tests: tensors byte for byte, JSON trees with their key order. */
final class FormatAssertions {
    private FormatAssertions() {
    }

    /** Same dtype, same shape, same bytes (exact for integer dtypes too, and −0.0 ≠ +0.0). */
    static void assertSameTensor(String what, Tensor expected, Tensor actual) {
        if (actual == null) fail(what + ": missing, expected " + expected.dtype() + expected.shape());
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        byte[] e = bytes(expected), a = bytes(actual);
        int width = expected.dtype().byteSize();
        int mismatches = 0;
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < e.length; i += width) {
            boolean same = true;
            for (int b = 0; b < width; b++) same &= e[i + b] == a[i + b];
            if (!same) {
                if (mismatches < 6) first.append("\n  element ").append(i / width).append(": expected ")
                        .append(expected.getFlat(i / width)).append(", got ").append(actual.contiguous().getFlat(i / width));
                mismatches++;
            }
        }
        if (mismatches > 0) fail(what + ": " + mismatches + " of " + e.length / width + " elements differ" + first);
    }

    static byte[] bytes(Tensor t) {
        Tensor c = t.contiguous();
        return c.segment().asSlice(c.byteOffset(), c.byteSize()).toArray(ValueLayout.JAVA_BYTE);
    }

    /** Equal trees whose objects also list their keys in the same order. */
    static void assertSameJson(String what, JsonNode expected, JsonNode actual) {
        assertEquals(expected, actual, what);
        assertSameOrder(what, expected, actual);
    }

    private static void assertSameOrder(String path, JsonNode expected, JsonNode actual) {
        if (expected.isObject()) {
            List<String> e = new ArrayList<>(), a = new ArrayList<>();
            expected.fieldNames().forEachRemaining(e::add);
            actual.fieldNames().forEachRemaining(a::add);
            assertEquals(e, a, path + ": key order");
            for (String k : e) assertSameOrder(path + "." + k, expected.get(k), actual.get(k));
        } else if (expected.isArray()) {
            for (int i = 0; i < expected.size(); i++) assertSameOrder(path + "[" + i + "]", expected.get(i), actual.get(i));
        }
    }
}
