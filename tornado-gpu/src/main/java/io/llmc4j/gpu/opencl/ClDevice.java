package io.llmc4j.gpu.opencl;

import java.lang.foreign.MemorySegment;

/**
 * An OpenCL root device. Root devices are not reference-counted (clReleaseDevice is a no-op for
 * them), so this is a value, not a resource.
 */
public record ClDevice(ClPlatform platform, MemorySegment handle, String name, long type, long memoryBytes) {

    static ClDevice of(ClPlatform platform, MemorySegment handle) {
        OpenCl cl = OpenCl.load();
        return new ClDevice(platform, handle,
                ClInfo.string("clGetDeviceInfo", cl.getDeviceInfo, handle, OpenCl.CL_DEVICE_NAME),
                ClInfo.number("clGetDeviceInfo", cl.getDeviceInfo, handle, OpenCl.CL_DEVICE_TYPE),
                ClInfo.number("clGetDeviceInfo", cl.getDeviceInfo, handle, OpenCl.CL_DEVICE_GLOBAL_MEM_SIZE));
    }

    /** Whether the driver reports this device as a GPU. */
    public boolean isGpu() {
        return (type & OpenCl.CL_DEVICE_TYPE_GPU) != 0;
    }

    @Override
    public String toString() {
        return name + " (" + platform.name() + (isGpu() ? ", GPU" : "") + ")";
    }
}
