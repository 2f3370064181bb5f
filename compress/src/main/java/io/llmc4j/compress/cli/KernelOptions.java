package io.llmc4j.compress.cli;

import io.llmc4j.engine.ops.KernelsFactory;
import io.llmc4j.engine.ops.Ops;
import java.util.Iterator;
import picocli.CommandLine.Option;

/** {@code --kernels NAME}: which compute backend runs the model ({@link KernelsFactory}). */
final class KernelOptions {
    @Option(names = "--kernels", paramLabel = "NAME", defaultValue = KernelsFactory.DEFAULT, converter = OptionValues.Kernels.class,
            description = "Compute backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = KernelNames.class)
    String kernels;

    /** A new {@link Ops} over the chosen backend. */
    Ops ops() {
        return new Ops(KernelsFactory.create(kernels));
    }

    /** The registered backend names, for --help. */
    static final class KernelNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return KernelsFactory.names().iterator();
        }
    }
}
