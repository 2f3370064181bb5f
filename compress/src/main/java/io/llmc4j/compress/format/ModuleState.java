package io.llmc4j.compress.format;

import io.llmc4j.compress.quantization.ActivationOrdering;
import io.llmc4j.compress.quantization.DynamicMode;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.QuantizationStrategy;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Map;

/**
 * The parameter names of a quantized module (compressed-tensors' names, local to the module) and the
 * checks a compressor runs on them. A role is {@code weight}, {@code input} or {@code output}; its
 * parameters are {@code <role>_scale}, {@code <role>_zero_point}, {@code <role>_global_scale} and, for
 * weights, {@code weight_g_idx}. Stateless.
 */
final class ModuleState {
    static final String WEIGHT = "weight";
    static final String WEIGHT_SCALE = "weight_scale";
    static final String WEIGHT_ZERO_POINT = "weight_zero_point";
    static final String WEIGHT_GLOBAL_SCALE = "weight_global_scale";
    static final String WEIGHT_G_IDX = "weight_g_idx";
    static final String WEIGHT_PACKED = "weight_packed";
    static final String WEIGHT_SHAPE = "weight_shape";

    private ModuleState() {
    }

    /** Parameter {@code name} of {@code module}, or an error saying why it is needed. */
    static Tensor require(String module, Map<String, Tensor> state, String name, String why) {
        Tensor t = state.get(name);
        if (t == null)
            throw FormatException.parameter(module, name, "is missing; " + why + " (the module has " + state.keySet() + ")");
        return t;
    }

    /** The 2-D floating-point {@code weight} of {@code module}. */
    static Tensor requireFloatWeight(String module, Map<String, Tensor> state) {
        Tensor w = require(module, state, WEIGHT, "a quantized Linear keeps its original weight until compression");
        if (!w.dtype().isFloatingPoint() || w.rank() != 2)
            throw FormatException.parameter(module, WEIGHT, "expected a 2-D floating-point weight [out, in], found " + w.dtype() + w.shape());
        return w;
    }

    /**
     * Checks that every parameter the scheme needs is present: the weight and its scale (zero point
     * when asymmetric, global scale for tensor_group, g_idx for actorder group), and for static
     * activations their scale (zero point when asymmetric, global scale for tensor_group); dynamic
     * "local" activations need their global scale.
     */
    static void checkQuantizationParameters(String module, Map<String, Tensor> state, QuantizationScheme scheme) {
        QuantizationArgs w = scheme.weights();
        if (w != null) {
            requireFloatWeight(module, state);
            checkRole(module, state, WEIGHT, w);
            if (w.actorder() == ActivationOrdering.GROUP)
                require(module, state, WEIGHT_G_IDX, "actorder group stores each column's group index");
        }
        if (scheme.inputActivations() != null) checkRole(module, state, "input", scheme.inputActivations());
        if (scheme.outputActivations() != null) checkRole(module, state, "output", scheme.outputActivations());
    }

    private static void checkRole(String module, Map<String, Tensor> state, String role, QuantizationArgs args) {
        String what = role + " quantization (" + args.type().value() + args.numBits() + " " + args.strategy().value();
        if (args.dynamic() == DynamicMode.DYNAMIC) return;
        if (args.dynamic() == DynamicMode.LOCAL) {
            require(module, state, role + "_global_scale", what + ", dynamic local) calibrates a global scale");
            return;
        }
        require(module, state, role + "_scale", what + ", static) needs calibrated scales");
        if (!args.symmetric()) require(module, state, role + "_zero_point", what + ", asymmetric) needs zero points");
        if (args.strategy() == QuantizationStrategy.TENSOR_GROUP)
            require(module, state, role + "_global_scale", what + ") needs a global scale");
    }

    /**
     * Removes the zero points of symmetric roles (compressed-tensors {@code _remove_symmetric_zp}: vLLM
     * loads no zero point for symmetric schemes).
     */
    static void dropSymmetricZeroPoints(Map<String, Tensor> state, QuantizationScheme scheme) {
        if (scheme.inputActivations() != null && scheme.inputActivations().symmetric()) state.remove("input_zero_point");
        if (scheme.weights() != null && scheme.weights().symmetric()) state.remove(WEIGHT_ZERO_POINT);
        if (scheme.outputActivations() != null && scheme.outputActivations().symmetric()) state.remove("output_zero_point");
    }
}
