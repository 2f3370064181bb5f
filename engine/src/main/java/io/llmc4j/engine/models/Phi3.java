package io.llmc4j.engine.models;

/**
 * Phi-3 ({@code modeling_phi3}): one fused {@code qkv_proj} [(heads + 2·kvHeads)·headDim, hidden]
 * whose outputs are q, k, v in that order, and one fused {@code gate_up_proj} [2·intermediate,
 * hidden] whose first half is the gate; no biases. Partial rotary embeddings
 * ({@code partial_rotary_factor} &lt; 1) are refused.
 */
final class Phi3 {
    private Phi3() {
    }

    static void declare(DecoderBuilder b) {
        b.fusedQkv = true;
        b.fusedGateUp = true;
        com.fasterxml.jackson.databind.JsonNode rope = b.fields.node("rope_parameters");
        double partial = b.number("partial_rotary_factor", rope != null && rope.hasNonNull("partial_rotary_factor")
                ? rope.get("partial_rotary_factor").asDouble() : 1);
        if (partial != 1) throw b.fields.error("partial_rotary_factor", "must be 1 (partial rotary embeddings are not supported), found " + partial);
    }
}
