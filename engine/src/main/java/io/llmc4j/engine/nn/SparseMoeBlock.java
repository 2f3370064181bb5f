package io.llmc4j.engine.nn;

import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.ops.moe.ExpertRouting;
import io.llmc4j.engine.ops.moe.ExpertRouting.Routing;
import io.llmc4j.engine.tensor.Tensor;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A sparse mixture-of-experts feed-forward block (Hugging Face {@code MixtralSparseMoeBlock},
 * {@code Qwen2MoeSparseMoeBlock}, {@code Qwen3MoeSparseMoeBlock}):
 *
 * <pre>
 *   x [..., H] ─gate─▶ logits [N, E] ─softmax─ top-k ─▶ per token k experts and weights
 *   out[t] = Σ over its experts e (ascending) of weight·experts.e(x[t])
 *          (+ sigmoid(shared_expert_gate(x[t]))·shared_expert(x[t]) for Qwen2-MoE)
 * </pre>
 *
 * Children: {@code gate} ({@link TopKRouter}; gpt-oss: {@code router}), {@code experts} (a {@link ModuleList} of
 * {@link MLP}, each made of ordinary {@link Linear}s named as the checkpoint names them), and
 * optionally {@code shared_expert} and {@code shared_expert_gate}.
 *
 * <p>Calibration (LLM Compressor's {@code moe_calibrate_all_experts}): while
 * {@link #setCalibrateAllExperts} is on and hooks are enabled, every expert runs on every token,
 * so every expert's hooks (observers, Hessians) see the whole batch, but the block's output still
 * sums only the routed experts' rows, so the activations propagated downstream are the model's
 * own. Otherwise an expert runs only on its routed tokens, and an expert with none is not called
 * at all (its hooks never see an empty tensor). {@link #routedTokenCounts} counts the tokens routed
 * to each expert in forwards with hooks enabled (calibration passes), since the last reset.
 *
 * <p>Reads the router's values, so tracing keeps this block (or its decoder layer) as a leaf.
 */
public final class SparseMoeBlock extends Module {
    private final Ops ops;
    private final String typeName;
    private final String routerName;
    private final int topK;
    private final boolean normalizeTopK;
    private final AtomicLongArray routedTokens;
    private volatile boolean calibrateAllExperts;

    /**
     * @param normalizeTopK divide the chosen experts' probabilities by their sum (norm_topk_prob)
     * @param sharedExpert  Qwen2-MoE's shared expert, or null; given exactly with {@code sharedExpertGate}
     */
    public SparseMoeBlock(Ops ops, String typeName, TopKRouter gate, List<MLP> experts, int topK, boolean normalizeTopK,
                          MLP sharedExpert, Linear sharedExpertGate) {
        this(ops, typeName, "gate", gate, experts, topK, normalizeTopK, sharedExpert, sharedExpertGate);
    }

    /** @param routerName the router's Hugging Face name: "gate", or gpt-oss's "router" */
    public SparseMoeBlock(Ops ops, String typeName, String routerName, TopKRouter gate, List<MLP> experts, int topK, boolean normalizeTopK,
                          MLP sharedExpert, Linear sharedExpertGate) {
        if (experts.size() != gate.experts())
            throw new IllegalArgumentException(typeName + ": router scores " + gate.experts() + " experts, but " + experts.size() + " are given");
        if (topK <= 0 || topK > experts.size())
            throw new IllegalArgumentException(typeName + ": num_experts_per_tok " + topK + " must be in 1.." + experts.size());
        if ((sharedExpert == null) != (sharedExpertGate == null))
            throw new IllegalArgumentException(typeName + ": shared_expert and shared_expert_gate come together");
        this.ops = ops;
        this.typeName = typeName;
        this.routerName = routerName;
        this.topK = topK;
        this.normalizeTopK = normalizeTopK;
        this.routedTokens = new AtomicLongArray(experts.size());
        registerModule(routerName, gate);
        registerModule("experts", new ModuleList(experts));
        if (sharedExpert != null) {
            registerModule("shared_expert", sharedExpert);
            registerModule("shared_expert_gate", sharedExpertGate);
        }
    }

    @Override
    public String typeName() {
        return typeName;
    }

    public int numberOfExperts() {
        return routedTokens.length();
    }

    public int topK() {
        return topK;
    }

    /** Runs every expert on every token while hooks are enabled (calibration); the output stays the routed one. */
    public void setCalibrateAllExperts(boolean on) {
        calibrateAllExperts = on;
    }

    public boolean calibrateAllExperts() {
        return calibrateAllExperts;
    }

    /** Tokens routed to each expert in forwards with hooks on, since construction or the last {@link #resetRoutedTokenCounts}. */
    public long[] routedTokenCounts() {
        long[] out = new long[routedTokens.length()];
        for (int e = 0; e < out.length; e++) out[e] = routedTokens.get(e);
        return out;
    }

    public void resetRoutedTokenCounts() {
        for (int e = 0; e < routedTokens.length(); e++) routedTokens.set(e, 0);
    }

    /** inputs: x [..., hidden]. */
    @Override
    protected Tensor forward(Tensor... inputs) {
        ModuleInputs.requireCount(this, inputs, 1, 1);
        Tensor x = inputs[0];
        long width = x.shape().last(), tokens = x.elementCount() / Math.max(1, width);
        Tensor flat = ops.reshape(x, tokens, width);
        Routing routing = ExpertRouting.topK(ops.softmax(submodule(routerName).call(flat)), topK, normalizeTopK);
        boolean hooksOn = HookSwitch.hooksEnabled(), everyToken = calibrateAllExperts && hooksOn;
        if (hooksOn) {
            long[] counts = routing.tokenCounts();
            for (int e = 0; e < counts.length; e++) routedTokens.addAndGet(e, counts[e]);
        }
        float[] out = new float[Math.toIntExact(tokens * width)];
        ModuleList experts = (ModuleList) submodule("experts");
        for (int e = 0; e < experts.size(); e++) {
            int[] rows = routing.tokensOf(e);
            if (rows.length == 0 && !everyToken) continue;
            Tensor y = experts.get(e).call(everyToken ? flat : ExpertRouting.gatherRows(flat, rows));
            ExpertRouting.addWeightedRows(out, (int) width, rows, routing.weightsOf(e), y, everyToken);
        }
        Tensor result = Tensor.of(out, tokens, width);
        if (children().containsKey("shared_expert")) {
            Tensor shared = submodule("shared_expert").call(flat);
            result = ops.add(result, ExpertRouting.sigmoidGated(shared, submodule("shared_expert_gate").call(flat)));
        }
        return ops.reshape(result, x.shape().toArray());
    }
}
