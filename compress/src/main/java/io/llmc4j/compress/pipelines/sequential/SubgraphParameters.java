package io.llmc4j.compress.pipelines.sequential;

import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters and buffers a subgraph's modules held when calibration started (the model's own
 * tensors: weights, biases, norms), by module and name. The {@link SequentialPipeline} reads them
 * before and after {@code SEQUENTIAL_EPOCH_END} ({@link #tensors()}) and propagates again only when
 * a modifier replaced or removed one ({@link #changed}). Tensors that modifiers add during
 * calibration (qparams such as {@code weight_scale}, {@code input_scale}) do not count: a calibration
 * forward does not read them. Modifiers change weights by setting a new tensor (a model's mapped
 * weights are read-only), so identity is enough; a tensor written in place would go unnoticed.
 * Immutable.
 */
record SubgraphParameters(List<Slot> slots) {
    private record Slot(Module module, String name, boolean buffer) {
        Tensor read() {
            return buffer ? module.buffer(name) : module.parameter(name);
        }
    }

    /** The parameters and buffers that every module running in {@code subgraph} holds now. */
    static SubgraphParameters of(Subgraph subgraph) {
        Module root = subgraph.interpreter().root();
        List<Slot> slots = new ArrayList<>();
        for (String path : subgraph.modulesWithDescendants()) {
            Module module = path.isEmpty() ? root : root.submodule(path);
            for (String name : module.parameters().keySet()) slots.add(new Slot(module, name, false));
            for (String name : module.buffers().keySet()) slots.add(new Slot(module, name, true));
        }
        return new SubgraphParameters(List.copyOf(slots));
    }

    /** The current tensor of each slot, in slot order (null where one was removed). */
    List<Tensor> tensors() {
        List<Tensor> out = new ArrayList<>(slots.size());
        for (Slot slot : slots) out.add(slot.read());
        return out;
    }

    /** Whether a slot's tensor is no longer the one in {@code before} (taken by {@link #tensors()}). */
    boolean changed(List<Tensor> before) {
        for (int i = 0; i < slots.size(); i++) if (slots.get(i).read() != before.get(i)) return true;
        return false;
    }
}
