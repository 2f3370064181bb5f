package io.llmc4j.compress.core;

import io.llmc4j.engine.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The data sets of a session (the reference's {@code core.state.Data}): each split is a list of
 * batches, a batch being named input tensors ("input_ids", "attention_mask", ...). Any split may
 * be null (absent). The lists are copied; the tensors are shared, not copied.
 */
public record DataSplits(List<Map<String, Tensor>> train, List<Map<String, Tensor>> val,
                         List<Map<String, Tensor>> test, List<Map<String, Tensor>> calib) {

    public static final DataSplits NONE = new DataSplits(null, null, null, null);

    public DataSplits {
        train = copy(train);
        val = copy(val);
        test = copy(test);
        calib = copy(calib);
    }

    /** This, with every split that {@code update} sets replaced. */
    DataSplits overlay(DataSplits update) {
        return new DataSplits(update.train != null ? update.train : train, update.val != null ? update.val : val,
                update.test != null ? update.test : test, update.calib != null ? update.calib : calib);
    }

    private static List<Map<String, Tensor>> copy(List<Map<String, Tensor>> batches) {
        if (batches == null) return null;
        return batches.stream().map(Map::copyOf).toList();
    }
}
