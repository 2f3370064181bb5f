package io.llmc4j.compress.quantization.gptq;

import io.llmc4j.compress.quantization.QParams;
import io.llmc4j.compress.quantization.QdqKernel;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationStrategy;
import io.llmc4j.compress.quantization.TensorValues;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;

/**
 * Fake-quantizes one element of column {@code c} of an F32 weight with fixed qparams, as GPTQ's
 * column loop does (the quantization core's {@link QdqKernel}, one element at a time): the element's
 * parameter is its row's (channel), the tensor's (tensor), its row's group {@code gIdx[c]}
 * (group / tensor_group, applied channel-wise as the library does) or its (row block, block column
 * {@code gIdx[c]}) (block). Immutable, thread-safe.
 */
final class ColumnQuantizer {
    private final QdqKernel kernel;
    private final QuantizationStrategy strategy;
    private final int[] gIdx;
    private final int paramColumns;
    private final int blockRows;

    /**
     * @param gIdx for group, tensor_group and block strategies: the group (block column) of each
     *             column of the (possibly permuted) weight; ignored otherwise
     */
    ColumnQuantizer(QuantizationArgs args, QParams qparams, int[] gIdx) {
        this.strategy = args.strategy();
        Tensor scale = qparams.scale();
        float[] zero = qparams.zeroPoint() == null ? null : TensorValues.read(qparams.zeroPoint());
        float[] global = qparams.globalScale() == null ? null : TensorValues.read(qparams.globalScale());
        DType globalType = qparams.globalScale() == null ? DType.F32 : qparams.globalScale().dtype();
        this.kernel = new QdqKernel(args, DType.F32, scale.dtype(), TensorValues.read(scale), zero, global, globalType);
        this.gIdx = gIdx;
        this.paramColumns = scale.rank() == 2 ? Math.toIntExact(scale.dim(1)) : 1;
        this.blockRows = strategy == QuantizationStrategy.BLOCK ? args.blockRows() : 1;
        switch (strategy) {
            case TENSOR, CHANNEL, GROUP, TENSOR_GROUP, BLOCK -> {
            }
            default -> throw new IllegalArgumentException("GPTQ cannot quantize weights with strategy " + strategy.value());
        }
    }

    /** The fake-quantized value of {@code w}, element (row, column) of the weight. */
    float quantize(float w, int row, int column) {
        int param = switch (strategy) {
            case TENSOR -> 0;
            case CHANNEL -> row;
            case GROUP, TENSOR_GROUP -> row * paramColumns + gIdx[column];
            case BLOCK -> (row / blockRows) * paramColumns + gIdx[column];
            default -> throw new IllegalStateException(strategy.value());
        };
        return kernel.fakeQuantize(w, param);
    }
}
