package io.llmc4j.engine.nn;

import io.llmc4j.engine.tensor.Tensor;
import java.util.List;

/**
 * An ordered container of children named "0", "1", ... (PyTorch's {@code nn.ModuleList}), e.g.
 * {@code model.layers}. Like its PyTorch counterpart it has no forward of its own: the parent calls
 * the children.
 */
public final class ModuleList extends Module {
    private int size;

    public ModuleList(List<? extends Module> modules) {
        for (Module m : modules) registerModule(Integer.toString(size++), m);
    }

    @Override
    public String typeName() {
        return "ModuleList";
    }

    public int size() {
        return size;
    }

    /** Child {@code index} (the current one, after any {@link #replaceChild}). */
    public Module get(int index) {
        if (index < 0 || index >= size) throw new IndexOutOfBoundsException("ModuleList index " + index + " of " + size);
        return children().get(Integer.toString(index));
    }

    /** Always fails: a ModuleList is a container, its parent calls the children one by one. */
    @Override
    protected Tensor forward(Tensor... inputs) {
        throw new UnsupportedOperationException("ModuleList has no forward; call its " + size + " children in order");
    }
}
