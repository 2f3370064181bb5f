package io.llmc4j.gpu.opencl;

/** An OpenCL call returned an error status; the message names the call and the status. */
public final class ClException extends RuntimeException {
    private final int status;

    public ClException(String call, int status) {
        this(call, status, "");
    }

    public ClException(String call, int status, String detail) {
        super(call + " failed: " + ClStatus.name(status) + " (" + status + ")" + (detail.isEmpty() ? "" : "\n" + detail));
        this.status = status;
    }

    /** The OpenCL status code ({@code CL_*}, negative). */
    public int status() {
        return status;
    }
}
