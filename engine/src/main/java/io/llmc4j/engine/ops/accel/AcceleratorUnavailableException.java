package io.llmc4j.engine.ops.accel;

/** A device backend cannot be opened here: no driver library, no device, or the driver refused a context. */
public class AcceleratorUnavailableException extends Exception {
    public AcceleratorUnavailableException(String message) {
        super(message);
    }

    public AcceleratorUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
