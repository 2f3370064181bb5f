package io.llmc4j.gpu.cuda;

import io.llmc4j.gpu.AcceleratorContract;
import io.llmc4j.gpu.DeviceAccelerator;
import io.llmc4j.gpu.DeviceHolder;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/** The accelerator contract on CUDA device 0 (the lent GPU); skipped, with the reason, without one. */
@AddLifecycleHook(CudaAcceleratorProperties.SkipWithoutCuda.class)
class CudaAcceleratorProperties extends AcceleratorContract {
    static final DeviceHolder DEVICE = new DeviceHolder(() -> DeviceAccelerator.of(CudaProvider.backend()));

    @Override
    protected DeviceAccelerator device() {
        return DEVICE.get();
    }

    @AfterContainer
    static void closeDevice() {
        DEVICE.close();
    }

    /** Skips every property when the device cannot be opened. */
    public static final class SkipWithoutCuda implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            String reason = DEVICE.unavailableReason();
            return reason == null ? SkipResult.doNotSkip() : SkipResult.skip("CUDA unavailable: " + reason);
        }
    }
}
