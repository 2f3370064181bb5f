package io.llmc4j.compress.format;

import io.llmc4j.compress.quantization.ActivationQdq;
import io.llmc4j.compress.quantization.DynamicMode;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Map;

/** Builds an {@link ActivationQdq} from a loaded module's stored parameters, failing with a {@link FormatException} naming what is missing. */
final class ActivationQdqs {
    private ActivationQdqs() {
    }

    /**
     * The QDQ of role {@code role} ({@code input} or {@code output}) of a module whose parameters are
     * {@code parameters}; {@code <role>_scale}, {@code <role>_zero_point}, {@code <role>_global_scale}.
     */
    static ActivationQdq of(String module, String role, QuantizationArgs args, Map<String, Tensor> parameters) {
        boolean stored = args.dynamic() == DynamicMode.STATIC;
        Tensor scale = stored ? ModuleState.require(module, parameters, role + "_scale", "static " + role + " quantization needs calibrated scales") : null;
        Tensor zeroPoint = stored && !args.symmetric()
                ? ModuleState.require(module, parameters, role + "_zero_point", "asymmetric " + role + " quantization needs zero points") : null;
        Tensor globalScale = args.dynamic() == DynamicMode.LOCAL
                ? ModuleState.require(module, parameters, role + "_global_scale", "dynamic local " + role + " quantization needs a global scale")
                : parameters.get(role + "_global_scale");
        return new ActivationQdq(args, scale, zeroPoint, globalScale);
    }

}
