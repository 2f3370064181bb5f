package io.llmc4j.compress.modifiers.smoothing;

import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.nn.RMSNorm;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;

/**
 * Folds a scale vector into a resolved mapping's modules: the smooth module's outputs divided by s
 * (a norm's weight, Gemma's (1 + w) through {@link SmoothingMath#divideOffsetNorm}, or the last
 * rows and bias entries of a Linear) and every balance weight's columns multiplied by s. Parameters
 * are replaced (new tensors in their own dtype), never written in place: they may be views of the
 * input model's mapped files, and the sequential pipeline sees the replacement.
 */
public final class ScaleFolding {
    private ScaleFolding() {
    }

    /** Applies s to the smooth module and every balance module of {@code mapping}. */
    public static void apply(ResolvedMapping mapping, float[] s) {
        for (Module balance : mapping.balance()) scaleColumns(balance, s);
        divideOutputs(mapping.smooth(), s);
    }

    /** Multiplies the columns of {@code module}'s [out, in] weight by s. */
    public static void scaleColumns(Module module, float[] s) {
        Tensor w = module.parameter("weight");
        int rows = Math.toIntExact(w.dim(0)), cols = Math.toIntExact(w.dim(1));
        module.setParameter("weight", tensor(SmoothingMath.scaleColumns(floats(w), rows, cols, s), w.dtype(), rows, cols));
    }

    /** Divides the outputs of a norm or Linear (its last s.length outputs) by s. */
    public static void divideOutputs(Module smooth, float[] s) {
        Tensor w = smooth.parameter("weight");
        if (w.rank() == 1) {
            float[] folded = smooth instanceof RMSNorm norm && norm.unitOffset()
                    ? SmoothingMath.divideOffsetNorm(floats(w), s) : SmoothingMath.divideLast(floats(w), s);
            smooth.setParameter("weight", tensor(folded, w.dtype(), w.dim(0)));
        } else {
            int rows = Math.toIntExact(w.dim(0)), cols = Math.toIntExact(w.dim(1));
            smooth.setParameter("weight", tensor(SmoothingMath.divideLastRows(floats(w), rows, cols, s), w.dtype(), rows, cols));
        }
        Tensor bias = smooth.parameter("bias");
        if (bias != null) smooth.setParameter("bias", tensor(SmoothingMath.divideLast(floats(bias), s), bias.dtype(), bias.dim(0)));
    }

    /** The values of {@code t} as F32, row-major. */
    public static float[] floats(Tensor t) {
        return (t.dtype() == DType.F32 ? t : t.to(DType.F32)).toFloatArray();
    }

    /** A new tensor of {@code dtype} holding {@code values}. */
    public static Tensor tensor(float[] values, DType dtype, long... dims) {
        Tensor t = Tensor.of(values, dims);
        return dtype == DType.F32 ? t : t.to(dtype);
    }
}
