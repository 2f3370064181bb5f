package io.llmc4j.gpu.opencl;

import io.llmc4j.gpu.AcceleratorContract;
import io.llmc4j.gpu.DeviceAccelerator;
import io.llmc4j.gpu.DeviceHolder;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/** The accelerator contract on the first OpenCL device (PoCL's CPU device in CI); skipped, with the reason, without one. */
@AddLifecycleHook(OpenClAcceleratorProperties.SkipWithoutOpenCl.class)
class OpenClAcceleratorProperties extends AcceleratorContract {
    static final DeviceHolder DEVICE = new DeviceHolder(() -> DeviceAccelerator.of(new OpenClBackend(OpenClProvider.choose(false, System.getenv("LLMC_OPENCL_DEVICE")))));

    @Override
    protected DeviceAccelerator device() {
        return DEVICE.get();
    }

    @AfterContainer
    static void closeDevice() {
        DEVICE.close();
    }

    /** Skips every property when the device cannot be opened. */
    public static final class SkipWithoutOpenCl implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            String reason = DEVICE.unavailableReason();
            return reason == null ? SkipResult.doNotSkip() : SkipResult.skip("OpenCL unavailable: " + reason);
        }
    }
}
