package io.llmc4j.engine.ops.convert;

import io.llmc4j.engine.tensor.Tensor;

/**
 * Dequantization of block-quantized FP8 weights as DeepSeek-V3 and Kimi ship them: weight
 * [rows, cols] in F8_E4M3 and {@code weight_scale_inv} [⌈rows/blockRows⌉, ⌈cols/blockCols⌉]
 * (float), with w[i][j] = fp8[i][j] · scale_inv[i / blockRows][j / blockCols] (the name says
 * "inverse": it is the factor that undoes the quantization's division). Result: a new F32 heap
 * tensor (exact: an E4M3 value times a float scale is rounded once). Stateless.
 */
public final class BlockDequantization {
    private BlockDequantization() {
    }

    /** @param name the weight's name, for messages */
    public static Tensor dequantize(String name, Tensor weight, Tensor scaleInverse, int blockRows, int blockCols) {
        if (weight.rank() != 2) throw new IllegalArgumentException("FP8 weight '" + name + "' must be [rows, cols], got " + weight.shape());
        long rows = weight.dim(0), cols = weight.dim(1);
        long scaleRows = (rows + blockRows - 1) / blockRows, scaleCols = (cols + blockCols - 1) / blockCols;
        if (scaleInverse.rank() != 2 || scaleInverse.dim(0) != scaleRows || scaleInverse.dim(1) != scaleCols)
            throw new IllegalArgumentException("'" + name + "_scale_inv' is " + scaleInverse.shape() + "; blocks of " + blockRows + "×" + blockCols
                    + " over " + weight.shape() + " need [" + scaleRows + ", " + scaleCols + "]");
        float[] values = TensorConversion.toFloatArray(weight), scales = TensorConversion.toFloatArray(scaleInverse);
        int width = Math.toIntExact(cols);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < width; j++) values[i * width + j] *= scales[(int) ((i / blockRows) * scaleCols + j / blockCols)];
        return Tensor.of(values, rows, cols);
    }
}
