package io.llmc4j.engine.models;

import io.llmc4j.engine.nn.Activation;
import io.llmc4j.engine.nn.Linear;
import io.llmc4j.engine.nn.MLP;
import io.llmc4j.engine.nn.SparseMoeBlock;
import io.llmc4j.engine.nn.TopKRouter;
import io.llmc4j.engine.tensor.Shape;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * gpt-oss ({@code modeling_gpt_oss}): biases on q/k/v/o, a per-head attention sink ({@code sinks}),
 * YaRN RoPE, sliding and full layers by {@code layer_types} (default: every other layer slides, from
 * the first), and a mixture of experts on every layer: {@code mlp.router} (Linear with bias; top-k of
 * the logits, softmax over the chosen) and {@code mlp.experts} with clamped SwiGLU experts.
 *
 * <p>The checkpoint stores the experts fused, as 3-D tensors with [in, out] matrices:
 * {@code experts.gate_up_proj} [E, hidden, 2·I] (gate and up interleaved column by column),
 * {@code gate_up_proj_bias} [E, 2·I], {@code down_proj} [E, I, hidden], {@code down_proj_bias} [E,
 * hidden]. On load each expert becomes an {@link MLP} of ordinary {@link Linear}s
 * {@code experts.<e>.gate_proj/up_proj/down_proj} with biases (LLM Compressor's linearized experts;
 * copies, not views). A checkpoint that already stores per-expert Linears (as llmc4j and LLM
 * Compressor write them) is read as it is.
 */
final class GptOss {
    private GptOss() {
    }

    static void declare(DecoderBuilder b) {
        b.qkvBias = b.config.attentionBias();
        b.outputBias = b.config.attentionBias();
        b.attentionSinks = true;
        b.defaultLayerType = layer -> (layer + 1) % 2 != 0 ? DecoderBuilder.SLIDING : DecoderBuilder.FULL;
        int experts = b.intField("num_local_experts", 32);
        int topK = b.intField("num_experts_per_tok", 4);
        b.feedForward = (builder, layer, prefix) -> {
            long hidden = builder.config.hiddenSize();
            TopKRouter router = new TopKRouter(builder.ops(), builder.className("TopKRouter"),
                    builder.tensor(prefix + "router.weight", experts, hidden), builder.tensor(prefix + "router.bias", experts));
            List<MLP> list = builder.has(prefix + "experts.0.gate_proj.weight")
                    ? linearExperts(builder, prefix + "experts.", experts) : splitExperts(builder, prefix + "experts.", experts);
            return new SparseMoeBlock(builder.ops(), builder.className("SparseMoeBlock"), "router", router, list, topK, true, null, null);
        };
    }

    private static List<MLP> linearExperts(DecoderBuilder b, String prefix, int experts) {
        List<MLP> list = new ArrayList<>();
        for (int e = 0; e < experts; e++)
            list.add(b.gatedMlp(prefix + e + ".", b.className("Expert"), b.config.intermediateSize(), "gate_proj", "up_proj", "down_proj",
                    true, Activation.CLAMPED_SWIGLU));
        return list;
    }

    private static List<MLP> splitExperts(DecoderBuilder b, String prefix, int experts) {
        long hidden = b.config.hiddenSize(), inter = b.config.intermediateSize();
        Tensor gateUp = b.tensor(prefix + "gate_up_proj", experts, hidden, 2 * inter);
        Tensor gateUpBias = b.tensor(prefix + "gate_up_proj_bias", experts, 2 * inter);
        Tensor down = b.tensor(prefix + "down_proj", experts, inter, hidden);
        Tensor downBias = b.tensor(prefix + "down_proj_bias", experts, hidden);
        List<MLP> list = new ArrayList<>();
        for (int e = 0; e < experts; e++) {
            Linear gate = new Linear(b.ops(), half(gateUp.select(0, e), 0), half(gateUpBias.select(0, e).reshape(1, 2 * inter), 0).reshape(inter));
            Linear up = new Linear(b.ops(), half(gateUp.select(0, e), 1), half(gateUpBias.select(0, e).reshape(1, 2 * inter), 1).reshape(inter));
            Linear downProj = new Linear(b.ops(), transposed(down.select(0, e)), copy(downBias.select(0, e)));
            list.add(new MLP(b.ops(), b.className("Expert"), Activation.CLAMPED_SWIGLU, "gate_proj", gate, "up_proj", up, "down_proj", downProj));
        }
        return list;
    }

    /** Columns {@code which}, {@code which}+2, ... of an [in, 2·I] matrix, as an [I, in] weight (a copy). */
    private static Tensor half(Tensor interleaved, int which) {
        long in = interleaved.dim(0), width = interleaved.dim(1) / 2;
        if (interleaved.isSymbolic()) return Tensor.symbolic(interleaved.dtype(), Shape.of(width, in), null);
        return interleaved.contiguous().reshape(in, width, 2).select(2, which).transpose(0, 1).contiguous();
    }

    /** An [in, out] matrix as an [out, in] weight (a copy). */
    private static Tensor transposed(Tensor matrix) {
        if (matrix.isSymbolic()) return Tensor.symbolic(matrix.dtype(), Shape.of(matrix.dim(1), matrix.dim(0)), null);
        return matrix.transpose(0, 1).contiguous();
    }

    private static Tensor copy(Tensor t) {
        return t.isSymbolic() ? Tensor.symbolic(t.dtype(), t.shape(), null) : t.contiguous();
    }
}
