package io.llmc4j.compress.pipelines.sequential;

import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which parameter and buffer tensors a subgraph's modules hold at one moment, by identity: the
 * {@link SequentialPipeline} takes one before {@code SEQUENTIAL_EPOCH_END} and asks afterwards
 * whether a modifier replaced any of them ({@link #changedSince}). Modifiers change weights by
 * setting a new tensor (a model's mapped weights are read-only), so identity is enough; a tensor
 * written in place would go unnoticed. A change of any parameter counts, qparams included, so a
 * modifier that only sets qparams at epoch end costs a propagation pass it did not need.
 * Immutable.
 */
record SubgraphParameters(List<Entry> entries) {
    private record Entry(Module module, String name, Tensor tensor, boolean buffer) {
    }

    /** The parameters and buffers of every module that runs in {@code subgraph}. */
    static SubgraphParameters of(Subgraph subgraph) {
        Module root = subgraph.interpreter().root();
        List<Entry> entries = new ArrayList<>();
        for (String path : subgraph.modulesWithDescendants()) {
            Module module = path.isEmpty() ? root : root.submodule(path);
            for (Map.Entry<String, Tensor> e : module.parameters().entrySet()) entries.add(new Entry(module, e.getKey(), e.getValue(), false));
            for (Map.Entry<String, Tensor> e : module.buffers().entrySet()) entries.add(new Entry(module, e.getKey(), e.getValue(), true));
        }
        return new SubgraphParameters(List.copyOf(entries));
    }

    /** Whether a parameter or buffer was replaced, removed or added since {@code before} was taken. */
    boolean changedSince(SubgraphParameters before) {
        if (entries.size() != before.entries.size()) return true;
        for (int i = 0; i < entries.size(); i++) {
            Entry now = entries.get(i), then = before.entries.get(i);
            if (now.module != then.module || !now.name.equals(then.name) || now.tensor != then.tensor || now.buffer != then.buffer) return true;
        }
        return false;
    }
}
