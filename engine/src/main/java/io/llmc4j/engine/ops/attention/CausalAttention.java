package io.llmc4j.engine.ops.attention;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.convert.TensorConversion;
import io.llmc4j.engine.ops.elementwise.VectorMath;
import io.llmc4j.engine.ops.memory.FloatData;
import io.llmc4j.engine.ops.memory.Widening;
import io.llmc4j.engine.ops.memory.Window;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Causal scaled-dot-product attention with grouped KV heads (GQA), as Hugging Face's eager
 * attention computes it: for query i of head h, with kv head {@code h / (qHeads / kvHeads)},
 * <pre>
 *   s[j]     = scale · q[i]·k[j]                  for i − window &lt; j ≤ i and mask[j] ≠ 0 (else −∞)
 *   score[j] = softcap · tanh(s[j] / softcap)     when softcap &gt; 0 (Gemma 2), else s[j]
 *   p = softmax(score, sink);   out[i] = Σ p[j]·v[j]      (sink: gpt-oss's per-head extra logit, its probability dropped)
 * </pre>
 * {@code window} ≤ 0 means full causal attention; a positive window keeps the last {@code window}
 * keys up to and including the query (transformers' {@code sliding_window_overlay}:
 * {@code kv_idx > q_idx − window}). A query that sees no key (all masked) gets zeros. q {@code [batch, tokens, qHeads, headDim]};
 * k, v {@code [batch, tokens, kvHeads, headDim]}; mask {@code [batch, tokens]} of 1/0 or null; any
 * float dtype and layout. Returns {@code [batch, tokens, qHeads, headDim]}, a new contiguous F32
 * heap tensor.
 *
 * <p>Tasks are (batch, head, block of {@value #QUERY_BLOCK} queries), fixed by the sizes; a task
 * gathers the keys and values its queries can see into arrays once, and each output row is computed
 * by one task in a fixed order, so results do not depend on the thread count. Thread-safe.
 */
public final class CausalAttention {
    private static final VectorSpecies<Float> S = Widening.SPECIES;
    private static final int LANES = Widening.LANES;
    private static final int QUERY_BLOCK = 64;

    private CausalAttention() {
    }

    /** Full causal attention without soft-capping. */
    public static Tensor apply(Tensor q, Tensor k, Tensor v, Tensor mask, float scale, Parallel parallel) {
        return apply(q, k, v, mask, scale, 0, 0f, null, parallel);
    }

    /**
     * @param window  sliding window in tokens (query included), or ≤ 0 for full causal attention
     * @param softcap attention logit soft-cap, or ≤ 0 for none
     * @param sinks   per-query-head sink logits [qHeads] (gpt-oss), or null
     */
    public static Tensor apply(Tensor q, Tensor k, Tensor v, Tensor mask, float scale, int window, float softcap, Tensor sinks,
                               Parallel parallel) {
        if (q.rank() != 4 || k.rank() != 4 || v.rank() != 4)
            throw new IllegalArgumentException("attention: q, k, v must be [batch, tokens, heads, headDim], got " + q.shape() + ", " + k.shape() + ", " + v.shape());
        int batch = Math.toIntExact(q.dim(0)), tokens = Math.toIntExact(q.dim(1)), qHeads = Math.toIntExact(q.dim(2)), dim = Math.toIntExact(q.dim(3));
        int kvHeads = Math.toIntExact(k.dim(2));
        if (!k.shape().equals(v.shape()) || k.dim(0) != batch || k.dim(1) != tokens || k.dim(3) != dim)
            throw new IllegalArgumentException("attention: k " + k.shape() + " and v " + v.shape() + " must be [" + batch + ", " + tokens + ", kvHeads, " + dim + "] for q " + q.shape());
        if (kvHeads == 0 || qHeads % kvHeads != 0)
            throw new IllegalArgumentException("attention: " + qHeads + " query heads not a multiple of " + kvHeads + " kv heads");
        if (mask != null && (mask.rank() != 2 || mask.dim(0) != batch || mask.dim(1) != tokens))
            throw new IllegalArgumentException("attention: mask " + mask.shape() + " must be [" + batch + ", " + tokens + "]");
        FloatData qs = FloatData.of(TensorConversion.contiguousFloat(q, parallel)), ks = FloatData.of(TensorConversion.contiguousFloat(k, parallel));
        FloatData vs = FloatData.of(TensorConversion.contiguousFloat(v, parallel));
        float[] keep = mask == null ? null : TensorConversion.toFloatArray(mask);
        if (sinks != null && (sinks.rank() != 1 || sinks.dim(0) != qHeads))
            throw new IllegalArgumentException("attention: sinks " + sinks.shape() + " must be [" + qHeads + "]");
        float[] sinkLogits = sinks == null ? null : TensorConversion.toFloatArray(sinks);
        Tensor out = Tensor.allocate(DType.F32, batch, tokens, qHeads, dim);
        if (out.elementCount() == 0) return out;
        Layout layout = new Layout(tokens, qHeads, kvHeads, dim, qHeads / kvHeads);
        FloatData os = FloatData.of(out);
        int blocks = (tokens + QUERY_BLOCK - 1) / QUERY_BLOCK;
        parallel.forEach(Math.multiplyExact(batch * qHeads, blocks), task -> {
            int b = task / (qHeads * blocks), h = task / blocks % qHeads, block = task % blocks;
            int firstQuery = block * QUERY_BLOCK, endQuery = Math.min(tokens, firstQuery + QUERY_BLOCK);
            int firstKey = window > 0 ? Math.max(0, firstQuery - window + 1) : 0, keyCount = endQuery - firstKey;
            // The keys and values this block can see, gathered once into [keyCount][dim] arrays (key j at j − firstKey).
            float[] keys = new float[keyCount * dim], values = new float[keyCount * dim];
            Window staging = new Window();
            for (int j = firstKey; j < endQuery; j++) {
                ks.readInto(layout.kvRow(b, j, h), dim, keys, (j - firstKey) * dim, staging);
                vs.readInto(layout.kvRow(b, j, h), dim, values, (j - firstKey) * dim, staging);
            }
            float[] scores = new float[keyCount], query = new float[dim], row = new float[dim], lanes = new float[LANES];
            for (int i = firstQuery; i < endQuery; i++) {
                qs.readInto(layout.qRow(b, i, h), dim, query, 0, staging);
                int from = window > 0 ? Math.max(firstKey, i - window + 1) : 0;
                attend(query, keys, values, keep, b * tokens + firstKey, scale, softcap, sinkLogits == null ? Float.NEGATIVE_INFINITY : sinkLogits[h],
                        from - firstKey, i - firstKey, dim, scores, row, lanes);
                os.write(layout.qRow(b, i, h), row, 0, dim);
            }
        });
        return out;
    }

    /** Sizes and the element offsets of one (batch, token, head) row. */
    private record Layout(int tokens, int qHeads, int kvHeads, int dim, int group) {
        long qRow(int b, int t, int h) {
            return (((long) b * tokens + t) * qHeads + h) * dim;
        }

        long kvRow(int b, int t, int h) {
            return (((long) b * tokens + t) * kvHeads + h / group) * dim;
        }
    }

    /**
     * row := attention output of the query against gathered keys/values {@code [from, last]} (zeros if
     * none is visible); {@code maskAt} is the mask index of gathered key 0.
     */
    private static void attend(float[] query, float[] keys, float[] values, float[] keep, int maskAt, float scale, float softcap,
                               float sink, int from, int last, int dim, float[] scores, float[] row, float[] lanes) {
        float max = Float.NEGATIVE_INFINITY;
        int count = last - from + 1;
        for (int j = from; j <= last; j++) {
            boolean visible = keep == null || keep[maskAt + j] != 0;
            float s = visible ? scale * dot(query, keys, j * dim, dim, lanes) : Float.NEGATIVE_INFINITY;
            if (softcap > 0 && visible) s = (float) (softcap * Math.tanh(s / softcap));
            scores[j - from] = s;
            max = Math.max(max, s);
        }
        java.util.Arrays.fill(row, 0f);
        if (max == Float.NEGATIVE_INFINITY) return;   // no visible key: the row stays zero
        max = Math.max(max, sink);
        float sum = expInPlace(scores, count, max, lanes);
        if (sink != Float.NEGATIVE_INFINITY) sum += (float) Math.exp(sink - max);   // the sink takes its share of the softmax
        for (int j = 0; j < count; j++) axpy(scores[j], values, (from + j) * dim, row);
        float inverse = 1 / sum;
        int d = 0;
        for (int end = dim - dim % LANES; d < end; d += LANES) FloatVector.fromArray(S, row, d).mul(inverse).intoArray(row, d);
        for (; d < dim; d++) row[d] *= inverse;
    }

    /** scores[j] = e^(scores[j] − max) for j < count; returns their sum. */
    private static float expInPlace(float[] scores, int count, float max, float[] lanes) {
        VectorMath.exp(scores, 0, 1f, max, scores, 0, count);   // arrays in, arrays out: no vector crosses a call
        return VectorMath.sum(scores, 0, count, lanes);
    }

    private static float dot(float[] a, float[] b, int bAt, int n, float[] lanes) {
        FloatVector acc = FloatVector.zero(S);
        int d = 0;
        for (int end = n - n % LANES; d < end; d += LANES) acc = FloatVector.fromArray(S, a, d).fma(FloatVector.fromArray(S, b, bAt + d), acc);
        acc.intoArray(lanes, 0);
        float sum = VectorMath.sumInPlace(lanes, 0);
        for (; d < n; d++) sum = Math.fma(a[d], b[bAt + d], sum);
        return sum;
    }

    /** row += p · v[vAt ...]. */
    private static void axpy(float p, float[] v, int vAt, float[] row) {
        int d = 0, n = row.length;
        FloatVector weight = FloatVector.broadcast(S, p);
        for (int end = n - n % LANES; d < end; d += LANES)
            FloatVector.fromArray(S, v, vAt + d).fma(weight, FloatVector.fromArray(S, row, d)).intoArray(row, d);
        for (; d < n; d++) row[d] = Math.fma(p, v[vAt + d], row[d]);
    }
}
