package io.llmc4j.gpu.opencl;

import io.llmc4j.engine.ops.accel.Accelerator;
import io.llmc4j.engine.ops.accel.AcceleratorProvider;
import io.llmc4j.engine.ops.accel.AcceleratorUnavailableException;
import io.llmc4j.gpu.DeviceAccelerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code --device opencl}: the first GPU of any platform, else (unless {@code gpuOnly}) the first
 * device of any type, e.g. PoCL's CPU device. {@code LLMC_OPENCL_DEVICE=SUBSTRING} picks the first
 * device whose name contains it.
 */
public final class OpenClProvider implements AcceleratorProvider {
    @Override
    public String device() {
        return "opencl";
    }

    @Override
    public Accelerator open(boolean gpuOnly) throws AcceleratorUnavailableException {
        ClDevice device = choose(gpuOnly, System.getenv("LLMC_OPENCL_DEVICE"));
        try {
            return DeviceAccelerator.of(new OpenClBackend(device));
        } catch (ClException e) {
            throw new AcceleratorUnavailableException("OpenCL device " + device + ": " + e.getMessage(), e);
        }
    }

    /** The device {@link #open} would use. */
    public static ClDevice choose(boolean gpuOnly, String nameFilter) throws AcceleratorUnavailableException {
        Optional<String> missing = OpenCl.unavailableReason();
        if (missing.isPresent()) throw new AcceleratorUnavailableException(missing.get());
        List<ClDevice> all = new ArrayList<>();
        try {
            for (ClPlatform platform : ClPlatform.all()) all.addAll(platform.devices(OpenCl.CL_DEVICE_TYPE_ALL));
        } catch (ClException e) {
            throw new AcceleratorUnavailableException("OpenCL device discovery: " + e.getMessage(), e);
        }
        if (all.isEmpty()) throw new AcceleratorUnavailableException("no OpenCL platform or device is installed (ICD files in /etc/OpenCL/vendors)");
        List<ClDevice> named = nameFilter == null || nameFilter.isBlank() ? all
                : all.stream().filter(d -> d.name().contains(nameFilter)).toList();
        if (named.isEmpty()) throw new AcceleratorUnavailableException("no OpenCL device name contains LLMC_OPENCL_DEVICE='" + nameFilter + "' among " + all);
        Optional<ClDevice> gpu = named.stream().filter(ClDevice::isGpu).findFirst();
        if (gpu.isPresent()) return gpu.get();
        if (gpuOnly) throw new AcceleratorUnavailableException("no OpenCL GPU (devices: " + all + ")");
        return named.getFirst();
    }
}
