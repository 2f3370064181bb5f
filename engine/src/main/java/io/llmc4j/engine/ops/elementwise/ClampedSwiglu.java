package io.llmc4j.engine.ops.elementwise;

import io.llmc4j.engine.ops.convert.TensorConversion;
import io.llmc4j.engine.tensor.Tensor;

/**
 * gpt-oss's clamped SwiGLU (transformers' {@code GptOssExperts}): with g = min(gate, limit) and
 * u = clamp(up, −limit, limit), out = (u + 1) · g · sigmoid(alpha · g), in float arithmetic as
 * transformers computes it in float32. A scalar loop: it runs on one expert's intermediate
 * activations, small next to the expert's GEMMs. Result: a new contiguous F32 heap tensor.
 * Thread-safe.
 */
public final class ClampedSwiglu {
    private ClampedSwiglu() {
    }

    public static Tensor apply(Tensor gate, Tensor up, float alpha, float limit) {
        if (!gate.shape().equals(up.shape())) throw new IllegalArgumentException("clampedSwiglu: gate " + gate.shape() + " and up " + up.shape() + " differ");
        float[] g = TensorConversion.toFloatArray(gate), u = TensorConversion.toFloatArray(up), out = new float[g.length];
        for (int i = 0; i < out.length; i++) {
            float x = Math.min(g[i], limit), y = Math.max(-limit, Math.min(limit, u[i]));
            float glu = x * (float) (1 / (1 + Math.exp(-(double) (x * alpha))));
            out[i] = (y + 1) * glu;
        }
        return Tensor.of(out, gate.shape().toArray());
    }
}
