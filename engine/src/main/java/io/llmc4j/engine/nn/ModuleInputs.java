package io.llmc4j.engine.nn;

import io.llmc4j.engine.tensor.Tensor;

/** Argument checks shared by the modules' forwards; they look at counts and shapes only, never at data. */
final class ModuleInputs {
    private ModuleInputs() {
    }

    /** Fails unless {@code min ≤ inputs.length ≤ max} and the first {@code min} inputs are not null. */
    static void requireCount(Module module, Tensor[] inputs, int min, int max) {
        if (inputs.length < min || inputs.length > max)
            throw new IllegalArgumentException(module.typeName() + ".forward takes " + (min == max ? min : min + " to " + max)
                    + " inputs, got " + inputs.length);
        for (int i = 0; i < min; i++)
            if (inputs[i] == null) throw new IllegalArgumentException(module.typeName() + ".forward input " + i + " is null");
    }

    /** The optional input at {@code index}, or null when absent. */
    static Tensor optional(Tensor[] inputs, int index) {
        return inputs.length > index ? inputs[index] : null;
    }
}
