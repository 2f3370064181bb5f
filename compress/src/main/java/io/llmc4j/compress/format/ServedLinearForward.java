package io.llmc4j.compress.format;

import io.llmc4j.compress.quantization.ActivationQdq;
import io.llmc4j.engine.nn.ForwardWrapper;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.tensor.Tensor;
import java.util.function.Function;

/**
 * The run-time forward of a quantized Linear loaded from a compressed checkpoint: its weight is
 * already dequantized, so only activations are fake-quantized, as vLLM quantizes them:
 * {@code y = output(forward(input(x)))}, where either QDQ may be absent. Symbolic inputs (tracing)
 * pass through untouched. Immutable and thread-safe.
 *
 * @param input  QDQ of the input activations, or null
 * @param output QDQ of the output activations, or null
 */
public record ServedLinearForward(ActivationQdq input, ActivationQdq output) implements ForwardWrapper {
    @Override
    public Tensor apply(Module module, Tensor[] inputs, Function<Tensor[], Tensor> forward) {
        if (inputs.length == 0 || inputs[0] == null || inputs[0].isSymbolic()) return forward.apply(inputs);
        Tensor[] args = inputs;
        if (input != null) {
            args = inputs.clone();
            args[0] = input.apply(inputs[0]);
        }
        Tensor y = forward.apply(args);
        return output == null ? y : output.apply(y);
    }
}
