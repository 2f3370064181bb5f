package io.llmc4j.gpu;

import io.llmc4j.engine.ops.accel.AcceleratorUnavailableException;

/** One device accelerator per test class, opened on first use; remembers why it could not open. */
public final class DeviceHolder {
    /** Opens the device or says why not. */
    public interface Opener {
        DeviceAccelerator open() throws AcceleratorUnavailableException;
    }

    private final Opener opener;
    private DeviceAccelerator device;
    private String unavailable;

    public DeviceHolder(Opener opener) {
        this.opener = opener;
    }

    /** Null when the device is open, else why it is unavailable. */
    public synchronized String unavailableReason() {
        if (device == null && unavailable == null) {
            try {
                device = opener.open();
            } catch (AcceleratorUnavailableException e) {
                unavailable = e.getMessage();
            }
        }
        return unavailable;
    }

    public synchronized DeviceAccelerator get() {
        unavailableReason();
        return device;
    }

    public synchronized void close() {
        if (device != null) device.close();
        device = null;
    }
}
