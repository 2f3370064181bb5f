package io.llmc4j.gpu.cuda;

/** A CUDA driver call returned an error; the message names the call and the CUresult. */
public final class CudaException extends RuntimeException {
    private final int result;

    public CudaException(String call, int result, String name, String detail) {
        super(call + " failed: " + name + " (" + result + ")" + (detail.isEmpty() ? "" : "\n" + detail));
        this.result = result;
    }

    /** The CUresult code. */
    public int result() {
        return result;
    }
}
