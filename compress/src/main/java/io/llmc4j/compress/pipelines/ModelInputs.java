package io.llmc4j.compress.pipelines;

import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/** Orders a batch (tensors by name) into a root forward's positional arguments. */
public final class ModelInputs {
    private ModelInputs() {
    }

    /** The batch's values for {@code argumentNames} in order; absent names map to null. */
    public static SequencedMap<String, Tensor> ordered(Map<String, Tensor> batch, List<String> argumentNames) {
        SequencedMap<String, Tensor> out = new LinkedHashMap<>();
        for (String name : argumentNames) out.put(name, batch.get(name));
        return out;
    }

    /** The positional arguments for {@code model.call}. */
    public static Tensor[] arguments(Map<String, Tensor> batch, List<String> argumentNames) {
        Tensor[] args = new Tensor[argumentNames.size()];
        for (int i = 0; i < args.length; i++) args[i] = batch.get(argumentNames.get(i));
        return args;
    }

    /** Each batch reduced to its non-null argument entries (what the intermediates cache stores). */
    public static List<Map<String, Tensor>> selected(List<? extends Map<String, Tensor>> batches, List<String> argumentNames) {
        List<Map<String, Tensor>> out = new ArrayList<>(batches.size());
        for (Map<String, Tensor> batch : batches) {
            Map<String, Tensor> kept = new LinkedHashMap<>();
            for (String name : argumentNames) if (batch.get(name) != null) kept.put(name, batch.get(name));
            out.add(kept);
        }
        return out;
    }
}
