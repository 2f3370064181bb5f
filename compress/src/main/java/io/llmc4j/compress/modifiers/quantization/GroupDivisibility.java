package io.llmc4j.compress.modifiers.quantization;

import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationConfigException;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.QuantizationStrategy;
import io.llmc4j.engine.nn.Linear;

/**
 * Checks at initialization that grouped strategies fit a Linear's input features (compressed-tensors
 * requires {@code in_features % group_size == 0}), so a bad scheme fails before calibration starts,
 * naming the module.
 */
final class GroupDivisibility {
    private GroupDivisibility() {
    }

    static void check(String name, Linear linear, QuantizationScheme scheme) {
        check(name, "weights", scheme.weights(), linear.inFeatures());
        check(name, "input_activations", scheme.inputActivations(), linear.inFeatures());
        check(name, "output_activations", scheme.outputActivations(), linear.outFeatures());
    }

    private static void check(String name, String role, QuantizationArgs args, long features) {
        if (args == null || args.groupSize() == null || args.groupSize() <= 0) return;
        QuantizationStrategy strategy = args.strategy();
        if (strategy != QuantizationStrategy.GROUP && strategy != QuantizationStrategy.TENSOR_GROUP) return;
        if (features % args.groupSize() != 0)
            throw new QuantizationConfigException(role + ".group_size", "group_size " + args.groupSize() + " does not divide the "
                    + features + " features of '" + name + "'; choose a divisor of " + features + " or add the module to ignore");
    }
}
