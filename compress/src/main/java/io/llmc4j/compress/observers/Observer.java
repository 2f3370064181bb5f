package io.llmc4j.compress.observers;

import io.llmc4j.compress.quantization.QParams;
import io.llmc4j.engine.tensor.Tensor;
import java.util.List;

/**
 * Records the range of the values a quantized tensor takes during calibration and turns it into
 * quantization parameters (llm-compressor {@code Observer}).
 *
 * <p>Usage: {@link #observe} once per batch (or once for a weight), then {@link #qparams()}, which
 * <em>consumes</em> the statistics as the library's {@code get_qparams} does; {@link #copy()} first to
 * keep them. Empty tensors are ignored (MoE experts that saw no tokens). Not thread-safe.
 */
public interface Observer {
    /** The registry name ({@code minmax}, {@code static_minmax}, ...). */
    String name();

    /** Updates the statistics from {@code value}; the dtype (F32/BF16/F16) must stay the same across calls. */
    void observe(Tensor value);

    boolean hasStatistics();

    /** The current minima, shaped like the qparams (dtype of the observed values). */
    Tensor minVals();

    /** The current maxima. */
    Tensor maxVals();

    /** Largest magnitude of the statistics, {@code max(−min(min_vals), max(max_vals))}, in their dtype. */
    float absMax();

    /**
     * Scale, zero point and (tensor_group) global scale from the statistics, which are then deleted.
     *
     * @throws IllegalStateException when nothing has been observed
     */
    default QParams qparams() {
        return qparams(List.of());
    }

    /**
     * As {@link #qparams()}, with the global scale taken over this observer and {@code fused} ones (the
     * q/k/v or gate/up projections vLLM fuses must share one NVFP4 global scale); the fused observers'
     * statistics are read, not consumed.
     */
    QParams qparams(List<Observer> fused);

    /** An independent copy holding the same statistics ({@code copy.deepcopy}). */
    Observer copy();
}
