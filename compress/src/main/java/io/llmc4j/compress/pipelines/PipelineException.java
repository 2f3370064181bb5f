package io.llmc4j.compress.pipelines;

/** A calibration pipeline failed; the message names the subgraph and batch where it did. */
public final class PipelineException extends RuntimeException {
    public PipelineException(String message, Throwable cause) {
        super(message, cause);
    }
}
