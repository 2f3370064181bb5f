package io.llmc4j.compress.pipelines;

import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.tensor.Tensor;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Runs every batch through the whole model once, hooks on, between the calibration start and end
 * events (LLM Compressor's {@code BasicPipeline}). Needs the whole model's activations for one
 * batch at a time; the sequential pipeline is the memory-bounded alternative.
 */
public final class BasicPipeline implements CalibrationPipeline {
    private final ProgressSink progress;

    public BasicPipeline(ProgressSink progress) {
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    @Override
    public void run(Module model, List<String> argumentNames, List<? extends Map<String, Tensor>> batches, CalibrationCallbacks callbacks) {
        callbacks.calibrationEpochStart();
        long start = System.nanoTime();
        for (int b = 0; b < batches.size(); b++) {
            try {
                model.call(ModelInputs.arguments(batches.get(b), argumentNames));
            } catch (RuntimeException e) {
                throw new PipelineException("calibrating " + model.typeName() + " failed on batch " + b + " of " + batches.size() + ": " + e.getMessage(), e);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.line(String.format(Locale.ROOT, "Calibrating: %d batches in %.2f s (%.2f batches/s)", batches.size(), seconds,
                batches.size() / Math.max(seconds, 1e-9)));
        callbacks.calibrationEpochEnd();
    }
}
