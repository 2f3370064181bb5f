package io.llmc4j.engine.ops.attention;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.convert.FloatLoads;
import io.llmc4j.engine.ops.convert.TensorConversion;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
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
    private static final VectorSpecies<Float> S = FloatLoads.SPECIES;
    private static final int LANES = FloatLoads.LANES;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
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
        Tensor in = TensorConversion.contiguousF32(x, parallel);
        Tensor c = TensorConversion.contiguousF32(cos, parallel), s = TensorConversion.contiguousF32(sin, parallel);
        Tensor out = Tensor.allocate(DType.F32, batch, tokens, heads, dim);
        long positions = batch * tokens;
        if (positions == 0 || heads == 0 || dim == 0) return out;
        long perTask = Math.max(1, CHUNK / (heads * dim));
        parallel.forEach(Parallel.chunkCount(positions, perTask), task -> {
            long first = task * perTask, last = Math.min(positions, first + perTask);
            for (long p = first; p < last; p++)
                for (long h = 0; h < heads; h++) {
                    long at = ((p * heads + h) * dim) * 4;
                    rotate(in.segment(), in.byteOffset() + at, c.segment(), c.byteOffset() + p * dim * 4,
                            s.segment(), s.byteOffset() + p * dim * 4, out.segment(), at, (int) dim);
                }
        });
        return out;
    }

    private static void rotate(MemorySegment x, long xAt, MemorySegment cos, long cAt, MemorySegment sin, long sAt,
                               MemorySegment out, long outAt, int dim) {
        int half = dim / 2, i = 0;
        long h = 4L * half;
        for (int end = half - half % LANES; i < end; i += LANES) {
            long at = 4L * i;
            FloatVector x1 = FloatVector.fromMemorySegment(S, x, xAt + at, LE), x2 = FloatVector.fromMemorySegment(S, x, xAt + h + at, LE);
            FloatVector c1 = FloatVector.fromMemorySegment(S, cos, cAt + at, LE), c2 = FloatVector.fromMemorySegment(S, cos, cAt + h + at, LE);
            FloatVector s1 = FloatVector.fromMemorySegment(S, sin, sAt + at, LE), s2 = FloatVector.fromMemorySegment(S, sin, sAt + h + at, LE);
            x1.mul(c1).sub(x2.mul(s1)).intoMemorySegment(out, outAt + at, LE);
            x2.mul(c2).add(x1.mul(s2)).intoMemorySegment(out, outAt + h + at, LE);
        }
        for (; i < half; i++) {
            long at = 4L * i;
            float x1 = x.get(Tensor.F32, xAt + at), x2 = x.get(Tensor.F32, xAt + h + at);
            out.set(Tensor.F32, outAt + at, x1 * cos.get(Tensor.F32, cAt + at) - x2 * sin.get(Tensor.F32, sAt + at));
            out.set(Tensor.F32, outAt + h + at, x2 * cos.get(Tensor.F32, cAt + h + at) + x1 * sin.get(Tensor.F32, sAt + h + at));
        }
    }
}
