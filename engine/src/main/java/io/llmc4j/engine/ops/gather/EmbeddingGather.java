package io.llmc4j.engine.ops.gather;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.convert.DTypeConversions;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * Embedding lookup: the rows of {@code table [vocab, hidden]} at integer {@code ids [...]}, widened
 * to F32; returns {@code [..., hidden]}, a new contiguous heap tensor. Table rows in F32/BF16/F16/FP8
 * are converted straight from the table (a mapped checkpoint stays untouched and is never copied
 * whole); other dtypes or non-contiguous rows go element by element. Ids outside
 * {@code [0, vocab)} raise an error naming the id. Thread-safe.
 */
public final class EmbeddingGather {
    private static final int TOKENS_PER_TASK = 64;

    private EmbeddingGather() {
    }

    public static Tensor apply(Tensor ids, Tensor table, Parallel parallel) {
        if (table.rank() != 2) throw new IllegalArgumentException("embedding: table must be [vocab, hidden], got " + table.shape());
        long vocab = table.dim(0), hidden = table.dim(1);
        long[] idValues = ids.toLongArray();
        for (long id : idValues)
            if (id < 0 || id >= vocab) throw new IndexOutOfBoundsException("embedding: token id " + id + " outside vocabulary of " + vocab);
        long[] outDims = new long[ids.rank() + 1];
        System.arraycopy(ids.shape().toArray(), 0, outDims, 0, ids.rank());
        outDims[ids.rank()] = hidden;
        Tensor out = Tensor.allocate(DType.F32, outDims);
        if (idValues.length == 0 || hidden == 0) return out;
        boolean bulk = DTypeConversions.isConvertibleFloat(table.dtype()) && (table.stride(1) == 1 || hidden == 1);
        MemorySegment from = table.segment(), to = out.segment();
        int width = table.dtype().byteSize();
        parallel.forEach(Parallel.chunkCount(idValues.length, TOKENS_PER_TASK), task -> {
            int first = task * TOKENS_PER_TASK, last = Math.min(idValues.length, first + TOKENS_PER_TASK);
            for (int t = first; t < last; t++) {
                long id = idValues[t];
                if (bulk) {
                    long rowAt = table.byteOffset() + id * table.stride(0) * width;
                    DTypeConversions.toF32(table.dtype(), from, rowAt, to, (long) t * hidden * 4, hidden);
                } else {
                    for (long h = 0; h < hidden; h++) out.setFlat(t * hidden + h, table.getDouble(id, h));
                }
            }
        });
        return out;
    }
}
