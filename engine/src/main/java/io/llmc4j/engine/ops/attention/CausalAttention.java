package io.llmc4j.engine.ops.attention;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.convert.FloatLoads;
import io.llmc4j.engine.ops.convert.TensorConversion;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import io.llmc4j.engine.ops.elementwise.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Causal scaled-dot-product attention with grouped KV heads (GQA), as Hugging Face's eager
 * attention computes it: for query i of head h, with kv head {@code h / (qHeads / kvHeads)},
 * <pre>
 *   score[j] = scale · q[i]·k[j]   for j ≤ i and mask[j] ≠ 0 (else −∞)
 *   p = softmax(score);   out[i] = Σ p[j]·v[j]
 * </pre>
 * A query that sees no key (all masked) gets zeros. q {@code [batch, tokens, qHeads, headDim]};
 * k, v {@code [batch, tokens, kvHeads, headDim]}; mask {@code [batch, tokens]} of 1/0 or null; any
 * float dtype and layout. Returns {@code [batch, tokens, qHeads, headDim]}, a new contiguous F32
 * heap tensor.
 *
 * <p>Tasks are (batch, head, block of {@value #QUERY_BLOCK} queries), fixed by the sizes; each
 * output row is computed by one task in a fixed order, so results do not depend on the thread
 * count. Thread-safe.
 */
public final class CausalAttention {
    private static final VectorSpecies<Float> S = FloatLoads.SPECIES;
    private static final int LANES = FloatLoads.LANES;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int QUERY_BLOCK = 64;

    private CausalAttention() {
    }

    public static Tensor apply(Tensor q, Tensor k, Tensor v, Tensor mask, float scale, Parallel parallel) {
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
        Tensor qs = TensorConversion.contiguousF32(q, parallel), ks = TensorConversion.contiguousF32(k, parallel), vs = TensorConversion.contiguousF32(v, parallel);
        float[] keep = mask == null ? null : TensorConversion.toFloatArray(mask);
        Tensor out = Tensor.allocate(DType.F32, batch, tokens, qHeads, dim);
        if (out.elementCount() == 0) return out;
        Layout layout = new Layout(tokens, qHeads, kvHeads, dim, qHeads / kvHeads);
        int blocks = (tokens + QUERY_BLOCK - 1) / QUERY_BLOCK;
        parallel.forEach(Math.multiplyExact(batch * qHeads, blocks), task -> {
            int b = task / (qHeads * blocks), h = task / blocks % qHeads, block = task % blocks;
            float[] scores = new float[tokens];
            float[] row = new float[dim];
            for (int i = block * QUERY_BLOCK, end = Math.min(tokens, i + QUERY_BLOCK); i < end; i++)
                query(layout, qs, ks, vs, keep, scale, b, h, i, scores, row, out.segment());
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

    private static void query(Layout l, Tensor q, Tensor k, Tensor v, float[] keep, float scale, int b, int h, int i,
                              float[] scores, float[] row, MemorySegment out) {
        MemorySegment qs = q.segment(), ks = k.segment(), vs = v.segment();
        long qAt = q.byteOffset() + 4 * l.qRow(b, i, h);
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j <= i; j++) {
            boolean visible = keep == null || keep[b * l.tokens() + j] != 0;
            float s = visible ? scale * dot(qs, qAt, ks, k.byteOffset() + 4 * l.kvRow(b, j, h), l.dim()) : Float.NEGATIVE_INFINITY;
            scores[j] = s;
            max = Math.max(max, s);
        }
        long outAt = 4 * l.qRow(b, i, h);
        if (max == Float.NEGATIVE_INFINITY) return;   // no visible key: the row stays zero
        float sum = expInPlace(scores, i + 1, max);
        java.util.Arrays.fill(row, 0f);
        for (int j = 0; j <= i; j++) axpy(scores[j], vs, v.byteOffset() + 4 * l.kvRow(b, j, h), row);
        float inverse = 1 / sum;
        int d = 0;
        for (int end = l.dim() - l.dim() % LANES; d < end; d += LANES)
            FloatVector.fromArray(S, row, d).mul(inverse).intoMemorySegment(out, outAt + 4L * d, LE);
        for (; d < l.dim(); d++) out.set(Tensor.F32, outAt + 4L * d, row[d] * inverse);
    }

    /** scores[j] = e^(scores[j] − max) for j < count; returns their sum. */
    private static float expInPlace(float[] scores, int count, float max) {
        int j = 0;
        FloatVector total = FloatVector.zero(S);
        for (int end = count - count % LANES; j < end; j += LANES) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, scores, j).sub(max));
            e.intoArray(scores, j);
            total = total.add(e);
        }
        float sum = VectorMath.sum(total);
        for (; j < count; j++) {
            scores[j] = VectorMath.exp(scores[j] - max);
            sum += scores[j];
        }
        return sum;
    }

    private static float dot(MemorySegment a, long aAt, MemorySegment b, long bAt, int n) {
        FloatVector acc = FloatVector.zero(S);
        int d = 0;
        for (int end = n - n % LANES; d < end; d += LANES)
            acc = FloatVector.fromMemorySegment(S, a, aAt + 4L * d, LE).fma(FloatVector.fromMemorySegment(S, b, bAt + 4L * d, LE), acc);
        float sum = VectorMath.sum(acc);
        for (; d < n; d++) sum = Math.fma(a.get(Tensor.F32, aAt + 4L * d), b.get(Tensor.F32, bAt + 4L * d), sum);
        return sum;
    }

    /** row += p · v[0 .. row.length). */
    private static void axpy(float p, MemorySegment v, long vAt, float[] row) {
        int d = 0, n = row.length;
        FloatVector weight = FloatVector.broadcast(S, p);
        for (int end = n - n % LANES; d < end; d += LANES)
            FloatVector.fromMemorySegment(S, v, vAt + 4L * d, LE).fma(weight, FloatVector.fromArray(S, row, d)).intoArray(row, d);
        for (; d < n; d++) row[d] = Math.fma(p, v.get(Tensor.F32, vAt + 4L * d), row[d]);
    }
}
