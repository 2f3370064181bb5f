package io.llmc4j.compress.modifiers.smoothing;

import io.llmc4j.compress.core.State;
import io.llmc4j.compress.modifiers.ModifierSettings;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationConfigException;
import io.llmc4j.compress.quantization.QuantizationStrategy;
import io.llmc4j.compress.quantization.lifecycle.QuantizedLinearForward;
import io.llmc4j.compress.recipe.ModifierRegistry;
import io.llmc4j.engine.nn.HookSwitch;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Activation-aware weight quantization's scale search (LLM Compressor's {@code AWQModifier}, a
 * transform: the QuantizationModifier after it in the recipe quantizes).
 *
 * <pre>
 *   initialize              parse and resolve mappings (recipe or the architecture's defaults)
 *   CALIBRATION_EPOCH_START read each balance Linear's weight args from the quantization modifier's
 *                           forward; skip (log) mappings with no quantized balance layer; hooks: the
 *                           parent's inputs, mean |x| of the first balance layer's input
 *   SEQUENTIAL_EPOCH_END    per observed mapping, in order: the parent's plain outputs, grid search
 *                           ({@link AwqSearch}), best scales folded ({@link ScaleFolding}) — before the
 *                           quantization modifier computes the subgraph's weight qparams
 *   CALIBRATION_EPOCH_END   the rest (basic pipeline), hooks removed
 * </pre>
 *
 * Not thread-safe.
 */
public final class AWQModifier extends SmoothingModifier {
    /** The name recipes use. */
    public static final String NAME = "AWQModifier";

    private final AWQModifierArgs args;
    private final DuoScaling duo;
    private final List<SmoothingMath.GridPoint> grid;
    private List<ResolvedMapping> mappings = List.of();
    private final Map<ResolvedMapping, Map<Module, QuantizationArgs>> quantized = new LinkedHashMap<>();
    private final Map<ResolvedMapping, ChannelStats> stats = new LinkedHashMap<>();
    private final Map<Module, List<Tensor[]>> parentInputs = new IdentityHashMap<>();
    private final List<String> report = new ArrayList<>();

    public AWQModifier(AWQModifierArgs args, ModifierSettings settings) {
        super(settings);
        this.args = args;
        if (args.targets() != null || args.scheme() != null || args.configGroups() != null)
            throw new QuantizationConfigException(args.scheme() != null ? "scheme" : args.configGroups() != null ? "config_groups" : "targets",
                    "belongs to a QuantizationModifier after AWQModifier in the recipe (LLM Compressor's current API); "
                            + "llmc4j does not split the deprecated AWQModifier form into two modifiers");
        try {
            this.duo = DuoScaling.parse(args.duoScaling());
            this.grid = SmoothingMath.awqGrid(args.nGrid(), duo);
        } catch (IllegalArgumentException e) {
            throw new QuantizationConfigException(e.getMessage().startsWith("n_grid") ? "n_grid" : "duo_scaling", e.getMessage());
        }
    }

    /** Registers this modifier under {@link #NAME}. */
    public static void register(ModifierRegistry registry) {
        registry.register(NAME, AWQModifierArgs.class, AWQModifierArgs.DEFAULTS, AWQModifier::new);
    }

    @Override
    public String typeName() {
        return NAME;
    }

    @Override
    protected boolean onInitialize(State state) {
        mappings = resolve(state, args.mappings(), ArchitectureMappings::awq, args.ignore());
        return true;
    }

    /** Weight args per quantized balance layer (from the quantization modifiers' forwards, attached by now); hooks. */
    @Override
    void registerHooks() {
        List<ResolvedMapping> kept = new ArrayList<>();
        for (ResolvedMapping mapping : mappings) {
            Map<Module, QuantizationArgs> byLayer = new LinkedHashMap<>();
            for (int i = 0; i < mapping.balance().size(); i++) {
                Module balance = mapping.balance().get(i);
                if (!(balance.forwardWrapper() instanceof QuantizedLinearForward f) || f.target().scheme().weights() == null) continue;
                QuantizationArgs weightArgs = f.target().scheme().weights();
                if (duo != DuoScaling.FALSE && weightArgs.strategy() == QuantizationStrategy.TENSOR)
                    throw new QuantizationConfigException("duo_scaling", "needs per-channel or group weight quantization, but '"
                            + mapping.balanceNames().get(i) + "' is quantized per tensor; set duo_scaling: false");
                byLayer.put(balance, weightArgs);
            }
            if (byLayer.isEmpty()) {
                log("Skipping mapping " + mapping + ": none of its balance layers is quantized");
                continue;
            }
            kept.add(mapping);
            quantized.put(mapping, byLayer);
        }
        mappings = List.copyOf(kept);
        for (ResolvedMapping mapping : mappings) {
            if (!parentInputs.containsKey(mapping.parent())) {
                List<Tensor[]> inputs = new ArrayList<>();
                parentInputs.put(mapping.parent(), inputs);
                hooks().registerForwardPreHook(mapping.parent(), (module, in) -> {
                    inputs.add(in.clone());
                    return null;
                });
            }
            int channels = Math.toIntExact(mapping.balance().getFirst().parameter("weight").dim(1));
            hooks().registerForwardPreHook(mapping.balance().getFirst(), (module, in) -> {
                stats.computeIfAbsent(mapping, _ -> new ChannelStats(channels)).add(in[0]);
                return null;
            });
        }
    }

    /** Searches and folds the scales of every mapping observed so far, in mapping order; then drops their inputs. */
    @Override
    void applyObserved() {
        List<Module> done = new ArrayList<>();
        for (ResolvedMapping mapping : mappings) {
            ChannelStats s = stats.remove(mapping);
            if (s == null) continue;
            smooth(mapping, s);
            done.add(mapping.parent());
        }
        for (Module parent : done) parentInputs.remove(parent);
    }

    private void smooth(ResolvedMapping mapping, ChannelStats s) {
        List<Tensor[]> inputs = parentInputs.get(mapping.parent());
        try (var _ = HookSwitch.disable()) {
            List<float[]> reference = outputs(mapping.parent(), inputs);
            Map<Module, QuantizationArgs> layers = quantized.get(mapping);
            List<Module> modules = List.copyOf(layers.keySet());
            Map<Module, Tensor> original = new IdentityHashMap<>();
            List<AwqSearch.QuantizedWeight> weights = new ArrayList<>();
            for (Module m : modules) {
                Tensor w = m.parameter("weight");
                original.put(m, w);
                weights.add(new AwqSearch.QuantizedWeight(ScaleFolding.floats(w), Math.toIntExact(w.dim(0)), Math.toIntExact(w.dim(1)), w.dtype(), layers.get(m)));
            }
            AwqSearch.Result result;
            try {
                result = AwqSearch.search(s.absMean(), weights, grid, replaced -> {
                    for (int i = 0; i < modules.size(); i++) modules.get(i).setParameter("weight", replaced.get(i));
                    return meanSquaredError(reference, outputs(mapping.parent(), inputs));
                });
            } finally {
                for (Module m : modules) m.setParameter("weight", original.get(m));
            }
            ScaleFolding.apply(mapping, result.scales());
            SmoothingMath.GridPoint point = grid.get(result.bestIndex());
            report.add(String.format(Locale.ROOT, "%s: error %.4e -> %.4e (ratio %.3f%s)", mapping.smoothName(), result.initialError(),
                    result.bestError(), point.ratio(), point.duo() ? ", duo" : ""));
            log("AWQ " + report.getLast());
        }
    }

    private static List<float[]> outputs(Module parent, List<Tensor[]> inputs) {
        List<float[]> out = new ArrayList<>(inputs.size());
        for (Tensor[] in : inputs) out.add(parent.call(in).toFloatArray());
        return out;
    }

    private static double meanSquaredError(List<float[]> reference, List<float[]> actual) {
        double sum = 0;
        long count = 0;
        for (int b = 0; b < reference.size(); b++) {
            sum += SmoothingMath.squaredError(reference.get(b), actual.get(b));
            count += reference.get(b).length;
        }
        return sum / count;
    }

    @Override
    void clearObservations() {
        for (ResolvedMapping m : stats.keySet()) log("AWQ: mapping " + m + " was never observed; not applied");
        stats.clear();
        parentInputs.clear();
    }

    /** The mappings AWQ searches (resolved, minus those without a quantized balance layer once calibration started). */
    public List<ResolvedMapping> mappings() {
        return List.copyOf(mappings);
    }

    /** One line per searched mapping: the error of the first grid point, the best error and the winning point. */
    public List<String> searchReport() {
        return List.copyOf(report);
    }
}
