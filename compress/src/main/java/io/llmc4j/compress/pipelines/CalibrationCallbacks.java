package io.llmc4j.compress.pipelines;

import io.llmc4j.compress.pipelines.sequential.Subgraph;

/**
 * What a calibration pipeline tells the compression session (LLM Compressor's
 * {@code LifecycleCallbacks}): calibration starts, one subgraph's calibration pass is over (the
 * modifiers compress its modules now, before its outputs are propagated), calibration ends.
 * Called on the pipeline's thread, in that order.
 */
public interface CalibrationCallbacks {
    /** Before the first batch runs (LLM Compressor's {@code CALIBRATION_EPOCH_START}). */
    void calibrationEpochStart();

    /**
     * After every batch ran through {@code subgraph} with hooks on and before it runs again with
     * hooks off to propagate (LLM Compressor's {@code SEQUENTIAL_EPOCH_END}).
     */
    void sequentialEpochEnd(Subgraph subgraph);

    /** After the last batch (LLM Compressor's {@code CALIBRATION_EPOCH_END}). */
    void calibrationEpochEnd();

    /**
     * Whether calibration hooks change the outputs they see (e.g. a static output activation
     * quantized in its observer hook, as compressed-tensors does): then a pass-1 output is not what
     * the model computes with hooks off, and the sequential pipeline always runs its propagation
     * pass. Asked after each subgraph's epoch end; false by default.
     */
    default boolean hooksAlterOutputs() {
        return false;
    }

    /** Callbacks that do nothing. */
    static CalibrationCallbacks none() {
        return new CalibrationCallbacks() {
            @Override
            public void calibrationEpochStart() {
            }

            @Override
            public void sequentialEpochEnd(Subgraph subgraph) {
            }

            @Override
            public void calibrationEpochEnd() {
            }
        };
    }
}
