package io.llmc4j.compress.observers;

import io.llmc4j.compress.quantization.QuantizationConfigException;
import java.util.List;
import java.util.Map;

/**
 * Observer settings from {@code observer_kwargs}, with llm-compressor's defaults.
 *
 * @param averagingConstant moving-average weight of a new batch ({@code averaging_constant}, 0.01)
 * @param maxShrink largest fraction the MSE search shrinks the range by ({@code maxshrink}, 0.2)
 * @param patience MSE steps without improvement before stopping ({@code patience}, 5)
 * @param grid MSE search resolution ({@code grid}, 100)
 * @param norm exponent of the MSE error ({@code norm}, 2.4)
 * @param expand factor applied to the observed range before the MSE search ({@code expand}, 1.0, at least 1)
 */
public record ObserverOptions(double averagingConstant, double maxShrink, int patience, double grid, double norm, double expand) {
    /** The accepted keys; {@code chunk_size} only tunes the library's compiled search and is accepted and ignored. */
    public static final List<String> KEYS = List.of("averaging_constant", "maxshrink", "patience", "grid", "norm", "expand", "chunk_size");

    public ObserverOptions {
        if (!(grid > 0)) throw new QuantizationConfigException("observer_kwargs.grid", "must be positive, found " + grid);
        if (expand < 1.0) throw new QuantizationConfigException("observer_kwargs.expand", "expand value must be at least 1.0, found " + expand);
        if (patience < 0) throw new QuantizationConfigException("observer_kwargs.patience", "must not be negative, found " + patience);
    }

    /** Reads {@code kwargs}; unknown keys and non-numbers are errors naming the key. */
    public static ObserverOptions of(Map<String, Object> kwargs) {
        for (String key : kwargs.keySet()) {
            if (!KEYS.contains(key))
                throw new QuantizationConfigException("observer_kwargs." + key, "unknown observer option; valid keys are " + String.join(", ", KEYS));
        }
        if (kwargs.containsKey("chunk_size") && number(kwargs, "chunk_size", 5) <= 0)
            throw new QuantizationConfigException("observer_kwargs.chunk_size", "chunk_size must be positive, found " + kwargs.get("chunk_size"));
        double patience = number(kwargs, "patience", 5);
        if (patience != Math.rint(patience)) throw new QuantizationConfigException("observer_kwargs.patience", "expected an integer, found " + patience);
        return new ObserverOptions(number(kwargs, "averaging_constant", 0.01), number(kwargs, "maxshrink", 0.20), (int) patience,
                number(kwargs, "grid", 100.0), number(kwargs, "norm", 2.4), number(kwargs, "expand", 1.0));
    }

    /** Number of MSE search steps, {@code int(maxshrink · grid)}. */
    public int searchSteps() {
        return (int) (maxShrink * grid);
    }

    private static double number(Map<String, Object> kwargs, String key, double fallback) {
        Object v = kwargs.get(key);
        if (v == null) return fallback;
        if (v instanceof Number n && !(v instanceof Byte)) return n.doubleValue();
        throw new QuantizationConfigException("observer_kwargs." + key, "expected a number, found " + v);
    }
}
