package io.llmc4j.compress.modelfree;

import io.llmc4j.compress.format.CompressionFormat;
import io.llmc4j.compress.format.Compressor;
import io.llmc4j.compress.observers.ObservedRole;
import io.llmc4j.compress.observers.Observer;
import io.llmc4j.compress.observers.ObserverRegistry;
import io.llmc4j.compress.quantization.GlobalScale;
import io.llmc4j.compress.quantization.QParams;
import io.llmc4j.compress.quantization.QParamsCalculator;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.TensorValues;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One weight tensor quantized and compressed without a model (LLM Compressor's model-free
 * {@code calibrate_weight} + {@code compress_module}): the weight observer that {@code oneshot} uses
 * ({@code memoryless_minmax} unless the args name another; {@link ObserverRegistry#effectiveName}),
 * its qparams, then the format's {@link Compressor}. The result is the module's stored state under
 * local names ({@code weight} or {@code weight_packed}, {@code weight_scale}, ...), new heap tensors.
 *
 * <p>Fused weights (q/k/v, gate/up) under a tensor_group scheme share one global scale: the caller
 * passes the largest absolute value over the set ({@link #absMax}), and the global scale is computed
 * from it as the observer computes it over fused observers. Stateless and thread-safe.
 */
final class WeightQuantizer {
    private static final ObserverRegistry OBSERVERS = ObserverRegistry.standard();

    private WeightQuantizer() {
    }

    /** The stored state of module {@code module} whose weight is {@code weight}; {@code fusedAbsMax} is null when not fused. */
    static Map<String, Tensor> quantize(String module, Tensor weight, QuantizationScheme scheme, CompressionFormat format, Float fusedAbsMax) {
        QuantizationArgs args = scheme.weights();
        Observer observer = observer(args);
        observer.observe(weight);
        QParams qparams;
        if (fusedAbsMax == null) {
            qparams = observer.qparams();
        } else {
            float global = GlobalScale.fromAbsmax(Math.abs(fusedAbsMax), weight.dtype());
            qparams = QParamsCalculator.calculate(observer.minVals(), observer.maxVals(), args,
                    TensorValues.write(new float[] {global}, DType.F32, 1));
        }
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("weight", weight);
        state.put("weight_scale", qparams.scale());
        state.put("weight_zero_point", qparams.zeroPoint());
        if (qparams.globalScale() != null) state.put("weight_global_scale", qparams.globalScale());
        return Compressor.of(format).compress(module, state, scheme);
    }

    /** The observer's largest absolute value of {@code weight} (in its dtype), for a fused set's global scale. */
    static float absMax(Tensor weight, QuantizationArgs args) {
        Observer observer = observer(args);
        observer.observe(weight);
        return observer.absMax();
    }

    private static Observer observer(QuantizationArgs args) {
        String name = ObserverRegistry.effectiveName(ObservedRole.WEIGHT, args.observer() == null ? "memoryless_minmax" : args.observer());
        return OBSERVERS.create(name, ObservedRole.WEIGHT, args);
    }
}
