package io.llmc4j.engine.testing;

import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Random;

/**
 * Small module trees for tracer and pipeline tests, written like real models (Ops calls and
 * child.call). Weights are seeded; every model is tiny enough for the reference kernels.
 */
public final class TinyModels {
    private TinyModels() {
    }

    /** Uniform values in [-scale, scale) from {@code random}, shaped {@code dims}. */
    public static Tensor random(Random random, float scale, long... dims) {
        Tensor t = Tensor.allocate(DType.F32, dims);
        for (long i = 0; i < t.elementCount(); i++) t.setFlat(i, (random.nextFloat() * 2 - 1) * scale);
        return t;
    }

    /** y = x·Wᵀ + b; typeName "Linear". */
    public static final class Linear extends Module {
        private final Ops ops;

        public Linear(Ops ops, Random random, int in, int out, boolean bias) {
            this.ops = ops;
            float scale = (float) (1 / Math.sqrt(in));
            registerParameter("weight", random(random, scale, out, in));
            if (bias) registerParameter("bias", random(random, scale, out));
        }

        @Override
        protected Tensor forward(Tensor... inputs) {
            return ops.linear(inputs[0], parameter("weight"), parameter("bias"));
        }
    }

    /** RMS norm over the last axis; typeName "RMSNorm". */
    public static final class RMSNorm extends Module {
        private final Ops ops;

        public RMSNorm(Ops ops, Random random, int features) {
            this.ops = ops;
            Tensor w = random(random, 0.2f, features);
            for (long i = 0; i < features; i++) w.setFlat(i, 1 + w.getFlat(i));
            registerParameter("weight", w);
        }

        @Override
        protected Tensor forward(Tensor... inputs) {
            return ops.rmsNorm(inputs[0], parameter("weight"), 1e-5f);
        }
    }

    /** Token embedding; typeName "Embedding". */
    public static final class Embedding extends Module {
        private final Ops ops;

        public Embedding(Ops ops, Random random, int vocab, int hidden) {
            this.ops = ops;
            registerParameter("weight", random(random, 1, vocab, hidden));
        }

        @Override
        protected Tensor forward(Tensor... inputs) {
            return ops.embedding(inputs[0], parameter("weight"));
        }
    }

    /** A container of numbered children "0", "1", ... (PyTorch's ModuleList); not callable. */
    public static final class ModuleList extends Module {
        private int size;

        public <M extends Module> M add(M child) {
            return registerModule(String.valueOf(size++), child);
        }

        public Module get(int i) {
            return children().get(String.valueOf(i));
        }

        public int size() {
            return size;
        }

        @Override
        protected Tensor forward(Tensor... inputs) {
            throw new UnsupportedOperationException("a ModuleList is not callable");
        }
    }

    /** Six Linears in a row (LLM Compressor's DummyModelMultipleSequentialLayers): layer1 .. layer6. */
    public static final class SixLinears extends Module {
        public SixLinears(Ops ops, long seed, int width) {
            Random random = new Random(seed);
            for (int i = 1; i <= 6; i++) registerModule("layer" + i, new Linear(ops, random, width, width, true));
        }

        @Override
        protected Tensor forward(Tensor... inputs) {
            Tensor x = inputs[0];
            for (int i = 1; i <= 6; i++) x = children().get("layer" + i).call(x);
            return x;
        }
    }

    /** Shape facts of {@link TinyLM}. */
    public record TinyConfig(int vocab, int hidden, int heads, int kvHeads, int intermediate, int layers) {
        public int headDim() {
            return hidden / heads;
        }
    }

    /**
     * Rotary tables built from shapes alone: input hidden [B, T, H]; returns cos and sin stacked,
     * [2, B, T, headDim] (Hugging Face's layout, positions 0..T-1). A concrete tensor, even when
     * traced: it depends on shapes only.
     */
    public static final class TinyRotary extends Module {
        private final int headDim;

        public TinyRotary(int headDim) {
            this.headDim = headDim;
        }

        @Override
        protected Tensor forward(Tensor... inputs) {
            long batch = inputs[0].dim(0), tokens = inputs[0].dim(1);
            Tensor out = Tensor.allocate(DType.F32, 2, batch, tokens, headDim);
            int half = headDim / 2;
            for (long b = 0; b < batch; b++)
                for (long t = 0; t < tokens; t++)
                    for (int d = 0; d < headDim; d++) {
                        double invFreq = Math.pow(10000, -2.0 * (d % half) / headDim);
                        out.setFloat((float) Math.cos(t * invFreq), 0, b, t, d);
                        out.setFloat((float) Math.sin(t * invFreq), 1, b, t, d);
                    }
            return out;
        }
    }

    /** A pre-norm decoder layer: forward(hidden [B,T,H], positionEmbeddings [2,B,T,D], mask [B,T] or null). */
    public static final class TinyDecoderLayer extends Module {
        private final Ops ops;
        private final TinyConfig config;

        public TinyDecoderLayer(Ops ops, Random random, TinyConfig c) {
            this.ops = ops;
            this.config = c;
            registerModule("input_layernorm", new RMSNorm(ops, random, c.hidden()));
            Module attention = registerModule("self_attn", new Container("TinyAttention"));
            ((Container) attention).add("q_proj", new Linear(ops, random, c.hidden(), c.heads() * c.headDim(), false));
            ((Container) attention).add("k_proj", new Linear(ops, random, c.hidden(), c.kvHeads() * c.headDim(), false));
            ((Container) attention).add("v_proj", new Linear(ops, random, c.hidden(), c.kvHeads() * c.headDim(), false));
            ((Container) attention).add("o_proj", new Linear(ops, random, c.heads() * c.headDim(), c.hidden(), false));
            registerModule("post_attention_layernorm", new RMSNorm(ops, random, c.hidden()));
            Container mlp = registerModule("mlp", new Container("TinyMLP"));
            mlp.add("gate_proj", new Linear(ops, random, c.hidden(), c.intermediate(), false));
            mlp.add("up_proj", new Linear(ops, random, c.hidden(), c.intermediate(), false));
            mlp.add("down_proj", new Linear(ops, random, c.intermediate(), c.hidden(), false));
        }

        @Override
        protected Tensor forward(Tensor... inputs) {
            Tensor hidden = inputs[0], position = inputs[1], mask = inputs[2];
            long batch = hidden.dim(0), tokens = hidden.dim(1);
            int d = config.headDim();
            Module attn = submodule("self_attn"), mlp = submodule("mlp");
            Tensor x = submodule("input_layernorm").call(hidden);
            Tensor q = ops.reshape(attn.submodule("q_proj").call(x), batch, tokens, config.heads(), d);
            Tensor k = ops.reshape(attn.submodule("k_proj").call(x), batch, tokens, config.kvHeads(), d);
            Tensor v = ops.reshape(attn.submodule("v_proj").call(x), batch, tokens, config.kvHeads(), d);
            Tensor cos = ops.select(position, 0, 0), sin = ops.select(position, 0, 1);
            q = ops.rope(q, cos, sin);
            k = ops.rope(k, cos, sin);
            Tensor a = ops.attention(q, k, v, mask, (float) (1 / Math.sqrt(d)));
            a = ops.reshape(a, batch, tokens, (long) config.heads() * d);
            hidden = ops.add(hidden, attn.submodule("o_proj").call(a));
            x = submodule("post_attention_layernorm").call(hidden);
            Tensor gated = ops.mul(ops.silu(mlp.submodule("gate_proj").call(x)), mlp.submodule("up_proj").call(x));
            return ops.add(hidden, mlp.submodule("down_proj").call(gated));
        }
    }

    /** A named holder of children that is never called itself (attention and MLP groups). */
    public static final class Container extends Module {
        private final String typeName;

        public Container(String typeName) {
            this.typeName = typeName;
        }

        public <M extends Module> M add(String name, M child) {
            return registerModule(name, child);
        }

        @Override
        public String typeName() {
            return typeName;
        }

        @Override
        protected Tensor forward(Tensor... inputs) {
            throw new UnsupportedOperationException(typeName + " is a container, not callable");
        }
    }

    /**
     * The decoder stack: embeddings · embed_scale (a parameter read by the traced forward itself), plus
     * a position bias [T, H] built concretely from the shape (a trace constant), rotary, layers, norm.
     */
    public static final class TinyModel extends Module {
        private final Ops ops;

        public TinyModel(Ops ops, Random random, TinyConfig c) {
            this.ops = ops;
            registerModule("embed_tokens", new Embedding(ops, random, c.vocab(), c.hidden()));
            registerModule("rotary_emb", new TinyRotary(c.headDim()));
            ModuleList layers = registerModule("layers", new ModuleList());
            for (int i = 0; i < c.layers(); i++) layers.add(new TinyDecoderLayer(ops, random, c));
            registerModule("norm", new RMSNorm(ops, random, c.hidden()));
            Tensor scale = random(random, 0.1f, c.hidden());
            for (long i = 0; i < c.hidden(); i++) scale.setFlat(i, 1 + scale.getFlat(i));
            registerParameter("embed_scale", scale);
        }

        @Override
        protected Tensor forward(Tensor... inputs) {
            Tensor ids = inputs[0], mask = inputs.length > 1 ? inputs[1] : null;
            Tensor hidden = submodule("embed_tokens").call(ids);
            hidden = ops.mul(hidden, parameter("embed_scale"));
            long tokens = ids.dim(1), width = hidden.dim(2);
            Tensor positionBias = Tensor.allocate(DType.F32, tokens, width);
            for (long t = 0; t < tokens; t++) for (long h = 0; h < width; h++) positionBias.setFloat(0.01f * t - 0.001f * h, t, h);
            hidden = ops.add(hidden, positionBias);
            Tensor position = submodule("rotary_emb").call(hidden);
            ModuleList layers = (ModuleList) submodule("layers");
            for (int i = 0; i < layers.size(); i++) hidden = layers.get(i).call(hidden, position, mask);
            return submodule("norm").call(hidden);
        }
    }

    /** Root: model + lm_head; forward(inputIds [B,T] I64, attentionMask [B,T] or null) gives logits. */
    public static final class TinyLM extends Module {
        public TinyLM(Ops ops, long seed, TinyConfig c) {
            Random random = new Random(seed);
            registerModule("model", new TinyModel(ops, random, c));
            registerModule("lm_head", new Linear(ops, random, c.hidden(), c.vocab(), false));
        }

        @Override
        protected Tensor forward(Tensor... inputs) {
            Tensor hidden = submodule("model").call(inputs[0], inputs.length > 1 ? inputs[1] : null);
            return submodule("lm_head").call(hidden);
        }
    }

    /** Random token ids in [0, vocab), [batch, tokens] I64. */
    public static Tensor tokens(Random random, int vocab, int batch, int tokens) {
        long[] ids = new long[batch * tokens];
        for (int i = 0; i < ids.length; i++) ids[i] = random.nextInt(vocab);
        return Tensor.ofLongs(ids, batch, tokens);
    }

    /** A mask [batch, tokens] of ones with the last {@code padding} tokens of row 0 zero (I64). */
    public static Tensor mask(int batch, int tokens, int padding) {
        long[] m = new long[batch * tokens];
        for (int i = 0; i < m.length; i++) m[i] = i < tokens && i >= tokens - padding ? 0 : 1;
        return Tensor.ofLongs(m, batch, tokens);
    }

    /**
     * A model whose "body" branches on a tensor value (not traceable inside): body holds a Linear
     * "proj" and returns proj(x) or proj(x)·2 depending on the sign of x[0, 0].
     */
    public static final class BranchyModel extends Module {
        public BranchyModel(Ops ops, long seed, int width) {
            Random random = new Random(seed);
            registerModule("body", new Branchy(ops, random, width));
            registerModule("head", new Linear(ops, random, width, width, false));
        }

        @Override
        protected Tensor forward(Tensor... inputs) {
            return submodule("head").call(submodule("body").call(inputs[0]));
        }
    }

    /** See {@link BranchyModel}. */
    public static final class Branchy extends Module {
        private final Ops ops;

        public Branchy(Ops ops, Random random, int width) {
            this.ops = ops;
            registerModule("proj", new Linear(ops, random, width, width, true));
        }

        @Override
        protected Tensor forward(Tensor... inputs) {
            Tensor y = submodule("proj").call(inputs[0]);
            return inputs[0].getFloat(0, 0) > 0 ? ops.scale(y, 2f) : y;
        }
    }
}
