package io.llmc4j.gpu.cuda;

import io.llmc4j.engine.ops.accel.Accelerator;
import io.llmc4j.engine.ops.accel.AcceleratorProvider;
import io.llmc4j.engine.ops.accel.AcceleratorUnavailableException;
import io.llmc4j.gpu.DeviceAccelerator;
import java.util.Optional;

/** {@code --device cuda}: CUDA device 0 (or {@code LLMC_CUDA_DEVICE=N}) through the driver API. */
public final class CudaProvider implements AcceleratorProvider {
    @Override
    public String device() {
        return "cuda";
    }

    @Override
    public Accelerator open(boolean gpuOnly) throws AcceleratorUnavailableException {
        return DeviceAccelerator.of(backend());
    }

    /** A backend on the configured device, or why there is none. */
    public static CudaBackend backend() throws AcceleratorUnavailableException {
        Optional<String> missing = CudaDriver.unavailableReason();
        if (missing.isPresent()) throw new AcceleratorUnavailableException(missing.get());
        String env = System.getenv("LLMC_CUDA_DEVICE");
        int ordinal;
        try {
            ordinal = env == null || env.isBlank() ? 0 : Integer.parseInt(env.strip());
        } catch (NumberFormatException e) {
            throw new AcceleratorUnavailableException("LLMC_CUDA_DEVICE='" + env + "' is not a device number");
        }
        try {
            int count = CudaContext.deviceCount();
            if (ordinal < 0 || ordinal >= count) throw new AcceleratorUnavailableException("CUDA device " + ordinal + " requested, the driver sees " + count);
            return new CudaBackend(ordinal);
        } catch (CudaException e) {
            throw new AcceleratorUnavailableException("CUDA device " + ordinal + ": " + e.getMessage(), e);
        }
    }
}
