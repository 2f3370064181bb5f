package io.llmc4j.compress.observers;

import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.TensorValues;
import io.llmc4j.compress.quantization.TorchArithmetic;
import io.llmc4j.engine.tensor.Tensor;

/**
 * Reshapes an observed tensor into the canonical {@link Observation} layout, as llm-compressor's
 * {@code flatten_for_calibration} does:
 *
 * <pre>
 *   weight [rows, cols]   tensor       (1, [1], rows·cols)
 *                         channel      (1, [rows, 1], cols)
 *                         group        (1, [rows, cols/g], g)          cols must be a multiple of g
 *                         block        (1, [⌈rows/bh⌉, ⌈cols/bw⌉], bh·bw)   zero-padded to whole blocks
 *   activation [b, t, h]  tensor       (b·t, [1], h)
 *                         token        (b, [t], h)
 *                         group        (b·t, [h/g], g)
 *   attention [b, heads, t, d]  tensor     (b·t, [1], heads·d)
 *                               attn_head  (b·t, [heads, 1, 1], d)
 * </pre>
 *
 * Other combinations are rejected with the library's message. Stateless.
 */
public final class CalibrationLayout {
    private CalibrationLayout() {
    }

    /** {@code value} (F32/BF16/F16, not empty) flattened for {@code role} under {@code args}. */
    public static Observation flatten(Tensor value, ObservedRole role, QuantizationArgs args) {
        TorchArithmetic.requireComputeType(value.dtype(), role.baseName() + " observation");
        long[] dims = value.shape().toArray();
        float[] values = TensorValues.read(value);
        return switch (role) {
            case WEIGHT -> weight(values, dims, value, args);
            case INPUT, OUTPUT -> activation(values, dims, value, args);
            case Q, K, V -> attention(values, dims, value, args);
        };
    }

    private static Observation weight(float[] values, long[] dims, Tensor value, QuantizationArgs args) {
        return switch (args.strategy()) {
            case TENSOR -> new Observation(values, value.dtype(), 1, new long[] {1}, values.length);
            case TOKEN -> throw new IllegalArgumentException("Token quantization cannot be applied to weights");
            case ATTN_HEAD -> throw new IllegalArgumentException("Attention head quantization cannot be applied to weights");
            case CHANNEL -> {
                requireRank(dims, 1, "channel weight");
                long[] q = dims.clone();
                q[q.length - 1] = 1;
                yield new Observation(values, value.dtype(), 1, q, (int) dims[dims.length - 1]);
            }
            case GROUP, TENSOR_GROUP -> {
                requireRank(dims, 1, "group weight");
                int g = args.groupSize();
                long cols = dims[dims.length - 1];
                if (cols % g != 0)
                    throw new IllegalArgumentException("unflatten: group_size " + g + " does not divide the " + cols + " columns of weight "
                            + value.shape());
                long[] q = dims.clone();
                q[q.length - 1] = cols / g;
                yield new Observation(values, value.dtype(), 1, q, g);
            }
            case BLOCK -> block(values, dims, value, args);
        };
    }

    private static Observation block(float[] values, long[] dims, Tensor value, QuantizationArgs args) {
        if (dims.length != 2) throw new IllegalArgumentException("block quantization needs a 2-D weight, found " + value.shape());
        int bh = args.blockRows(), bw = args.blockCols();
        int rows = (int) dims[0], cols = (int) dims[1];
        int blockRows = Math.ceilDiv(rows, bh), blockCols = Math.ceilDiv(cols, bw);
        int blockSize = Math.multiplyExact(bh, bw);
        float[] out = new float[Math.multiplyExact(Math.multiplyExact(blockRows, blockCols), blockSize)];
        for (int br = 0; br < blockRows; br++) {
            for (int bc = 0; bc < blockCols; bc++) {
                int base = (br * blockCols + bc) * blockSize;
                for (int i = 0; i < bh; i++) {
                    int r = br * bh + i;
                    if (r >= rows) break;
                    int c0 = bc * bw;
                    int n = Math.min(bw, cols - c0);
                    System.arraycopy(values, r * cols + c0, out, base + i * bw, n);
                }
            }
        }
        return new Observation(out, value.dtype(), 1, new long[] {blockRows, blockCols}, blockSize);
    }

    private static Observation activation(float[] values, long[] dims, Tensor value, QuantizationArgs args) {
        return switch (args.strategy()) {
            case TENSOR -> {
                requireRank(dims, 1, "tensor activation");
                int h = (int) dims[dims.length - 1];
                yield new Observation(values, value.dtype(), values.length / h, new long[] {1}, h);
            }
            case TOKEN -> {
                requireRank(dims, 2, "token activation");
                long[] q = new long[dims.length - 2];
                System.arraycopy(dims, 1, q, 0, q.length);
                yield new Observation(values, value.dtype(), (int) dims[0], q, (int) dims[dims.length - 1]);
            }
            case GROUP, TENSOR_GROUP -> {
                requireRank(dims, 2, "group activation");
                long[] merged = new long[dims.length - 1];
                merged[0] = dims[0] * dims[1];
                System.arraycopy(dims, 2, merged, 1, dims.length - 2);
                int g = args.groupSize();
                long last = merged[merged.length - 1];
                if (last % g != 0)
                    throw new IllegalArgumentException("unflatten: group_size " + g + " does not divide the last dimension " + last
                            + " of activation " + value.shape());
                long[] full = new long[merged.length + 1];
                System.arraycopy(merged, 0, full, 0, merged.length);
                full[merged.length - 1] = last / g;
                full[merged.length] = g;
                long[] q = new long[full.length - 2];
                System.arraycopy(full, 1, q, 0, q.length);
                yield new Observation(values, value.dtype(), (int) full[0], q, g);
            }
            case CHANNEL -> throw new IllegalArgumentException("Channel quantization cannot be applied to activations");
            case BLOCK -> throw new IllegalArgumentException("Block quantization cannot be applied to activations");
            case ATTN_HEAD -> throw new IllegalArgumentException("Attention head quantization cannot be applied to activations");
        };
    }

    private static Observation attention(float[] values, long[] dims, Tensor value, QuantizationArgs args) {
        if (dims.length != 4)
            throw new IllegalArgumentException("attention states must be [batch, heads, tokens, head_dim], found " + value.shape());
        int b = (int) dims[0], heads = (int) dims[1], t = (int) dims[2], d = (int) dims[3];
        float[] out = new float[values.length];
        for (int bi = 0, at = 0; bi < b; bi++) {
            for (int ti = 0; ti < t; ti++) {
                for (int h = 0; h < heads; h++, at += d) {
                    System.arraycopy(values, ((bi * heads + h) * t + ti) * d, out, at, d);
                }
            }
        }
        return switch (args.strategy()) {
            case TENSOR -> new Observation(out, value.dtype(), b * t, new long[] {1}, heads * d);
            case ATTN_HEAD -> new Observation(out, value.dtype(), b * t, new long[] {heads, 1, 1}, d);
            case TOKEN -> throw new IllegalArgumentException("Token quantization cannot be applied to attention");
            case CHANNEL -> throw new IllegalArgumentException("Channel quantization cannot be applied to attention");
            case GROUP, TENSOR_GROUP -> throw new IllegalArgumentException("Group quantization cannot be applied to attention");
            case BLOCK -> throw new IllegalArgumentException("Block quantization cannot be applied to attention");
        };
    }

    private static void requireRank(long[] dims, int min, String what) {
        if (dims.length < min) throw new IllegalArgumentException(what + " needs at least " + min + " dimensions, found " + dims.length);
    }
}
