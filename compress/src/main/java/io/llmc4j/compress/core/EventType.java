package io.llmc4j.compress.core;

/**
 * The kinds of lifecycle events a session sends to its modifiers (LLM Compressor's
 * {@code llmcompressor.core.events.EventType}).
 *
 * <p>{@link #INITIALIZE} and {@link #FINALIZE} are not sent through
 * {@link CompressionLifecycle#event}: they are the lifecycle's own {@code initialize} and
 * {@code finalizeModifiers} calls. The batch events must follow {@link EventOrder}; the calibration
 * events ({@link #CALIBRATION_EPOCH_START}, {@link #SEQUENTIAL_EPOCH_END},
 * {@link #CALIBRATION_EPOCH_END}) come from the pipelines and are not order-checked.
 */
public enum EventType {
    INITIALIZE,
    FINALIZE,
    BATCH_START,
    LOSS_CALCULATED,
    BATCH_END,
    /** Before calibration data starts flowing through the model for one epoch. */
    CALIBRATION_EPOCH_START,
    /** After one subgraph (e.g. one decoder layer) saw every calibration batch; carries the subgraph. */
    SEQUENTIAL_EPOCH_END,
    /** After the whole model saw every calibration batch. */
    CALIBRATION_EPOCH_END,
    OPTIM_PRE_STEP,
    OPTIM_POST_STEP;

    /** The reference's lower-case value, e.g. {@code "sequential_epoch_end"}. */
    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
