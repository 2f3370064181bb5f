package io.llmc4j.engine.ops.accel;

import io.llmc4j.engine.ops.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * The Java API's device choice: {@code cpu}, {@code opencl}, {@code cuda} or {@code auto}. Device
 * backends come from {@link AcceleratorProvider}s on the class path; a backend that is not on the
 * class path or cannot open (no driver, no device) falls back to the CPU with one line to
 * {@code log} saying why. {@code auto} tries CUDA, then an OpenCL GPU, then the CPU, and logs only
 * when it ends on the CPU.
 */
public final class Accelerators {
    /** The device names {@link #open} accepts. */
    public static final List<String> DEVICES = List.of("cpu", "opencl", "cuda", "auto");

    private Accelerators() {
    }

    /**
     * Opens {@code device}; the CPU accelerator (also the fallback) runs on {@code parallel}, which
     * stays owned by the caller.
     *
     * @throws IllegalArgumentException for a name not in {@link #DEVICES}
     */
    public static Accelerator open(String device, Parallel parallel, Consumer<String> log) {
        return device(device, log).orElseGet(() -> new CpuAccelerator(parallel));
    }

    /**
     * The device accelerator {@code device} names, or empty for {@code cpu} and when the device
     * cannot open (then after one line to {@code log} saying why).
     *
     * @throws IllegalArgumentException for a name not in {@link #DEVICES}
     */
    public static Optional<Accelerator> device(String device, Consumer<String> log) {
        String name = device == null ? "cpu" : device.toLowerCase(Locale.ROOT);
        if (!DEVICES.contains(name))
            throw new IllegalArgumentException("unknown device '" + device + "', expected one of " + DEVICES);
        if (name.equals("cpu")) return Optional.empty();
        List<String> reasons = new ArrayList<>();
        for (String candidate : name.equals("auto") ? List.of("cuda", "opencl") : List.of(name)) {
            Optional<AcceleratorProvider> provider = provider(candidate);
            if (provider.isEmpty()) {
                reasons.add(candidate + ": no provider on the class path (the tornado-gpu module)");
                continue;
            }
            try {
                return Optional.of(provider.get().open(name.equals("auto")));
            } catch (AcceleratorUnavailableException | RuntimeException e) {
                reasons.add(candidate + ": " + e.getMessage());
            }
        }
        log.accept("device " + name + " unavailable (" + String.join("; ", reasons) + "); using cpu");
        return Optional.empty();
    }

    /** The provider registered for {@code device}, if any. */
    public static Optional<AcceleratorProvider> provider(String device) {
        for (AcceleratorProvider p : ServiceLoader.load(AcceleratorProvider.class))
            if (p.device().equals(device)) return Optional.of(p);
        return Optional.empty();
    }
}
