package io.llmc4j.engine.fx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.ops.OpCode;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphTest {
    private static final TensorMeta META = new TensorMeta(DType.F32, Shape.of(2, 3));

    private static CallFunction add(String name, String a, String b) {
        return new CallFunction(name, OpCode.ADD, List.of(new Arg.Ref(a), new Arg.Ref(b)), META);
    }

    @Test
    void usersAreDerivedFromInputs() {
        Graph g = new Graph(List.of(
                new Placeholder("x", META),
                new GetAttr("w", "layer.weight", META),
                add("a", "x", "w"),
                add("b", "a", "a"),
                new CallModule("m", "layer", List.of(new Arg.Ref("b"), new Arg.Literal(null)), META),
                new Output("output", List.of("m", "a"))));
        assertTrue(g.isWellFormed(), g.problems()::toString);
        assertEquals(List.of("a"), g.users("x"));
        assertEquals(List.of("b", "output"), g.users("a"));
        assertEquals(List.of("a"), g.node("b").inputs(), "an input read twice is listed once");
        assertEquals(List.of("m", "a"), g.outputNames());
        assertEquals("layer", ((GetAttr) g.node("w")).modulePath());
        assertEquals("weight", ((GetAttr) g.node("w")).attributeName());
    }

    @Test
    void textHasOneReadableLinePerNode() {
        Graph g = new Graph(List.of(
                new Placeholder("x", META),
                new CallFunction("scale", OpCode.SCALE, List.of(new Arg.Ref("x"), new Arg.Literal(0.5f)), META),
                new CallFunction("reshape", OpCode.RESHAPE, List.of(new Arg.Ref("scale"), new Arg.Literal(new long[] {3, 2})),
                        new TensorMeta(DType.F32, Shape.of(3, 2))),
                new Output("output", List.of("reshape"))));
        assertEquals("""
                %x = placeholder : F32[2, 3]
                %scale = call_function[SCALE](%x, 0.5f) : F32[2, 3]
                %reshape = call_function[RESHAPE](%scale, [3, 2]) : F32[3, 2]
                return (%reshape)
                """, g.text());
    }

    @Test
    void problemsNameEachBrokenInvariant() {
        Graph forward = new Graph(List.of(add("a", "x", "x"), new Placeholder("x", META), new Output("output", List.of("a"))));
        assertFalse(forward.isWellFormed());
        assertTrue(forward.problems().contains("node 'a' reads 'x', which comes later"), forward.problems()::toString);

        Graph unknown = new Graph(List.of(new Placeholder("x", META), add("a", "x", "y"), new Output("output", List.of("a"))));
        assertTrue(unknown.problems().contains("node 'a' reads unknown node 'y'"), unknown.problems()::toString);

        Graph noOutput = new Graph(List.of(new Placeholder("x", META)));
        assertTrue(noOutput.problems().contains("graph has 0 output nodes, expected exactly 1"), noOutput.problems()::toString);

        Graph early = new Graph(List.of(new Placeholder("x", META), new Output("output", List.of("x")), add("a", "x", "x")));
        assertTrue(early.problems().contains("output node 'output' is not the last node"), early.problems()::toString);

        Graph twice = new Graph(List.of(new Placeholder("x", META), new Placeholder("x", META), new Output("output", List.of("x"))));
        assertTrue(twice.problems().contains("node name 'x' is used twice"), twice.problems()::toString);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> unknown.requireWellFormed("a test"));
        assertTrue(e.getMessage().startsWith("graph built by a test is not well formed: node 'a' reads unknown node 'y'"), e.getMessage());
    }

    @Test
    void literalsRejectSymbolicTensorsAndCopyArrays() {
        long[] dims = {1, 2};
        Arg.Literal lit = new Arg.Literal(dims);
        dims[0] = 9;
        assertEquals(1, ((long[]) lit.value())[0]);
        assertThrows(IllegalArgumentException.class,
                () -> new Arg.Literal(io.llmc4j.engine.tensor.Tensor.symbolic(DType.F32, Shape.of(1), "tag")));
    }
}
