package io.llmc4j.engine.fx;

import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.nn.ModuleCallRecorder;
import io.llmc4j.engine.ops.OpCode;
import io.llmc4j.engine.ops.OpRecorder;
import io.llmc4j.engine.tensor.Tensor;
import java.util.function.Supplier;

/**
 * The trace tag of a symbolic tensor: which trace it belongs to and which node produced it
 * ({@code node == null} for values computed during a leaf module's shape-only run, which never
 * become nodes). Routes op and module calls on the tensor to its trace.
 */
final class TraceTag implements OpRecorder, ModuleCallRecorder {
    final TraceSession session;
    final String node;

    TraceTag(TraceSession session, String node) {
        this.session = session;
        this.node = node;
    }

    @Override
    public Tensor record(OpCode op, Object[] args) {
        return session.record(op, args);
    }

    @Override
    public Tensor callModule(Module module, Tensor[] inputs, Supplier<Tensor> body) {
        return session.callModule(module, inputs, body);
    }

    @Override
    public String toString() {
        return node == null ? "shape-only value" : "%" + node;
    }
}
