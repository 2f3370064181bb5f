package io.llmc4j.compress.pipelines;

import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Runs calibration data through a model so that the session's hooks see it, and tells the session
 * when to compress (LLM Compressor's {@code CalibrationPipeline}): {@link BasicPipeline},
 * {@link io.llmc4j.compress.pipelines.sequential.SequentialPipeline}, {@link DataFreePipeline}.
 */
public interface CalibrationPipeline {
    /**
     * @param model         the root module; {@code model.call} takes {@code argumentNames} in order
     * @param argumentNames the names of the root forward's arguments, e.g. {@code input_ids, attention_mask};
     *                      a name absent from a batch (or mapped to null) is passed as null
     * @param batches       calibration batches by argument name; not modified
     * @param callbacks     the session's calibration events
     */
    void run(Module model, List<String> argumentNames, List<? extends Map<String, Tensor>> batches, CalibrationCallbacks callbacks);
}
