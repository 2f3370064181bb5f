package io.llmc4j.compress.modifiers.smoothing;

import io.llmc4j.compress.match.ModulePatterns;
import io.llmc4j.compress.quantization.QuantizationConfigException;
import io.llmc4j.engine.nn.DecoderLayer;
import io.llmc4j.engine.nn.Linear;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.nn.ModuleList;
import io.llmc4j.engine.nn.RMSNorm;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Resolves mappings per decoder layer: a smooth pattern matches modules inside the layer; for each
 * such module every balance pattern matches the modules of the layer closest to it (deepest common
 * ancestor: an expert's up_proj pairs with that expert's down_proj, a norm with all experts). A
 * pattern that matches nothing in a layer is an error naming the layer and the pattern (recipe key
 * {@code mappings}). Balance modules matching {@code ignore} are dropped; a mapping left without
 * balance modules, or whose Linear smooth layer's outputs do not line up with the balance inputs
 * (v_proj → o_proj under grouped-query attention), is skipped with a log line.
 */
public final class MappingResolver {
    private MappingResolver() {
    }

    /** The decoder layers of {@code model} by dotted name, or the whole model (name "") when it has none. */
    public static Map<String, Module> decoderLayers(Module model) {
        Map<String, Module> layers = new LinkedHashMap<>();
        for (var e : model.namedModules().entrySet()) if (e.getValue() instanceof DecoderLayer) layers.put(e.getKey(), e.getValue());
        if (layers.isEmpty()) layers.put("", model);
        return layers;
    }

    /**
     * @param mappings null: the architecture's defaults from {@code defaults} (by decoder layer class)
     * @param log      receives one line per skipped mapping
     */
    public static List<ResolvedMapping> resolve(Module model, List<SmoothingMapping> mappings, java.util.function.Function<String, List<SmoothingMapping>> defaults,
                                                ModulePatterns ignore, Consumer<String> log) {
        List<ResolvedMapping> out = new ArrayList<>();
        for (var layer : decoderLayers(model).entrySet()) {
            List<SmoothingMapping> forLayer = mappings != null ? mappings : defaults.apply(layer.getValue().typeName());
            Map<String, Module> modules = modulesUnder(model, layer.getKey());
            for (SmoothingMapping mapping : forLayer) resolveInLayer(layer.getKey(), modules, mapping, model, ignore, log, out);
        }
        return out;
    }

    private static Map<String, Module> modulesUnder(Module model, String layer) {
        Map<String, Module> modules = new LinkedHashMap<>();
        for (var e : model.namedModules().entrySet())
            if (layer.isEmpty() || e.getKey().startsWith(layer + ".")) modules.put(e.getKey(), e.getValue());
        return modules;
    }

    private static void resolveInLayer(String layer, Map<String, Module> modules, SmoothingMapping mapping, Module model, ModulePatterns ignore,
                                       Consumer<String> log, List<ResolvedMapping> out) {
        List<String> smooths = matching(modules, mapping.smoothLayer());
        if (smooths.isEmpty()) throw nothingMatched(layer, "smooth_layer", mapping.smoothLayer());
        for (String smoothName : smooths) {
            List<String> balanceNames = new ArrayList<>();
            for (String pattern : mapping.balanceLayers()) {
                List<String> candidates = matching(modules, pattern).stream().filter(n -> !n.equals(smoothName)).toList();
                if (candidates.isEmpty()) throw nothingMatched(layer, "balance_layers", pattern);
                int depth = candidates.stream().mapToInt(n -> commonDepth(n, smoothName)).max().orElseThrow();
                for (String n : candidates) if (commonDepth(n, smoothName) == depth && !balanceNames.contains(n)) balanceNames.add(n);
            }
            Module smooth = modules.get(smoothName);
            checkSmoothable(smoothName, smooth);
            List<String> kept = balanceNames.stream().filter(n -> !ignore.matches(n, modules.get(n))).toList();
            if (kept.isEmpty()) {
                log.accept("Skipping mapping " + smoothName + " -> " + balanceNames + ": every balance layer is ignored");
                continue;
            }
            long channels = channels(smoothName, smooth, kept, modules);
            if (channels < 0) {
                log.accept("Skipping mapping " + smoothName + " -> " + kept + ": the outputs of " + smoothName + " do not line up with the inputs of the balance layers");
                continue;
            }
            String parentName = commonAncestor(kept, model);
            Module parent = parentName.isEmpty() ? model : model.submodule(parentName);
            out.add(new ResolvedMapping(layer, smoothName, smooth, kept, kept.stream().map(modules::get).toList(), parentName, parent));
        }
    }

    private static void checkSmoothable(String name, Module smooth) {
        if (!(smooth instanceof RMSNorm) && !(smooth instanceof Linear))
            throw new QuantizationConfigException("mappings", "smooth layer '" + name + "' is a " + smooth.typeName() + "; expected a norm or a Linear");
    }

    /** The smoothed channel count (balance inputs), or −1 when a Linear smooth layer's outputs do not line up. */
    private static long channels(String smoothName, Module smooth, List<String> balance, Map<String, Module> modules) {
        long in = -1;
        for (String n : balance) {
            Tensor w = modules.get(n).parameter("weight");
            if (w == null || w.rank() != 2)
                throw new QuantizationConfigException("mappings", "balance layer '" + n + "' has no [out, in] weight (it is a " + modules.get(n).typeName() + ")");
            if (in >= 0 && w.dim(1) != in)
                throw new QuantizationConfigException("mappings", "balance layers of '" + smoothName + "' read different widths: " + in + " and " + w.dim(1) + " ('" + n + "')");
            in = w.dim(1);
        }
        if (smooth instanceof RMSNorm) {
            long features = smooth.parameter("weight").dim(0);
            if (features != in)
                throw new QuantizationConfigException("mappings", "smooth layer '" + smoothName + "' has " + features + " features but its balance layers read " + in);
            return in;
        }
        long out = ((Linear) smooth).outFeatures();
        if (out == in) return in;
        boolean fusedQkv = smoothName.endsWith("qkv_proj") && out == 3 * in;          // v is the last third (no grouped-query heads)
        boolean fusedGateUp = smoothName.endsWith("gate_up_proj") && out == 2 * in;   // up is the second half
        return fusedQkv || fusedGateUp ? in : -1;
    }

    private static List<String> matching(Map<String, Module> modules, String pattern) {
        ModulePatterns p = ModulePatterns.of(pattern);
        List<String> names = new ArrayList<>();
        for (var e : modules.entrySet()) if (p.matches(e.getKey(), e.getValue())) names.add(e.getKey());
        return names;
    }

    private static QuantizationConfigException nothingMatched(String layer, String key, String pattern) {
        return new QuantizationConfigException("mappings", key + " pattern '" + pattern + "' matches no module in decoder layer '" + layer + "'");
    }

    /** Number of leading dotted components two names share. */
    static int commonDepth(String a, String b) {
        String[] x = a.split("\\."), y = b.split("\\.");
        int i = 0;
        while (i < x.length && i < y.length && x[i].equals(y[i])) i++;
        return i;
    }

    /** The deepest common ancestor of {@code names} (a single name: itself) that is not a module list. */
    static String commonAncestor(List<String> names, Module model) {
        String[] first = names.getFirst().split("\\.");
        int depth = first.length;
        for (String n : names) depth = Math.min(depth, commonDepth(names.getFirst(), n));
        while (true) {
            String name = String.join(".", java.util.Arrays.copyOf(first, depth));
            if (depth == 0) return "";
            if (!(model.submodule(name) instanceof ModuleList)) return name;
            depth--;
        }
    }
}
