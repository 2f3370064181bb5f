package io.llmc4j.compress.modelfree;

import io.llmc4j.compress.match.ModulePatterns;
import io.llmc4j.compress.quantization.QuantizationScheme;
import java.util.ArrayList;
import java.util.List;

/**
 * Which checkpoint tensors a model-free run quantizes, and with which scheme, decided from tensor
 * names and ranks alone (no model definition): compressed-tensors' {@code match_quantizable_tensors}
 * as LLM Compressor's {@code model_free_ptq} uses it, with two differences written down here.
 *
 * <pre>
 *   candidate   a tensor named  MODULE.weight  whose MODULE does not end with "norm"
 *   ignored     MODULE matches an ignore pattern (exact name or re:regex)
 *   targeted    by the first config group whose targets contain "Linear" (any candidate that is
 *               "Linear-like", see below) or match MODULE (exact name or re:regex)
 * </pre>
 *
 * "Linear-like" (what the target {@code Linear} selects): a 2-D weight whose module's last name part
 * is not an embedding ({@code embed_tokens}, {@code embeddings}, {@code wte}, ... — a part containing
 * {@code embed}, or {@code wte}/{@code wpe}). LLM Compressor instead takes every {@code .weight}
 * (its examples then pass {@code ignore=["model.embed_tokens", ...]}, and a non-2-D weight stops the
 * run); here an embedding is left alone unless a pattern names it, as {@code oneshot} leaves
 * embeddings alone, so both produce the same checkpoint for the same scheme. A tensor named by an
 * explicit pattern must still be 2-D (checked by the caller). Immutable and thread-safe.
 */
public final class TensorSelection {
    /** The target that selects every Linear-like weight. */
    public static final String LINEAR = "Linear";

    private final List<QuantizationScheme> groups;
    private final List<ModulePatterns> targets = new ArrayList<>();
    private final ModulePatterns ignore;

    public TensorSelection(List<QuantizationScheme> groups, List<String> ignore) {
        this.groups = List.copyOf(groups);
        for (QuantizationScheme s : this.groups) targets.add(ModulePatterns.of(s.targets()));
        this.ignore = ModulePatterns.of(ignore);
    }

    /** The module a weight tensor belongs to ({@code a.b.weight} → {@code a.b}), or null for other tensors. */
    public static String moduleOf(String tensorName) {
        return tensorName.endsWith(".weight") ? tensorName.substring(0, tensorName.length() - ".weight".length()) : null;
    }

    /**
     * The index of the config group that quantizes tensor {@code tensorName} of rank {@code rank}, or −1
     * when it is kept as it is.
     */
    public int groupOf(String tensorName, int rank) {
        String module = moduleOf(tensorName);
        if (module == null || module.endsWith("norm") || ignore.matchesName(module)) return -1;
        for (int i = 0; i < groups.size(); i++) {
            ModulePatterns t = targets.get(i);
            boolean all = t.isEmpty() || t.patterns().contains(LINEAR);
            if (all ? isLinearLike(module, rank) || t.matchesName(module) : t.matchesName(module)) return i;
        }
        return -1;
    }

    /** The scheme of group {@code index}. */
    public QuantizationScheme group(int index) {
        return groups.get(index);
    }

    private static boolean isLinearLike(String module, int rank) {
        if (rank != 2) return false;
        String last = module.substring(module.lastIndexOf('.') + 1);
        return !(last.contains("embed") || last.equals("wte") || last.equals("wpe"));
    }
}
