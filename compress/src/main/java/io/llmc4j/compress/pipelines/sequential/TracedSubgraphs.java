package io.llmc4j.compress.pipelines.sequential;

import io.llmc4j.compress.pipelines.ModelInputs;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The subgraphs for every input shape among the calibration batches.
 *
 * <p>A trace is specialised to the shapes it saw (reshape sizes and constants built from shapes are
 * fixed in it), while calibration batches often differ in length. So the model is traced once per
 * distinct input signature (each argument's dtype and shape, or its absence), and every batch runs
 * the subgraphs of its own signature. Cache names and consumed names only need to agree within a
 * signature, since a batch never mixes variants. Across signatures the variants must line up: the
 * same number of subgraphs, calling the same modules, so that calibration events mean the same
 * thing for every batch; otherwise the model's control flow depends on the shape and tracing fails.
 *
 * <p>Immutable after construction.
 */
public final class TracedSubgraphs {
    private final List<List<Subgraph>> variants;
    private final List<String> signatures;
    private final int[] variantOfBatch;

    private TracedSubgraphs(List<List<Subgraph>> variants, List<String> signatures, int[] variantOfBatch) {
        this.variants = variants;
        this.signatures = signatures;
        this.variantOfBatch = variantOfBatch;
    }

    /**
     * Traces {@code tracer}'s model once per distinct signature of {@code batches}.
     *
     * @throws IllegalStateException when two signatures give subgraphs that do not line up
     */
    public static TracedSubgraphs trace(SubgraphTracer tracer, List<String> argumentNames, List<? extends Map<String, Tensor>> batches) {
        if (batches.isEmpty()) throw new IllegalArgumentException("tracing needs at least one batch");
        Map<String, Integer> bySignature = new LinkedHashMap<>();
        List<List<Subgraph>> variants = new ArrayList<>();
        int[] variantOfBatch = new int[batches.size()];
        for (int b = 0; b < batches.size(); b++) {
            String signature = signature(batches.get(b), argumentNames);
            Integer v = bySignature.get(signature);
            if (v == null) {
                List<Subgraph> traced = tracer.trace(ModelInputs.ordered(batches.get(b), argumentNames));
                if (!variants.isEmpty()) requireAligned(variants.getFirst(), bySignature.keySet().iterator().next(), traced, signature);
                v = variants.size();
                variants.add(List.copyOf(traced));
                bySignature.put(signature, v);
            }
            variantOfBatch[b] = v;
        }
        return new TracedSubgraphs(List.copyOf(variants), List.copyOf(bySignature.keySet()), variantOfBatch);
    }

    /** Number of subgraphs (the same for every signature). */
    public int size() {
        return variants.getFirst().size();
    }

    /** Number of distinct input signatures traced. */
    public int variantCount() {
        return variants.size();
    }

    /** The signatures traced, e.g. {@code input_ids=I64[1, 8], attention_mask=I64[1, 8]}. */
    public List<String> signatures() {
        return signatures;
    }

    /** Subgraph {@code index} as traced for the first batch (for calibration events). */
    public Subgraph subgraph(int index) {
        return variants.getFirst().get(index);
    }

    /** Subgraph {@code index} for batch {@code batch}'s input shapes. */
    public Subgraph subgraph(int batch, int index) {
        return variants.get(variantOfBatch[batch]).get(index);
    }

    /** The subgraphs traced for the first batch, in execution order. */
    public List<Subgraph> first() {
        return variants.getFirst();
    }

    static String signature(Map<String, Tensor> batch, List<String> argumentNames) {
        StringJoiner joiner = new StringJoiner(", ");
        for (String name : argumentNames) {
            Tensor t = batch.get(name);
            joiner.add(name + "=" + (t == null ? "null" : t.dtype() + "" + t.shape()));
        }
        return joiner.toString();
    }

    private static void requireAligned(List<Subgraph> first, String firstSignature, List<Subgraph> other, String otherSignature) {
        String problem = null;
        if (first.size() != other.size()) {
            problem = first.size() + " subgraphs for (" + firstSignature + ") but " + other.size() + " for (" + otherSignature + ")";
        } else {
            for (int i = 0; i < first.size() && problem == null; i++) {
                if (!first.get(i).moduleNames().equals(other.get(i).moduleNames()))
                    problem = "subgraph " + (i + 1) + " calls " + first.get(i).moduleNames() + " for (" + firstSignature + ") but "
                            + other.get(i).moduleNames() + " for (" + otherSignature + ")";
            }
        }
        if (problem != null)
            throw new IllegalStateException("the model traces differently for different input shapes: " + problem
                    + "; its control flow depends on the shape. Pad the calibration batches to one length, or mark the module that branches as ignored for tracing");
    }
}
