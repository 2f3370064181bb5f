package io.llmc4j.compress.core;

import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Everything a session's modifiers share (the reference's {@code core.state.State}): the model
 * being compressed, the data splits, the device name, metric loggers, the first and last events
 * the lifecycle sent, and the current batch and loss.
 *
 * <p>Owned by one {@link CompressionLifecycle}; mutable and not thread-safe (a session runs on
 * one thread). The model is shared, not copied.
 */
public final class State {
    private Module model;
    private DataSplits data = DataSplits.NONE;
    private String device;
    private List<MetricsLogger> loggers = List.of();
    private Event startEvent;
    private Event lastEvent;
    private Map<String, Tensor> batchData;
    private Tensor loss;

    /** Applies the non-null fields of {@code update}. */
    public void update(StateUpdate update) {
        if (update.model() != null) model = update.model();
        data = data.overlay(update.data());
        if (update.device() != null) device = update.device();
        if (update.loggers() != null) loggers = update.loggers();
    }

    /** The model being compressed, or null before one is set. */
    public Module model() {
        return model;
    }

    public DataSplits data() {
        return data;
    }

    /** The device name ("cpu", "cuda", ...), or null when not set. */
    public String device() {
        return device;
    }

    public List<MetricsLogger> loggers() {
        return loggers;
    }

    /** The first event the lifecycle sent, or null before any. */
    public Event startEvent() {
        return startEvent;
    }

    /** The most recent event the lifecycle sent, or null before any. */
    public Event lastEvent() {
        return lastEvent;
    }

    /** The batch of the latest {@link EventType#BATCH_START} that carried one, or null. */
    public Map<String, Tensor> batchData() {
        return batchData;
    }

    /** The loss of the latest {@link EventType#LOSS_CALCULATED}, or null. */
    public Tensor loss() {
        return loss;
    }

    void recordEvent(Event event, EventArgs args) {
        if (startEvent == null) startEvent = event;
        lastEvent = event;
        if (args.batchData() != null) batchData = args.batchData();
        if (args.loss() != null) loss = args.loss();
    }
}
