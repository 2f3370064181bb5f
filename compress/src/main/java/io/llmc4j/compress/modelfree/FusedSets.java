package io.llmc4j.compress.modelfree;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The weights vLLM fuses into one matrix, which must share one NVFP4 global scale (LLM Compressor's
 * model-free fused mappings): by tensor name,
 *
 * <pre>
 *   PREFIX(attn|attention).{q_proj, k_proj, v_proj}.weight
 *   PREFIX(attn|attention).{wq_a, wkv_a_with_mqa}.weight         (MLA)
 *   PREFIXmlp.{gate_proj, up_proj}.weight
 *   PREFIX.{w1, w3}.weight                                       (Mixtral-style experts)
 * </pre>
 *
 * A set counts only when all its members exist in the checkpoint (in any shards); an incomplete set's
 * weights are quantized alone, as the reference does. Split experts ({@code experts.0.gate_proj}) are
 * not under {@code mlp.} directly and are not fused, as in the reference. Stateless.
 */
final class FusedSets {
    private record Kind(Pattern pattern, List<String> members) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind(Pattern.compile("^(.*(?:attn|attention))\\.(q_proj|k_proj|v_proj)\\.weight$"), List.of("q_proj", "k_proj", "v_proj")),
            new Kind(Pattern.compile("^(.*(?:attn|attention))\\.(wq_a|wkv_a_with_mqa)\\.weight$"), List.of("wq_a", "wkv_a_with_mqa")),
            new Kind(Pattern.compile("^(.*mlp)\\.(gate_proj|up_proj)\\.weight$"), List.of("gate_proj", "up_proj")),
            new Kind(Pattern.compile("^(.*)\\.(w1|w3)\\.weight$"), List.of("w1", "w3")));

    private FusedSets() {
    }

    /**
     * The complete fused sets among {@code names}: each tensor name of a complete set → the set's key
     * (its members share the key). Tensors in no complete set are absent.
     */
    static Map<String, String> of(Collection<String> names) {
        Map<String, Map<String, String>> candidates = new TreeMap<>();
        for (String name : names) {
            for (int k = 0; k < KINDS.size(); k++) {
                Matcher m = KINDS.get(k).pattern().matcher(name);
                if (!m.matches()) continue;
                candidates.computeIfAbsent(k + ":" + m.group(1), key -> new LinkedHashMap<>()).put(m.group(2), name);
                break;
            }
        }
        Map<String, String> setOf = new HashMap<>();
        for (var set : candidates.entrySet()) {
            List<String> members = KINDS.get(Integer.parseInt(set.getKey().substring(0, set.getKey().indexOf(':')))).members();
            if (!set.getValue().keySet().containsAll(members)) continue;
            for (String name : set.getValue().values()) setOf.put(name, set.getKey());
        }
        return setOf;
    }
}
