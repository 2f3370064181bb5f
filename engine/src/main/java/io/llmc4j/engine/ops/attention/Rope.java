package io.llmc4j.engine.ops.attention;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.convert.TensorConversion;
import io.llmc4j.engine.ops.memory.FloatData;
import io.llmc4j.engine.ops.memory.Widening;
import io.llmc4j.engine.ops.memory.Window;
import io.llmc4j.engine.ops.memory.WindowPool;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Rotary position embedding in Hugging Face's rotate_half layout ({@code apply_rotary_pos_emb}):
 * with {@code x = [x1, x2]} split at half the head dim,
 * <pre>
 *   out[:half] = x1·cos[:half] − x2·sin[:half]
 *   out[half:] = x2·cos[half:] + x1·sin[half:]
 * </pre>
 * x {@code [batch, tokens, heads, headDim]}, cos and sin {@code [batch, tokens, headDim]} (any float
 * dtype and layout); returns a new contiguous F32 heap tensor. Parallel over (batch, token) rows.
 * Thread-safe.
 */
public final class Rope {
    private static final VectorSpecies<Float> S = Widening.SPECIES;
    private static final int LANES = Widening.LANES;
    private static final WindowPool WINDOWS = new WindowPool(4);
    private static final long CHUNK = 1 << 15;

    private Rope() {
    }

    public static Tensor apply(Tensor x, Tensor cos, Tensor sin, Parallel parallel) {
        if (x.rank() != 4) throw new IllegalArgumentException("rope: x must be [batch, tokens, heads, headDim], got " + x.shape());
        long batch = x.dim(0), tokens = x.dim(1), heads = x.dim(2), dim = x.dim(3);
        for (Tensor table : new Tensor[] {cos, sin})
            if (table.rank() != 3 || table.dim(0) != batch || table.dim(1) != tokens || table.dim(2) != dim)
                throw new IllegalArgumentException("rope: cos/sin " + table.shape() + " must be [" + batch + ", " + tokens + ", " + dim + "] for x " + x.shape());
        if (dim % 2 != 0) throw new IllegalArgumentException("rope: head dim " + dim + " of x " + x.shape() + " is odd");
        Tensor out = Tensor.allocate(DType.F32, batch, tokens, heads, dim);
        long positions = batch * tokens;
        if (positions == 0 || heads == 0 || dim == 0) return out;
        FloatData xs = FloatData.of(TensorConversion.contiguousFloat(x, parallel)), os = FloatData.of(out);
        FloatData cs = FloatData.of(TensorConversion.contiguousFloat(cos, parallel)), ss = FloatData.of(TensorConversion.contiguousFloat(sin, parallel));
        int block = Math.toIntExact(heads * dim), d = (int) dim;
        long perTask = Math.max(1, CHUNK / block);
        parallel.forEach(Parallel.chunkCount(positions, perTask), task -> {
            Window[] windows = WINDOWS.get();
            Window in = windows[0], c = windows[1], s = windows[2], result = windows[3];
            long first = task * perTask, last = Math.min(positions, first + perTask);
            for (long p = first; p < last; p++) {
                xs.read(p * block, block, in);
                cs.read(p * d, d, c);
                ss.read(p * d, d, s);
                os.writable(p * block, block, result);
                for (int h = 0; h < heads; h++)
                    rotate(in.array(), in.offset() + h * d, c.array(), c.offset(), s.array(), s.offset(), result.array(), result.offset() + h * d, d);
                os.commit(p * block, block, result);
            }
        });
        return out;
    }

    private static void rotate(float[] x, int xAt, float[] cos, int cAt, float[] sin, int sAt, float[] out, int outAt, int dim) {
        int half = dim / 2, i = 0;
        for (int end = half - half % LANES; i < end; i += LANES) {
            FloatVector x1 = FloatVector.fromArray(S, x, xAt + i), x2 = FloatVector.fromArray(S, x, xAt + half + i);
            FloatVector c1 = FloatVector.fromArray(S, cos, cAt + i), c2 = FloatVector.fromArray(S, cos, cAt + half + i);
            FloatVector s1 = FloatVector.fromArray(S, sin, sAt + i), s2 = FloatVector.fromArray(S, sin, sAt + half + i);
            x1.mul(c1).sub(x2.mul(s1)).intoArray(out, outAt + i);
            x2.mul(c2).add(x1.mul(s2)).intoArray(out, outAt + half + i);
        }
        for (; i < half; i++) {
            float x1 = x[xAt + i], x2 = x[xAt + half + i];
            out[outAt + i] = x1 * cos[cAt + i] - x2 * sin[sAt + i];
            out[outAt + half + i] = x2 * cos[cAt + half + i] + x1 * sin[sAt + half + i];
        }
    }
}
