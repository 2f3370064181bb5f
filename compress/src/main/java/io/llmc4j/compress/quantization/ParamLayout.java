package io.llmc4j.compress.quantization;

import io.llmc4j.engine.tensor.Shape;
import java.util.Arrays;

/**
 * How the elements of a tensor x (row-major) line up with a parameter tensor (scale or zero point):
 * x splits into runs of consecutive elements that share one parameter, visited in order. This is the
 * index arithmetic behind the reshapes of compressed-tensors {@code _process_quantization}:
 *
 * <ul>
 *   <li>{@link Broadcast}: the parameter broadcasts against a view of x (tensor, channel, token: x
 *       itself; group: x with its last axis split into (groups, group_size) and the scale given a
 *       trailing axis of 1).
 *   <li>{@link Block}: 2-D x, one parameter per (block_rows × block_cols) tile; the library zero-pads
 *       x to whole blocks, which changes no element of the result.
 *   <li>{@link GroupIndex}: activation-ordered groups, column c using group {@code g_idx[c]}.
 * </ul>
 */
public sealed interface ParamLayout {

    /** Receives one run: {@code length} elements from flat index {@code start} share parameter {@code param}. */
    @FunctionalInterface
    interface RunVisitor {
        void run(int start, int length, int param);
    }

    /** Visits every element of x once, in increasing order. */
    void forEachRun(RunVisitor visitor);

    /**
     * The layout for quantizing a tensor of shape {@code x} with a parameter of shape {@code param}
     * under {@code strategy}; {@code gIdx} (column → group, or null) applies to grouped strategies.
     */
    static ParamLayout of(QuantizationStrategy strategy, QuantizationArgs args, Shape x, Shape param, int[] gIdx) {
        return switch (strategy) {
            case BLOCK -> Block.of(args, x, param);
            case GROUP, TENSOR_GROUP -> grouped(args, x, param, gIdx);
            case TENSOR, CHANNEL, TOKEN, ATTN_HEAD -> Broadcast.of(x.toArray(), param.toArray());
        };
    }

    private static ParamLayout grouped(QuantizationArgs args, Shape x, Shape param, int[] gIdx) {
        if (x.rank() == 0) throw new IllegalArgumentException("group quantization needs at least one axis, found a scalar");
        long columns = x.last();
        int groupSize = args.groupSize();
        if (columns % groupSize != 0)
            throw new IllegalArgumentException("tensor column shape must be divisible by the given group_size " + groupSize
                    + " but got " + columns + " (shape " + x + ")");
        long[] p = param.toArray();
        if (p.length == 0) p = new long[] {1};
        if (p.length == 1) p = new long[] {p[0], 1};
        boolean columnOrder = gIdx == null || Arrays.stream(gIdx).anyMatch(g -> g == -1);
        if (!columnOrder) return GroupIndex.of(x, p, gIdx);
        long[] xd = x.toArray();
        long[] view = Arrays.copyOf(xd, xd.length + 1);
        view[xd.length - 1] = columns / groupSize;
        view[xd.length] = groupSize;
        long[] pd = Arrays.copyOf(p, p.length + 1);
        pd[p.length] = 1;
        return Broadcast.of(view, pd);
    }

    /** {@code param} broadcast against x of shape {@code dims} (torch rules, right-aligned). */
    static ParamLayout broadcast(long[] dims, long[] param) {
        return Broadcast.of(dims, param);
    }

    /** The strides of {@code param} broadcast against {@code dims}, right-aligned as torch does. */
    private static long[] broadcastStrides(long[] dims, long[] param, String what) {
        long[] own = Shape.of(param).contiguousStrides();
        long[] out = new long[dims.length];
        for (int i = 0; i < param.length - dims.length; i++) {
            if (param[i] != 1) throw mismatch(dims, param, what);
        }
        for (int i = 1; i <= dims.length; i++) {
            int pi = param.length - i;
            if (pi < 0) break;
            long pd = param[pi], xd = dims[dims.length - i];
            if (pd == xd && pd != 1) out[dims.length - i] = own[pi];
            else if (pd != 1) throw mismatch(dims, param, what);
        }
        return out;
    }

    private static IllegalArgumentException mismatch(long[] dims, long[] param, String what) {
        return new IllegalArgumentException("scale/zero point of shape " + Arrays.toString(param) + " does not broadcast against "
                + what + " of shape " + Arrays.toString(dims));
    }

    /** A parameter broadcast against {@code dims} (a row-major view of x) with element strides {@code paramStrides}. */
    record Broadcast(long[] dims, long[] paramStrides) implements ParamLayout {
        static Broadcast of(long[] dims, long[] param) {
            return new Broadcast(dims, broadcastStrides(dims, param, "the value"));
        }

        @Override
        public void forEachRun(RunVisitor visitor) {
            int k = dims.length;
            long total = Shape.of(dims).elementCount();
            if (total == 0) return;
            if (k == 0) {
                visitor.run(0, 1, 0);
                return;
            }
            int last = (int) dims[k - 1];
            long lastStride = paramStrides[k - 1];
            long outer = total / last;
            long[] index = new long[k - 1];
            long base = 0;
            for (long o = 0; o < outer; o++) {
                int start = (int) (o * last);
                if (lastStride == 0) {
                    visitor.run(start, last, (int) base);
                } else {
                    for (int j = 0; j < last; j++) visitor.run(start + j, 1, (int) (base + j * lastStride));
                }
                for (int a = k - 2; a >= 0; a--) {
                    base += paramStrides[a];
                    if (++index[a] < dims[a]) break;
                    base -= paramStrides[a] * dims[a];
                    index[a] = 0;
                }
            }
        }
    }

    /** 2-D x of {@code rows × cols}; parameter (r / blockRows, c / blockCols), row-major over blocks. */
    record Block(long rows, long cols, int blockRows, int blockCols) implements ParamLayout {
        static Block of(QuantizationArgs args, Shape x, Shape param) {
            if (x.rank() != 2) throw new IllegalArgumentException("block quantization needs a 2-D tensor, found shape " + x);
            int bh = args.blockRows(), bw = args.blockCols();
            long expectedRows = Math.ceilDiv(x.dim(0), bh), expectedCols = Math.ceilDiv(x.dim(1), bw);
            if (param.rank() != 2 || param.dim(0) != expectedRows || param.dim(1) != expectedCols)
                throw new IllegalArgumentException("block " + bh + "x" + bw + " quantization of shape " + x + " needs a scale of shape ["
                        + expectedRows + ", " + expectedCols + "], found " + param);
            return new Block(x.dim(0), x.dim(1), bh, bw);
        }

        @Override
        public void forEachRun(RunVisitor visitor) {
            long blocksPerRow = Math.ceilDiv(cols, blockCols);
            for (long r = 0; r < rows; r++) {
                long paramRow = (r / blockRows) * blocksPerRow;
                for (long b = 0; b < blocksPerRow; b++) {
                    long c0 = b * blockCols;
                    visitor.run((int) (r * cols + c0), (int) Math.min(blockCols, cols - c0), (int) (paramRow + b));
                }
            }
        }
    }

    /** Columns assigned to groups by {@code gIdx}; the parameter is (leading dims..., groups). */
    record GroupIndex(long outer, long columns, long[] leadDims, long[] leadStrides, int[] gIdx, long groups) implements ParamLayout {
        static GroupIndex of(Shape x, long[] param, int[] gIdx) {
            long[] xd = x.toArray();
            long columns = xd[xd.length - 1];
            if (gIdx.length != columns)
                throw new IllegalArgumentException("g_idx has " + gIdx.length + " entries for " + columns + " columns");
            long groups = param[param.length - 1];
            for (int g : gIdx) {
                if (g < 0 || g >= groups) throw new IllegalArgumentException("g_idx entry " + g + " outside the " + groups + " groups of the scale");
            }
            long[] lead = Arrays.copyOf(xd, xd.length - 1);
            long[] paramLead = Arrays.copyOf(param, param.length - 1);
            long[] strides = broadcastStrides(lead, paramLead, "the leading dims of the value");
            for (int i = 0; i < strides.length; i++) strides[i] *= groups;
            return new GroupIndex(Shape.of(lead).elementCount(), columns, lead, strides, gIdx, groups);
        }

        @Override
        public void forEachRun(RunVisitor visitor) {
            long[] index = new long[leadDims.length];
            long base = 0;
            for (long o = 0; o < outer; o++) {
                int rowStart = (int) (o * columns);
                int c = 0;
                while (c < columns) {
                    int g = gIdx[c];
                    int end = c + 1;
                    while (end < columns && gIdx[end] == g) end++;
                    visitor.run(rowStart + c, end - c, (int) (base + g));
                    c = end;
                }
                for (int a = leadDims.length - 1; a >= 0; a--) {
                    base += leadStrides[a];
                    if (++index[a] < leadDims[a]) break;
                    base -= leadStrides[a] * leadDims[a];
                    index[a] = 0;
                }
            }
        }
    }
}
