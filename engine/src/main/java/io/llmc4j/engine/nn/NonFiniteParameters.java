package io.llmc4j.engine.nn;

import io.llmc4j.engine.tensor.NonFiniteValues;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which parameters of a model hold NaN or ±Inf: the suspects named when non-finite activations or
 * logits show up (a scan of every weight, so only on that failure path, never up front). Stateless.
 */
public final class NonFiniteParameters {
    private NonFiniteParameters() {
    }

    /** E.g. {@code ["model.layers.0.mlp.up_proj.weight (NaN at [3, 7])"]}, at most {@code limit} (tied weights once). */
    public static List<String> find(Module root, int limit) {
        List<String> out = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (var p : root.namedParameters().entrySet()) {
            Tensor t = p.getValue();
            if (t == null || seen.put(t, Boolean.TRUE) != null) continue;
            long at = NonFiniteValues.firstIndex(t);
            if (at < 0) continue;
            out.add(p.getKey() + " (" + NonFiniteValues.describe(t, at) + ")");
            if (out.size() == limit) return out;
        }
        return out;
    }

    /** A sentence for an error message: which parameters hold NaN/Inf, or that none does. */
    public static String summary(Module root) {
        List<String> found = find(root, 5);
        return found.isEmpty() ? "no parameter holds NaN or Inf (the input or an overflow in the forward produced them)"
                : "parameters holding NaN or Inf: " + String.join(", ", found) + (found.size() == 5 ? ", ..." : "");
    }
}
