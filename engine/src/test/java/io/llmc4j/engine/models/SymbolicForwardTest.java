package io.llmc4j.engine.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.nn.ModuleCallRecorder;
import io.llmc4j.engine.ops.OpCode;
import io.llmc4j.engine.ops.OpRecorder;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs every architecture's forward on symbolic (data-less) inputs with a minimal shape-only
 * recorder: proves that forwards touch no activation data and branch on shapes only, as the
 * tracer requires, and that every module is entered through {@code call}.
 */
class SymbolicForwardTest {

    /** Records op counts and module calls; infers result shapes for the ops the models use. */
    static final class ShapeRecorder implements OpRecorder, ModuleCallRecorder {
        final Map<OpCode, Integer> ops = new EnumMap<>(OpCode.class);
        final List<String> modules = new ArrayList<>();

        Tensor symbolic(long... dims) {
            return Tensor.allocate(DType.F32, dims).withTraceTag(this);
        }

        @Override
        public Tensor record(OpCode op, Object[] args) {
            ops.merge(op, 1, Integer::sum);
            Tensor x = (Tensor) (args[0] instanceof Tensor t ? t : args[1]);
            long[] dims = x.shape().toArray();
            return switch (op) {
                case LINEAR -> {
                    dims[dims.length - 1] = ((Tensor) args[1]).dim(0);
                    yield symbolic(dims);
                }
                case EMBEDDING -> {
                    long[] out = java.util.Arrays.copyOf(dims, dims.length + 1);
                    out[dims.length] = ((Tensor) args[1]).dim(1);
                    yield symbolic(out);
                }
                case RESHAPE -> symbolic((long[]) args[1]);
                case SELECT -> x.select((Integer) args[1], (Long) args[2]).withTraceTag(this);
                case NARROW -> x.narrow((Integer) args[1], (Long) args[2], (Long) args[3]).withTraceTag(this);
                case TRANSPOSE -> x.transpose((Integer) args[1], (Integer) args[2]).withTraceTag(this);
                case RMS_NORM, ADD, MUL, SCALE, SILU, GELU, SOFTCAP, CLAMPED_SWIGLU, SOFTMAX, ROPE, ATTENTION, CONTIGUOUS, CONVERT -> symbolic(dims);
                case MATMUL, REDUCE -> throw new AssertionError(op + " is not used by the Llama family");
            };
        }

        @Override
        public Tensor callModule(Module module, Tensor[] inputs, Supplier<Tensor> body) {
            modules.add(module.typeName());
            return body.get();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {SyntheticModels.TINY, SyntheticModels.TINY_LLAMA3, SyntheticModels.TINY_MISTRAL,
            SyntheticModels.TINY_QWEN2, SyntheticModels.TINY_QWEN3})
    void forwardRunsOnSymbolicInputs(String preset) {
        ModelConfig config = SyntheticModels.preset(preset);
        CausalLM model = ModelTesting.build(config, ModelTesting.weights(config, 3));
        ShapeRecorder recorder = new ShapeRecorder();
        Tensor ids = Tensor.allocate(DType.I64, 2, 9).withTraceTag(recorder);
        Tensor mask = Tensor.allocate(DType.I64, 2, 9).withTraceTag(recorder);
        Tensor logits = model.logits(ids, mask);
        assertTrue(logits.isSymbolic());
        assertArrayEquals(new long[] {2, 9, config.vocabSize()}, logits.shape().toArray());
        int layers = config.numHiddenLayers();
        assertEquals(7 * layers + 1, recorder.ops.get(OpCode.LINEAR));
        assertEquals(layers, recorder.ops.get(OpCode.ATTENTION));
        assertEquals(2 * layers, recorder.ops.get(OpCode.ROPE));
        assertEquals(2 * layers, recorder.ops.get(OpCode.ADD));
        int norms = 2 * layers + 1 + (config.modelType().equals("qwen3") ? 2 * layers : 0);
        assertEquals(norms, recorder.ops.get(OpCode.RMS_NORM));
        assertEquals(1, recorder.ops.get(OpCode.EMBEDDING));
        long linearModules = recorder.modules.stream().filter("Linear"::equals).count();
        assertEquals(7L * layers + 1, linearModules, "every Linear is entered through call()");
        assertEquals(layers, recorder.modules.stream().filter(n -> n.endsWith("DecoderLayer")).count());
        assertEquals(model.typeName(), recorder.modules.getFirst());
    }
}
