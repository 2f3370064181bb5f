package io.llmc4j.compress.cli;

import io.llmc4j.engine.ops.Kernels;
import io.llmc4j.engine.ops.KernelsFactory;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.ops.accel.AcceleratedKernels;
import io.llmc4j.engine.ops.accel.Accelerator;
import io.llmc4j.engine.ops.accel.Accelerators;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --kernels NAME}: which CPU compute backend runs the model ({@link KernelsFactory});
 * {@code --device cpu|opencl|cuda|auto}: where Linear and matmul run ({@link Accelerators}). A
 * device accelerator lives as long as the command's process (its native resources go with it).
 */
final class KernelOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cpu", converter = OptionValues.Device.class,
            description = "Where Linear layers and matmuls run: cpu, opencl, cuda or auto (default: ${DEFAULT-VALUE}); "
                    + "an unavailable device falls back to cpu with one line saying why. Other operations stay on --kernels.")
    String device;

    @Option(names = "--kernels", paramLabel = "NAME", defaultValue = KernelsFactory.DEFAULT, converter = OptionValues.Kernels.class,
            description = "Compute backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = KernelNames.class)
    String kernels;

    /** A new {@link Ops} over the chosen backend. */
    Ops ops() {
        Kernels cpu = KernelsFactory.create(kernels);
        PrintWriter err = spec.commandLine().getErr();
        Optional<Accelerator> accelerator = Accelerators.device(device, line -> err.println("llmc: " + line));
        if (accelerator.isEmpty()) return new Ops(cpu);
        err.println("llmc: linear and matmul on " + accelerator.get().name());
        return new Ops(new AcceleratedKernels(cpu, accelerator.get()));
    }

    /** The registered backend names, for --help. */
    static final class KernelNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return KernelsFactory.names().iterator();
        }
    }
}
