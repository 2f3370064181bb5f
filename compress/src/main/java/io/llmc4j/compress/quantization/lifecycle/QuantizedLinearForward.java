package io.llmc4j.compress.quantization.lifecycle;

import io.llmc4j.compress.observers.ObservedRole;
import io.llmc4j.compress.quantization.ActivationQdq;
import io.llmc4j.compress.quantization.DynamicMode;
import io.llmc4j.compress.quantization.QParams;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationStatus;
import io.llmc4j.engine.nn.ForwardWrapper;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;
import java.util.function.Function;

/**
 * The quantized forward of a Linear (compressed-tensors' {@code wrap_module_forward_quantized}):
 *
 * <pre>
 *   x ──▶ QDQ(input args: dynamic from x, or static input_scale/zero_point) ──┐
 *   weight ──▶ QDQ(weight_scale, weight_zero_point)  (cached per weight/scale) ─┴─▶ x·Wᵀ + b ──▶ QDQ(output args) ──▶ y
 * </pre>
 *
 * Active once the module is FROZEN (calibrated): before that, during calibration, and for symbolic
 * (traced) inputs the plain forward runs. LLM Compressor runs every calibration pipeline inside
 * {@code DisableQuantization}, so calibration forwards never fake-quantize; what calibration
 * propagates is the weights modifiers changed. The fake-quantized weight (in the weight's dtype) is
 * cached between forwards until {@link #releaseCachedWeight}. It is a {@link ForwardWrapper}, so it
 * also runs while hooks are disabled. Not thread-safe.
 */
public final class QuantizedLinearForward implements ForwardWrapper {
    private final QuantizedModule target;
    private final Ops ops;

    private Tensor cachedWeight;
    private Tensor cachedScale;
    private Tensor cachedFakeQuantized;

    /** @param ops the kernels of the wrapped Linear ({@link io.llmc4j.engine.nn.Linear#ops()}) */
    public QuantizedLinearForward(QuantizedModule target, Ops ops) {
        this.target = target;
        this.ops = ops;
    }

    @Override
    public Tensor apply(Module module, Tensor[] inputs, Function<Tensor[], Tensor> forward) {
        Tensor x = inputs[0];
        if (x.isSymbolic() || !target.status().isAtLeast(QuantizationStatus.FROZEN)) return forward.apply(inputs);
        QuantizationArgs inputArgs = target.args(ObservedRole.INPUT);
        if (inputArgs != null) x = fakeQuantizeActivation(target, x, inputArgs, ObservedRole.INPUT);
        Tensor y = ops.linear(x, weightForForward(module), module.parameter("bias"));
        QuantizationArgs outputArgs = target.args(ObservedRole.OUTPUT);
        return outputArgs == null ? y : fakeQuantizeActivation(target, y, outputArgs, ObservedRole.OUTPUT);
    }

    /** The quantized module (name, scheme, qparams) this forward computes. */
    public QuantizedModule target() {
        return target;
    }

    /** Drops the cached fake-quantized weight (it is recomputed on the next forward). */
    public void releaseCachedWeight() {
        cachedWeight = null;
        cachedScale = null;
        cachedFakeQuantized = null;
    }

    /** Whether a fake-quantized weight is cached. */
    public boolean hasCachedWeight() {
        return cachedFakeQuantized != null;
    }

    private Tensor weightForForward(Module module) {
        Tensor weight = module.parameter("weight");
        QParams qparams = target.args(ObservedRole.WEIGHT) == null ? null : target.qparams(ObservedRole.WEIGHT);
        if (qparams == null) return weight;
        if (weight != cachedWeight || qparams.scale() != cachedScale) {
            cachedFakeQuantized = target.fakeQuantizedWeight();
            cachedWeight = weight;
            cachedScale = qparams.scale();
        }
        return cachedFakeQuantized;
    }

    /** QDQ of {@code target}'s activation {@code role} with its current qparams (calibration updates them batch by batch); x unchanged until they exist. */
    static Tensor fakeQuantizeActivation(QuantizedModule target, Tensor x, QuantizationArgs args, ObservedRole role) {
        String base = role.baseName();
        Module module = target.module();
        Tensor scale = module.parameter(base + "_scale"), globalScale = module.parameter(base + "_global_scale");
        if (args.dynamic() == DynamicMode.STATIC && scale == null || args.dynamic() == DynamicMode.LOCAL && globalScale == null) return x;
        Tensor zeroPoint = args.dynamic() == DynamicMode.STATIC && !args.symmetric() ? module.parameter(base + "_zero_point") : null;
        return new ActivationQdq(args, args.dynamic() == DynamicMode.STATIC ? scale : null, zeroPoint, globalScale).apply(x);
    }
}
