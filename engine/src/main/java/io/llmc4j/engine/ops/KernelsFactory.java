package io.llmc4j.engine.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The one place where compute backends are constructed, by name, so applications (the CLI, bench
 * commands) never name a {@link Kernels} class themselves. Register a new backend by adding it to
 * {@link #BACKENDS}; make it the default by changing {@link #DEFAULT}.
 *
 * <p>Stateless; every call builds a new instance, owned by the caller.
 */
public final class KernelsFactory {
    /** The scalar reference kernels: simple and slow, the oracle for every other backend. */
    public static final String REFERENCE = "reference";
    /** The Vector API kernels on a pool of one thread per core (daemon threads; the pool lives with the instance). */
    public static final String VECTOR = "vector";
    /** The backend used when none is named. */
    public static final String DEFAULT = VECTOR;

    private static final Map<String, Supplier<Kernels>> BACKENDS = backends();

    private static Map<String, Supplier<Kernels>> backends() {
        Map<String, Supplier<Kernels>> m = new LinkedHashMap<>();
        m.put(VECTOR, () -> new VectorKernels(Parallel.ofCores()));
        m.put(REFERENCE, ReferenceKernels::new);
        return m;
    }

    private KernelsFactory() {
    }

    /** The backend names {@link #create} accepts, in registration order. */
    public static List<String> names() {
        return List.copyOf(BACKENDS.keySet());
    }

    /** A new instance of the {@link #DEFAULT} backend. */
    public static Kernels createDefault() {
        return create(DEFAULT);
    }

    /**
     * A new instance of backend {@code name}.
     *
     * @throws IllegalArgumentException listing the backends when {@code name} is unknown
     */
    public static Kernels create(String name) {
        Supplier<Kernels> backend = BACKENDS.get(name);
        if (backend == null) throw new IllegalArgumentException("unknown kernels backend '" + name + "', expected one of " + names());
        return backend.get();
    }
}
