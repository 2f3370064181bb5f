package io.llmc4j.engine.fx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.nn.HookSwitch;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.ops.OpCode;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.ops.ReferenceKernels;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.TinyModels;
import io.llmc4j.engine.testing.TinyModels.TinyConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

class TracerTest {
    private static final Ops OPS = new Ops(new ReferenceKernels());
    private static final TinyConfig CONFIG = new TinyConfig(11, 16, 4, 2, 24, 3);
    private static final Set<String> LEAF_TYPES = Set.of("TinyDecoderLayer", "Embedding", "RMSNorm", "TinyRotary", "Linear");

    static LinkedHashMap<String, Tensor> inputs(Object... nameValue) {
        LinkedHashMap<String, Tensor> map = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) map.put((String) nameValue[i], (Tensor) nameValue[i + 1]);
        return map;
    }

    static void assertSameBits(Tensor expected, Tensor actual, String message) {
        assertEquals(expected.shape(), actual.shape(), message);
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++)
            assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), message + ": element " + i + " " + e[i] + " vs " + a[i]);
    }

    static Tensor single(Map<String, Tensor> outputs) {
        assertEquals(1, outputs.size(), outputs.keySet()::toString);
        return outputs.values().iterator().next();
    }

    @Test
    void sixLinearsTracedInsideGiveGetAttrAndLinearNodes() {
        var model = new TinyModels.SixLinears(OPS, 3, 5);
        Tensor x = TinyModels.random(new Random(4), 1, 2, 5);
        Graph g = new Tracer(Tracer.NO_LEAVES).trace(model, inputs("x", x));
        assertTrue(g.isWellFormed(), g.problems()::toString);
        List<String> lines = g.text().lines().toList();
        assertEquals("%x = placeholder : F32[2, 5]", lines.get(0));
        assertEquals("%layer1_weight = get_attr[layer1.weight] : F32[5, 5]", lines.get(1));
        assertEquals("%layer1_bias = get_attr[layer1.bias] : F32[5]", lines.get(2));
        assertEquals("%linear = call_function[LINEAR](%x, %layer1_weight, %layer1_bias) : F32[2, 5]", lines.get(3));
        assertEquals("%linear_5 = call_function[LINEAR](%linear_4, %layer6_weight, %layer6_bias) : F32[2, 5]", lines.get(lines.size() - 2));
        assertEquals("return (%linear_5)", lines.getLast());
        assertEquals(1 + 18 + 1, g.size());
        assertSameBits(model.call(x), single(new Interpreter(model, OPS).run(g, Map.of("x", x))), "six linears");
    }

    @Test
    void leafModulesBecomeOneCallModuleNode() {
        var model = new TinyModels.SixLinears(OPS, 3, 5);
        Tensor x = TinyModels.random(new Random(4), 3, 1, 7, 5);
        Graph g = new Tracer((path, m) -> m.typeName().equals("Linear")).trace(model, inputs("x", x));
        assertEquals("""
                %x = placeholder : F32[1, 7, 5]
                %layer1 = call_module[layer1](%x) : F32[1, 7, 5]
                %layer2 = call_module[layer2](%layer1) : F32[1, 7, 5]
                %layer3 = call_module[layer3](%layer2) : F32[1, 7, 5]
                %layer4 = call_module[layer4](%layer3) : F32[1, 7, 5]
                %layer5 = call_module[layer5](%layer4) : F32[1, 7, 5]
                %layer6 = call_module[layer6](%layer5) : F32[1, 7, 5]
                return (%layer6)
                """, g.text());
        assertSameBits(model.call(x), single(new Interpreter(model, OPS).run(g, Map.of("x", x))), "six linear leaves");
    }

    static BiPredicate<String, Module> leafTypes() {
        return (path, m) -> LEAF_TYPES.contains(m.typeName());
    }

    @Test
    void tinyTransformerWithLeafLayersRunsBitForBit() {
        var model = new TinyModels.TinyLM(OPS, 11, CONFIG);
        Random random = new Random(12);
        Tensor ids = TinyModels.tokens(random, CONFIG.vocab(), 2, 7), mask = TinyModels.mask(2, 7, 2);
        Graph g = new Tracer(leafTypes()).trace(model, inputs("input_ids", ids, "attention_mask", mask));
        assertTrue(g.isWellFormed(), g.problems()::toString);
        String text = g.text();
        assertTrue(text.contains("%model_embed_tokens = call_module[model.embed_tokens](%input_ids) : F32[2, 7, 16]"), text);
        assertTrue(text.contains("%model_embed_scale = get_attr[model.embed_scale] : F32[16]"), text);
        assertTrue(text.contains("%mul = call_function[MUL](%model_embed_tokens, %model_embed_scale) : F32[2, 7, 16]"), text);
        assertTrue(text.contains("%add = call_function[ADD](%mul, const F32[7, 16]) : F32[2, 7, 16]"), text);
        assertTrue(text.contains("%model_rotary_emb = call_module[model.rotary_emb](%add) : F32[2, 2, 7, 4]"), text);
        assertTrue(text.contains("%model_layers_2 = call_module[model.layers.2](%model_layers_1, %model_rotary_emb, %attention_mask) : F32[2, 7, 16]"), text);
        assertTrue(text.endsWith("%lm_head = call_module[lm_head](%model_norm) : F32[2, 7, 11]\nreturn (%lm_head)\n"), text);
        Interpreter interpreter = new Interpreter(model, OPS);
        assertSameBits(model.call(ids, mask), single(interpreter.run(g, Map.of("input_ids", ids, "attention_mask", mask))), "tiny lm");
    }

    @Test
    void nullSampleInputIsFixedAtTraceTime() {
        var model = new TinyModels.TinyLM(OPS, 11, CONFIG);
        Tensor ids = TinyModels.tokens(new Random(5), CONFIG.vocab(), 1, 4);
        Graph g = new Tracer(leafTypes()).trace(model, inputs("input_ids", ids, "attention_mask", null));
        assertEquals(List.of("input_ids"), g.placeholders().stream().map(Placeholder::name).toList());
        assertTrue(g.text().contains("call_module[model.layers.0](%add, %model_rotary_emb, null)"), g.text());
        assertSameBits(model.call(ids, null), single(new Interpreter(model, OPS).run(g, Map.of("input_ids", ids))), "no mask");
    }

    @Test
    void tracingEverythingCoversEveryOpTheModelUses() {
        var model = new TinyModels.TinyLM(OPS, 21, CONFIG);
        Random random = new Random(22);
        Tensor ids = TinyModels.tokens(random, CONFIG.vocab(), 2, 5), mask = TinyModels.mask(2, 5, 1);
        Graph g = new Tracer(Tracer.NO_LEAVES).trace(model, inputs("input_ids", ids, "attention_mask", mask));
        assertTrue(g.nodes().stream().noneMatch(n -> n instanceof CallModule), g.text());
        assertTrue(g.text().contains("call_function[ROPE]"), g.text());
        assertTrue(g.text().contains("call_function[ATTENTION]"), g.text());
        assertSameBits(model.call(ids, mask), single(new Interpreter(model, OPS).run(g, Map.of("input_ids", ids, "attention_mask", mask))), "traced inside");
    }

    @Test
    void getAttrReadsTheCurrentParameter() {
        var model = new TinyModels.TinyLM(OPS, 31, CONFIG);
        Tensor ids = TinyModels.tokens(new Random(32), CONFIG.vocab(), 1, 6);
        Graph g = new Tracer(leafTypes()).trace(model, inputs("input_ids", ids, "attention_mask", null));
        Interpreter interpreter = new Interpreter(model, OPS);
        Tensor before = single(interpreter.run(g, Map.of("input_ids", ids)));
        Module inner = model.submodule("model");
        inner.setParameter("embed_scale", OPS.scale(inner.parameter("embed_scale"), 3f));
        Tensor after = single(interpreter.run(g, Map.of("input_ids", ids)));
        assertNotEquals(before.getFloat(0, 0, 0), after.getFloat(0, 0, 0));
        assertSameBits(model.call(ids, null), after, "after the weight changed");
    }

    @Test
    void branchingOnValuesNamesTheModule() {
        var model = new TinyModels.BranchyModel(OPS, 41, 6);
        Tensor x = TinyModels.random(new Random(42), 1, 3, 6);
        TraceException e = assertThrows(TraceException.class,
                () -> new Tracer((path, m) -> m.typeName().equals("Linear")).trace(model, inputs("x", x)));
        assertEquals("body", e.modulePath());
        assertTrue(e.getMessage().startsWith("cannot trace module 'body' (Branchy): element access on a symbolic tensor F32[3, 6]"), e.getMessage());
        assertTrue(e.getMessage().contains("(last recorded node: %body_proj = call_module[body.proj](%x) : F32[3, 6])"), e.getMessage());
        assertTrue(e.getMessage().endsWith("Mark 'body' as ignored for tracing (a leaf) so it runs as one call_module node"), e.getMessage());
    }

    @Test
    void aLeafThatReadsValuesIsSizedOnZeros() {
        var model = new TinyModels.BranchyModel(OPS, 41, 6);
        Graph g = new Tracer((path, m) -> path.equals("body") || m.typeName().equals("Linear"))
                .trace(model, inputs("x", TinyModels.random(new Random(42), 1, 3, 6)));
        assertEquals("%body = call_module[body](%x) : F32[3, 6]", g.text().lines().toList().get(1));
        Interpreter interpreter = new Interpreter(model, OPS);
        for (float sign : new float[] {1, -1}) {
            Tensor x = TinyModels.random(new Random(43), 1, 3, 6);
            x.setFloat(sign, 0, 0);
            assertSameBits(model.call(x), single(interpreter.run(g, Map.of("x", x))), "sign " + sign);
        }
    }

    @Test
    void viewsTakenOutsideOpsAreRejected() {
        Module model = new Module() {
            @Override
            protected Tensor forward(Tensor... inputs) {
                return OPS.silu(inputs[0].transpose(0, 1));
            }
        };
        TraceException e = assertThrows(TraceException.class,
                () -> new Tracer(Tracer.NO_LEAVES).trace(model, inputs("x", TinyModels.random(new Random(1), 1, 2, 3))));
        assertEquals("", e.modulePath());
        assertTrue(e.getMessage().contains("%x produced F32[2, 3] strides [3, 1] offset 0 but is used as F32[3, 2] strides [1, 3] offset 0"
                + ": a view was taken with Tensor methods instead of Ops"), e.getMessage());
    }

    @Test
    void aConstantOutputIsReported() {
        Module model = new Module() {
            @Override
            protected Tensor forward(Tensor... inputs) {
                return Tensor.of(1f, 2f);
            }
        };
        TraceException e = assertThrows(TraceException.class,
                () -> new Tracer(Tracer.NO_LEAVES).trace(model, inputs("x", TinyModels.random(new Random(1), 1, 2))));
        assertTrue(e.getMessage().contains("is a constant Tensor(F32[2]), not a value computed from the inputs [x]"), e.getMessage());
    }

    @Test
    void hooksDoNotFireWhileTracingButDoWhenRunning() {
        var model = new TinyModels.SixLinears(OPS, 3, 4);
        AtomicInteger calls = new AtomicInteger();
        model.submodule("layer2").registerForwardHook((m, in, out) -> {
            calls.incrementAndGet();
            return null;
        });
        Tensor x = TinyModels.random(new Random(2), 1, 1, 4);
        Graph g = new Tracer((path, m) -> m.typeName().equals("Linear")).trace(model, inputs("x", x));
        assertEquals(0, calls.get());
        Interpreter interpreter = new Interpreter(model, OPS);
        interpreter.run(g, Map.of("x", x));
        assertEquals(1, calls.get());
        try (var _ = HookSwitch.disable()) {
            interpreter.run(g, Map.of("x", x));
        }
        assertEquals(1, calls.get());
    }

    @Test
    void interpreterRejectsOtherShapesAtThePlaceholder() {
        var model = new TinyModels.SixLinears(OPS, 3, 4);
        Graph g = new Tracer(Tracer.NO_LEAVES).trace(model, inputs("x", TinyModels.random(new Random(2), 1, 2, 4)));
        Interpreter interpreter = new Interpreter(model, OPS);
        var e = assertThrows(IllegalArgumentException.class, () -> interpreter.run(g, Map.of("x", TinyModels.random(new Random(2), 1, 3, 4))));
        assertEquals("graph input 'x' is F32[3, 4] but the graph was traced for F32[2, 4]; trace again for this shape", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> interpreter.run(g, Map.of()));
        assertEquals("graph input 'x' (F32[2, 4]) is missing; given []", e.getMessage());
    }

    @Test
    void executionFailuresNameTheNode() {
        var model = new TinyModels.SixLinears(OPS, 3, 4);
        Tensor x = TinyModels.random(new Random(2), 1, 2, 4);
        Graph g = new Tracer((path, m) -> m.typeName().equals("Linear")).trace(model, inputs("x", x));
        model.submodule("layer3").registerForwardHook((m, in, out) -> {
            throw new IllegalStateException("observer failed");
        });
        var e = assertThrows(GraphExecutionException.class, () -> new Interpreter(model, OPS).run(g, Map.of("x", x)));
        assertEquals("layer3", e.nodeName());
        assertEquals("running %layer3 = call_module[layer3](%layer2) : F32[2, 4] failed: observer failed", e.getMessage());
    }

    @Test
    void callFunctionNodesKeepTheirOpAndLiterals() {
        var model = new TinyModels.TinyLM(OPS, 11, CONFIG);
        Graph g = new Tracer(leafTypes()).trace(model, inputs("input_ids", TinyModels.tokens(new Random(1), 11, 1, 3)));
        CallFunction add = (CallFunction) g.node("add");
        assertEquals(OpCode.ADD, add.op());
        assertInstanceOf(Arg.Literal.class, add.args().get(1));
        assertArrayEquals(new long[] {3, 16}, ((Tensor) ((Arg.Literal) add.args().get(1)).value()).shape().toArray());
    }
}
