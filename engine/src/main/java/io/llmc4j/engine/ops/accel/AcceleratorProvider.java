package io.llmc4j.engine.ops.accel;

/**
 * A device backend that {@link Accelerators} finds through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.llmc4j.engine.ops.accel.AcceleratorProvider}), so that the engine
 * never depends on a device module: a module on the class path registers its provider and the
 * {@code --device} choice of the same name becomes available.
 */
public interface AcceleratorProvider {
    /** The {@code --device} name this provider answers to, e.g. {@code "opencl"} or {@code "cuda"}. */
    String device();

    /**
     * Opens the backend on its preferred device. {@code gpuOnly} is set for {@code --device auto}:
     * the provider must then refuse devices that are not GPUs (a CPU OpenCL device would be slower
     * than the Vector API path).
     *
     * @throws AcceleratorUnavailableException when the driver library, a device or a context is
     *         missing; its message says which and why
     */
    Accelerator open(boolean gpuOnly) throws AcceleratorUnavailableException;
}
