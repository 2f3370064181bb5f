package io.llmc4j.compress.pipelines;

import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * No data: only the calibration start and end events, so that weight-only modifiers compress at
 * the end (LLM Compressor's {@code DataFreePipeline}). Batches, if any, are ignored.
 */
public final class DataFreePipeline implements CalibrationPipeline {
    @Override
    public void run(Module model, List<String> argumentNames, List<? extends Map<String, Tensor>> batches, CalibrationCallbacks callbacks) {
        callbacks.calibrationEpochStart();
        callbacks.calibrationEpochEnd();
    }
}
