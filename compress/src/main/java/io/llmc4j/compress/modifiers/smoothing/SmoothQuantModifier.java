package io.llmc4j.compress.modifiers.smoothing;

import io.llmc4j.compress.core.State;
import io.llmc4j.compress.modifiers.ModifierSettings;
import io.llmc4j.compress.quantization.QuantizationConfigException;
import io.llmc4j.compress.recipe.ModifierRegistry;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SmoothQuant (LLM Compressor's {@code SmoothQuantModifier}): moves activation outliers into the
 * weights. Per mapping, s = range(X)^α / (2·max|W|)^(1−α) per channel ({@link SmoothingMath}),
 * the smooth layer's outputs divided by s, the balance layers' input columns multiplied by s.
 *
 * Its calibration hooks ({@link SmoothingModifier} schedules them) record the per-channel min/max
 * of the smooth layers' outputs; {@code num_calibration_steps} bounds the batches observed.
 *
 * Not thread-safe.
 */
public final class SmoothQuantModifier extends SmoothingModifier {
    /** The name recipes use. */
    public static final String NAME = "SmoothQuantModifier";

    private final SmoothQuantModifierArgs args;
    private final double alpha;
    private final boolean logEqualization;
    private List<ResolvedMapping> mappings = List.of();
    private final Map<ResolvedMapping, ChannelStats> stats = new LinkedHashMap<>();
    private final List<ResolvedMapping> applied = new ArrayList<>();

    public SmoothQuantModifier(SmoothQuantModifierArgs args, ModifierSettings settings) {
        super(settings);
        this.args = args;
        double strength = args.smoothingStrength() == null ? 0.5 : args.smoothingStrength();
        if (!(strength >= 0 && strength <= 1))
            throw new QuantizationConfigException("smoothing_strength", "must be in [0, 1], got " + strength);
        this.alpha = strength;
        this.logEqualization = switch (args.algorithm()) {
            case "smoothquant" -> false;
            case "log_equalization" -> true;
            default -> throw new QuantizationConfigException("algorithm", "must be smoothquant or log_equalization, got " + args.algorithm());
        };
        if (args.numCalibrationSteps() != null && args.numCalibrationSteps() < 1)
            throw new QuantizationConfigException("num_calibration_steps", "must be at least 1, got " + args.numCalibrationSteps());
    }

    /** Registers this modifier under {@link #NAME}. */
    public static void register(ModifierRegistry registry) {
        registry.register(NAME, SmoothQuantModifierArgs.class, SmoothQuantModifierArgs.DEFAULTS, SmoothQuantModifier::new);
    }

    @Override
    public String typeName() {
        return NAME;
    }

    @Override
    protected boolean onInitialize(State state) {
        mappings = resolve(state, args.mappings(), ArchitectureMappings::smoothQuant, args.ignore());
        return true;
    }

    @Override
    void registerHooks() {
        for (ResolvedMapping mapping : mappings) {
            int channels = Math.toIntExact(mapping.balance().getFirst().parameter("weight").dim(1));
            hooks().registerForwardHook(mapping.smooth(), (module, inputs, output) -> {
                ChannelStats s = stats.computeIfAbsent(mapping, _ -> new ChannelStats(channels));
                if (args.numCalibrationSteps() == null || s.batches() < args.numCalibrationSteps()) s.add(output);
                return null;
            });
        }
    }

    /** Folds the scales of every mapping observed and not yet applied. */
    @Override
    void applyObserved() {
        for (var e : List.copyOf(stats.entrySet())) {
            ResolvedMapping mapping = e.getKey();
            ScaleFolding.apply(mapping, scales(mapping, e.getValue()));
            stats.remove(mapping);
            applied.add(mapping);
        }
    }

    /** The scales of one mapping from its activation statistics and its balance weights as they are now. */
    private float[] scales(ResolvedMapping mapping, ChannelStats s) {
        if (logEqualization) return SmoothingMath.logEqualizationScales(s.range());
        List<float[]> columnMax = new ArrayList<>();
        for (var balance : mapping.balance()) {
            Tensor w = balance.parameter("weight");
            columnMax.add(SmoothingMath.columnAbsMax(ScaleFolding.floats(w), Math.toIntExact(w.dim(0)), Math.toIntExact(w.dim(1))));
        }
        return SmoothingMath.smoothQuantScales(s.range(), SmoothingMath.elementwiseMax(columnMax), alpha);
    }

    /** The mappings resolved at initialize, in model order. */
    public List<ResolvedMapping> mappings() {
        return List.copyOf(mappings);
    }

    /** The mappings whose scales were folded, in the order they were. */
    public List<ResolvedMapping> appliedMappings() {
        return List.copyOf(applied);
    }
}
