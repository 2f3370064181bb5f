package io.llmc4j.compress.core;

import io.llmc4j.engine.tensor.Tensor;
import java.util.Map;

/**
 * What an event carries besides its {@link Event} position (the reference's {@code **kwargs} of
 * {@code event(...)}): the current batch for {@link EventType#BATCH_START}, the loss for
 * {@link EventType#LOSS_CALCULATED}, the subgraph for {@link EventType#SEQUENTIAL_EPOCH_END}, and
 * optionally a new global step for the lifecycle. Any field may be null.
 *
 * @param batchData  the batch's named inputs (e.g. "input_ids"), or null
 * @param loss       the loss tensor, or null
 * @param subgraph   the calibrated subgraph, or null
 * @param globalStep the lifecycle's new global step, or null to keep the current one
 */
public record EventArgs(Map<String, Tensor> batchData, Tensor loss, SubgraphInfo subgraph, Long globalStep) {

    private static final EventArgs NONE = new EventArgs(null, null, null, null);

    public EventArgs {
        if (batchData != null) batchData = Map.copyOf(batchData);
    }

    public static EventArgs none() {
        return NONE;
    }

    public static EventArgs batch(Map<String, Tensor> batchData) {
        return new EventArgs(batchData, null, null, null);
    }

    public static EventArgs loss(Tensor loss) {
        return new EventArgs(null, loss, null, null);
    }

    public static EventArgs subgraph(SubgraphInfo subgraph) {
        return new EventArgs(null, null, subgraph, null);
    }

    public EventArgs withGlobalStep(long step) {
        return new EventArgs(batchData, loss, subgraph, step);
    }
}
