package io.llmc4j.compress.observers;

import io.llmc4j.compress.quantization.QuantizationArgs;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Observers by the names recipes use ({@code observer: mse}): an explicit, immutable name → factory map.
 * {@link #standard()} holds llm-compressor's {@code minmax}, {@code static_minmax},
 * {@code memoryless_minmax}, {@code mse} and {@code memoryless_mse}; {@link #with} adds more. Thread-safe.
 */
public final class ObserverRegistry {
    /** Makes an observer for a role and args. */
    @FunctionalInterface
    public interface Factory {
        Observer create(ObservedRole role, QuantizationArgs args);
    }

    private final Map<String, Factory> factories;

    private ObserverRegistry(Map<String, Factory> factories) {
        this.factories = Collections.unmodifiableMap(new LinkedHashMap<>(factories));
    }

    /** The five observers of llm-compressor. */
    public static ObserverRegistry standard() {
        Map<String, Factory> map = new LinkedHashMap<>();
        map.put("minmax", MinMaxObserver::new);
        map.put("static_minmax", StaticMinMaxObserver::new);
        map.put("memoryless_minmax", MemorylessMinMaxObserver::new);
        map.put("mse", MseObserver::new);
        map.put("memoryless_mse", MemorylessMseObserver::new);
        return new ObserverRegistry(map);
    }

    /** A registry with {@code name} added (or replaced). */
    public ObserverRegistry with(String name, Factory factory) {
        Map<String, Factory> map = new LinkedHashMap<>(factories);
        map.put(name, factory);
        return new ObserverRegistry(map);
    }

    public Set<String> names() {
        return factories.keySet();
    }

    /**
     * The observer {@code name} for {@code role} and {@code args} (its options come from
     * {@code args.observerKwargs()}).
     *
     * @throws IllegalArgumentException naming the observer and listing the registered names
     */
    public Observer create(String name, ObservedRole role, QuantizationArgs args) {
        Factory factory = factories.get(name);
        if (factory == null)
            throw new IllegalArgumentException("unknown observer '" + name + "' for " + role.baseName() + "; registered observers are "
                    + String.join(", ", factories.keySet()));
        return factory.create(role, args);
    }

    /** The observer named by {@code args.observer()}; fails for dynamic args, which have none. */
    public Observer create(ObservedRole role, QuantizationArgs args) {
        if (args.observer() == null)
            throw new IllegalArgumentException("args for " + role.baseName() + " name no observer (dynamic quantization computes qparams on the fly)");
        return create(args.observer(), role, args);
    }

    /**
     * The observer llm-compressor's {@code initialize_observer} actually uses: weights are observed once,
     * so {@code minmax} and {@code static_minmax} become {@code memoryless_minmax} and {@code mse}
     * becomes {@code memoryless_mse}; other names and roles are unchanged.
     */
    public static String effectiveName(ObservedRole role, String name) {
        if (role != ObservedRole.WEIGHT || name == null) return name;
        return switch (name) {
            case "minmax", "static_minmax" -> "memoryless_minmax";
            case "mse" -> "memoryless_mse";
            default -> name;
        };
    }
}
