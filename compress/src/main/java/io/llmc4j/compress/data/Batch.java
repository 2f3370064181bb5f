package io.llmc4j.compress.data;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * One batch of model inputs, right-padded.
 *
 * <pre>
 *   input_ids      [B, T] I64   sequence b in row b, then padTokenId up to T = the longest length
 *   attention_mask [B, T] I64   1 for real tokens (or the record's own mask), 0 for padding;
 *                               null when no position is masked (all lengths equal, no 0 in any mask)
 * </pre>
 * The tensors are heap-backed and owned by the batch's holder (GC). Immutable in use: nothing here
 * writes to them after construction.
 */
public record Batch(Tensor inputIds, Tensor attentionMask) {
    public Batch {
        if (inputIds.dtype() != DType.I64 || inputIds.rank() != 2)
            throw new IllegalArgumentException("input_ids must be I64 [batch, tokens], was " + inputIds.dtype() + inputIds.shape());
        if (attentionMask != null && (attentionMask.dtype() != DType.I64 || !attentionMask.shape().equals(inputIds.shape())))
            throw new IllegalArgumentException("attention_mask must be I64 " + inputIds.shape() + " like input_ids, was "
                    + attentionMask.dtype() + attentionMask.shape());
    }

    /** Right-pads {@code sequences} into one batch. */
    public static Batch of(List<TokenSequence> sequences, long padTokenId) {
        if (sequences.isEmpty())
            throw new IllegalArgumentException("a batch needs at least one sequence");
        int rows = sequences.size();
        int columns = sequences.stream().mapToInt(TokenSequence::length).max().orElseThrow();
        long elements = Math.multiplyExact((long) rows, columns);
        if (elements > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("batch of " + rows + " x " + columns + " tokens is too large");
        long[] ids = new long[(int) elements];
        long[] mask = new long[(int) elements];
        boolean masked = false;
        for (int r = 0; r < rows; r++) {
            TokenSequence s = sequences.get(r);
            masked |= s.length() < columns || s.hasMaskedPositions();
            for (int c = 0; c < columns; c++) {
                int at = r * columns + c;
                ids[at] = c < s.length() ? s.tokenAt(c) : padTokenId;
                mask[at] = c < s.length() ? s.maskAt(c) : 0;
            }
        }
        return new Batch(Tensor.ofLongs(ids, rows, columns), masked ? Tensor.ofLongs(mask, rows, columns) : null);
    }

    public int batchSize() {
        return (int) inputIds.dim(0);
    }

    public int sequenceLength() {
        return (int) inputIds.dim(1);
    }

    /** {@code {"input_ids": ..., "attention_mask": ...}} in that order; the mask is left out when null. */
    public LinkedHashMap<String, Tensor> asModelInputs() {
        LinkedHashMap<String, Tensor> inputs = new LinkedHashMap<>();
        inputs.put("input_ids", inputIds);
        if (attentionMask != null)
            inputs.put("attention_mask", attentionMask);
        return inputs;
    }
}
