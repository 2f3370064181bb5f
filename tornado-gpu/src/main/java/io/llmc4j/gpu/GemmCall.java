package io.llmc4j.gpu;

/**
 * One strided product {@code C = alpha·A·B + beta·C + bias} as the device kernels see it: element
 * {@code (m, k)} of A is {@code a[aOffset + m·aRowStride + k·aColStride]}, element {@code (k, n)} of
 * B is {@code b[bOffset + k·bRowStride + n·bColStride]}, C is contiguous {@code [m, n]} from
 * {@code cOffset}; offsets and strides count elements. {@code beta == 0} never reads C (so C may
 * hold garbage); bias is {@code [n]} or null. B is BF16 (raw 16-bit words) when {@code bBf16}, else
 * F32; A, C and bias are F32. Matmul, Linear ({@code x·Wᵀ}: B = Wᵀ as strides) and the Gram update
 * (A = Xᵀ as strides, B = X) are all this one call.
 */
public record GemmCall(int m, int n, int k,
                       DeviceBuffer a, long aOffset, int aRowStride, int aColStride,
                       DeviceBuffer b, long bOffset, int bRowStride, int bColStride, boolean bBf16,
                       DeviceBuffer c, long cOffset, DeviceBuffer bias, float alpha, float beta) {
    public GemmCall {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("gemm: negative size " + m + "x" + n + "x" + k);
    }

    /** Floating-point operations of the product (2·m·n·k). */
    public double flops() {
        return 2.0 * m * n * k;
    }
}
