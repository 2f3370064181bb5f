package io.llmc4j.compress.quantization;

import io.llmc4j.engine.tensor.DType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@link QuantizationArgs} from a recipe dict with compressed-tensors' snake_case keys
 * ({@code num_bits}, {@code type}, {@code symmetric}, {@code group_size}, {@code strategy},
 * {@code block_structure}, {@code dynamic}, {@code actorder}, {@code scale_dtype}, {@code zp_dtype},
 * {@code observer}, {@code observer_kwargs}), applying the library's field validators: strings are
 * case-insensitive, {@code block_structure} may be {@code "8x16"}, {@code actorder: true} means group,
 * {@code dynamic} is a boolean or {@code "local"}. An unknown key is an error that names it and lists the
 * valid keys. Stateless.
 */
public final class QuantizationArgsReader {
    /** The keys a recipe may use, in the library's order. */
    public static final List<String> KEYS = List.of("num_bits", "type", "symmetric", "group_size", "strategy",
            "block_structure", "dynamic", "actorder", "scale_dtype", "zp_dtype", "observer", "observer_kwargs");
    private static final Set<String> KEY_SET = Set.copyOf(KEYS);

    private QuantizationArgsReader() {
    }

    /**
     * Validates and builds args from {@code map}. {@code path} prefixes keys in error messages (e.g.
     * {@code config_groups.group_0.weights}); pass "" at top level.
     */
    public static QuantizationArgs read(Map<String, ?> map, String path) {
        String prefix = path == null || path.isEmpty() ? "" : path + ".";
        for (String key : map.keySet()) {
            if (!KEY_SET.contains(key))
                throw new QuantizationConfigException(prefix + key, "unknown quantization args key; valid keys are " + String.join(", ", KEYS));
        }
        try {
            QuantizationArgs.Builder b = QuantizationArgs.builder();
            if (map.get("num_bits") != null) b.numBits(integer("num_bits", map.get("num_bits")));
            if (map.get("type") != null) b.type(QuantizationType.parse(string("type", map.get("type"))));
            if (map.get("symmetric") != null) b.symmetric(bool("symmetric", map.get("symmetric")));
            if (map.get("group_size") != null) b.groupSize(integer("group_size", map.get("group_size")));
            if (map.get("strategy") != null) b.strategy(QuantizationStrategy.parse(string("strategy", map.get("strategy"))));
            b.blockStructure(blockStructure(map.get("block_structure")));
            if (map.get("dynamic") != null) b.dynamic(dynamic(map.get("dynamic")));
            b.actorder(actorder(map.get("actorder")));
            if (map.get("scale_dtype") != null) b.scaleDtype(dtype("scale_dtype", map.get("scale_dtype")));
            if (map.get("zp_dtype") != null) b.zpDtype(dtype("zp_dtype", map.get("zp_dtype")));
            if (map.get("observer") != null) b.observer(string("observer", map.get("observer")));
            b.observerKwargs(kwargs(map.get("observer_kwargs")));
            return b.build();
        } catch (QuantizationConfigException e) {
            if (prefix.isEmpty()) throw e;
            throw new QuantizationConfigException(prefix + e.key(), e.getMessage().substring(e.key().length() + 2));
        }
    }

    private static int integer(String key, Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            long v = ((Number) value).longValue();
            if (v != (int) v) throw new QuantizationConfigException(key, "value " + v + " is out of range");
            return (int) v;
        }
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < Integer.MAX_VALUE)
            return (int) n.doubleValue();
        throw new QuantizationConfigException(key, "expected an integer, found " + describe(value));
    }

    private static boolean bool(String key, Object value) {
        if (value instanceof Boolean b) return b;
        throw new QuantizationConfigException(key, "expected true or false, found " + describe(value));
    }

    private static String string(String key, Object value) {
        if (value instanceof String s) return s;
        if (value instanceof Enum<?> e) return e.name();
        throw new QuantizationConfigException(key, "expected a string, found " + describe(value));
    }

    private static List<Integer> blockStructure(Object value) {
        if (value == null) return null;
        String expected = "Invalid block_structure '" + value + "'. Must be a list of ints [rows, cols] or a string like \"128x128\"";
        List<Integer> out = new ArrayList<>();
        if (value instanceof String s) {
            for (String part : s.split("x", -1)) {
                try {
                    out.add(Integer.parseInt(part.strip()));
                } catch (NumberFormatException e) {
                    throw new QuantizationConfigException("block_structure", expected);
                }
            }
        } else if (value instanceof List<?> list) {
            for (Object v : list) {
                if (!(v instanceof Integer || v instanceof Long)) throw new QuantizationConfigException("block_structure", expected);
                out.add(((Number) v).intValue());
            }
        } else {
            throw new QuantizationConfigException("block_structure", expected);
        }
        if (out.size() != 2) throw new QuantizationConfigException("block_structure", expected);
        return out;
    }

    private static DynamicMode dynamic(Object value) {
        if (value instanceof Boolean b) return b ? DynamicMode.DYNAMIC : DynamicMode.STATIC;
        if (value instanceof DynamicMode d) return d;
        if (value instanceof String s && s.toLowerCase(Locale.ROOT).equals("local")) return DynamicMode.LOCAL;
        throw new QuantizationConfigException("dynamic", "expected true, false or \"local\", found " + describe(value));
    }

    private static ActivationOrdering actorder(Object value) {
        if (value == null) return null;
        if (value instanceof Boolean b) return b ? ActivationOrdering.GROUP : null;
        if (value instanceof String s) return ActivationOrdering.parse(s);
        throw new QuantizationConfigException("actorder", "expected group, weight, dynamic, static, true, false or null, found " + describe(value));
    }

    private static DType dtype(String key, Object value) {
        if (value instanceof DType d) return d;
        return TorchDTypes.parse(key, string(key, value));
    }

    private static Map<String, Object> kwargs(Object value) {
        if (value == null) return Map.of();
        if (!(value instanceof Map<?, ?> map)) throw new QuantizationConfigException("observer_kwargs", "expected a mapping, found " + describe(value));
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String k)) throw new QuantizationConfigException("observer_kwargs", "keys must be strings, found " + describe(e.getKey()));
            out.put(k, e.getValue());
        }
        return out;
    }

    private static String describe(Object value) {
        if (value == null) return "null";
        return value instanceof String s ? "'" + s + "'" : value + " (" + value.getClass().getSimpleName() + ")";
    }
}
