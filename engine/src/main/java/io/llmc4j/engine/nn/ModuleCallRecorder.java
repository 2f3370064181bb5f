package io.llmc4j.engine.nn;

import io.llmc4j.engine.tensor.Tensor;
import java.util.function.Supplier;

/**
 * The tracer's view of module calls. When a module is called with a symbolic input whose
 * {@link Tensor#traceTag()} is a {@code ModuleCallRecorder}, the call goes to {@link #callModule}:
 * the tracer either records one {@code call_module} node (leaf modules) or runs {@code body} to
 * trace inside the module.
 */
public interface ModuleCallRecorder {
    Tensor callModule(Module module, Tensor[] inputs, Supplier<Tensor> body);
}
