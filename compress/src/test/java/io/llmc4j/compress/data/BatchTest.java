package io.llmc4j.compress.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import io.llmc4j.engine.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Right padding, masks, and model-input maps. */
class BatchTest {
    private static TokenSequence seq(int... ids) {
        return new TokenSequence(ids, null, "test");
    }

    @Test
    void rightPadsWithThePadIdAndMasksPadding() {
        Batch b = Batch.of(List.of(seq(1, 5, 7), seq(1, 9), seq(4)), 2);
        assertEquals(Shape.of(3, 3), b.inputIds().shape());
        assertEquals(DType.I64, b.inputIds().dtype());
        assertArrayEquals(new long[] {1, 5, 7, 1, 9, 2, 4, 2, 2}, b.inputIds().toLongArray());
        assertArrayEquals(new long[] {1, 1, 1, 1, 1, 0, 1, 0, 0}, b.attentionMask().toLongArray());
        assertEquals(List.of("input_ids", "attention_mask"), List.copyOf(b.asModelInputs().keySet()));
    }

    @Test
    void noMaskWhenNothingIsMasked() {
        Batch b = Batch.of(List.of(seq(1, 2), seq(3, 4)), 0);
        assertNull(b.attentionMask());
        assertEquals(List.of("input_ids"), List.copyOf(b.asModelInputs().keySet()));
        // an explicit mask with zeros is kept even without padding
        Batch masked = Batch.of(List.of(new TokenSequence(new int[] {1, 2}, new int[] {0, 1}, "t"), seq(3, 4)), 0);
        assertArrayEquals(new long[] {0, 1, 1, 1}, masked.attentionMask().toLongArray());
    }

    @Test
    void datasetBatchesMatchANaivePaddingOfEverySequence() {
        for (int size : new int[] {1, 3, 7, 31, 33, 257}) {
            long seed = 1000 + size;
            Random random = new Random(seed);
            List<TokenSequence> seqs = random.ints(size, 1, 20).mapToObj(len -> seq(random.ints(len, 0, 500).toArray())).toList();
            int batchSize = 1 + random.nextInt(8);
            List<Batch> batches = new CalibrationDataset(seqs).batches(batchSize, 511);
            assertEquals((size + batchSize - 1) / batchSize, batches.size(), "seed " + seed);
            int row = 0;
            for (Batch b : batches) {
                long[] ids = b.inputIds().toLongArray();
                int columns = b.sequenceLength();
                for (int r = 0; r < b.batchSize(); r++, row++) {
                    TokenSequence s = seqs.get(row);
                    for (int c = 0; c < columns; c++) {
                        long expected = c < s.length() ? s.tokenAt(c) : 511;
                        assertEquals(expected, ids[r * columns + c], "seed " + seed + ", row " + row + ", column " + c);
                        if (b.attentionMask() != null)
                            assertEquals(c < s.length() ? 1 : 0, b.attentionMask().toLongArray()[r * columns + c], "seed " + seed);
                    }
                }
            }
            assertEquals(size, row);
        }
    }

    @Test
    void rejectsMalformedTensors() {
        Tensor ids = Tensor.ofLongs(new long[] {1, 2}, 1, 2);
        assertThrows(IllegalArgumentException.class, () -> new Batch(Tensor.of(1f, 2f), null));
        assertThrows(IllegalArgumentException.class, () -> new Batch(ids, Tensor.ofLongs(new long[] {1, 1}, 2, 1)));
        assertThrows(IllegalArgumentException.class, () -> Batch.of(List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenSequence(new int[] {1, 2}, new int[] {1}, "t"));
    }
}
