package io.llmc4j.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.tensor.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryTensorSourceTest {
    @Test
    void keepsTensorsByReferenceInOrder() {
        Tensor a = Tensor.of(1f), b = Tensor.of(2f, 3f);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("z", a);
        tensors.put("a", b);
        try (TensorSource source = new InMemoryTensorSource("toy model", tensors)) {
            tensors.clear();                                   // the source keeps its own map
            assertEquals(List.of("z", "a"), List.copyOf(source.names()));
            assertSame(a, source.get("z"));
            assertSame(b, source.get("a"));
            assertTrue(source.contains("a"));
            assertFalse(source.contains("b"));
            assertEquals("toy model", source.description());
            var e = assertThrows(IllegalArgumentException.class, () -> source.get("b"));
            assertEquals("no tensor 'b' in toy model (2 tensors)", e.getMessage());
        }
    }

    @Test
    void rejectsNullsAndUseAfterClose() {
        Map<String, Tensor> withNull = new HashMap<>();
        withNull.put("w", null);
        var e = assertThrows(IllegalArgumentException.class, () -> new InMemoryTensorSource(withNull));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
        InMemoryTensorSource source = new InMemoryTensorSource(Map.of("w", Tensor.of(1f)));
        source.close();
        assertThrows(IllegalStateException.class, () -> source.get("w"));
    }
}
