package io.llmc4j.compress.modifiers.quantization;

import io.llmc4j.compress.core.Event;
import io.llmc4j.compress.core.EventArgs;
import io.llmc4j.compress.core.State;
import io.llmc4j.compress.modifiers.Modifier;
import io.llmc4j.compress.modifiers.ModifierSettings;
import io.llmc4j.compress.observers.ObserverRegistry;
import io.llmc4j.compress.quantization.ActivationOrdering;
import io.llmc4j.compress.quantization.QuantizationConfigException;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.lifecycle.QuantizationCalibration;
import io.llmc4j.compress.quantization.lifecycle.QuantizedLinearForward;
import io.llmc4j.compress.quantization.lifecycle.QuantizedModule;
import io.llmc4j.compress.recipe.ModifierRegistry;
import io.llmc4j.engine.nn.Linear;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Round-to-nearest quantization of Linear layers (LLM Compressor's {@code QuantizationModifier}):
 *
 * <pre>
 *   initialize              attach a scheme to every targeted Linear not ignored; wrap its forward
 *   CALIBRATION_EPOCH_START observer hooks for static activations (status CALIBRATION)
 *   (batches)               hooks observe activations; forwards run unquantized (DisableQuantization)
 *   SEQUENTIAL_EPOCH_END    weight qparams of the subgraph's modules, from their current weights
 *   CALIBRATION_EPOCH_END   remaining weight qparams, hooks removed, observers dropped, status FROZEN;
 *                           from then on forwards run quantize-dequantize
 * </pre>
 *
 * Schemes come from a preset ({@code scheme: W8A8}) or {@code config_groups}; a Linear takes the
 * first scheme whose targets match it. Quantization parameters are stored on the modules under
 * compressed-tensors' names; {@link #quantizedModules()} and {@link #configGroups()} tell a
 * checkpoint writer what was done. Not thread-safe.
 */
public final class QuantizationModifier extends Modifier implements QuantizingModifier {
    /** The name recipes use. */
    public static final String NAME = "QuantizationModifier";

    private final QuantizationModifierArgs args;
    private final QuantizationCalibration calibration = new QuantizationCalibration(ObserverRegistry.standard());
    private final List<QuantizedModule> modules = new ArrayList<>();
    private final List<QuantizedLinearForward> forwards = new ArrayList<>();
    private final List<String> ignored = new ArrayList<>();
    private List<QuantizationScheme> schemes = List.of();

    public QuantizationModifier(QuantizationModifierArgs args, ModifierSettings settings) {
        super(settings);
        this.args = args;
    }

    /** Registers this modifier under {@link #NAME}. */
    public static void register(ModifierRegistry registry) {
        registry.register(NAME, QuantizationModifierArgs.class, QuantizationModifierArgs.DEFAULTS, QuantizationModifier::new);
    }

    @Override
    public String typeName() {
        return NAME;
    }

    @Override
    public boolean requiresCalibrationData() {
        return schemes.stream().anyMatch(s -> QuantizationCalibration.needsObserver(s.inputActivations())
                || QuantizationCalibration.needsObserver(s.outputActivations()));
    }

    /** Static output activations are quantized in their observer hook, so calibration outputs are not the plain forward's. */
    @Override
    public boolean hooksAlterCalibrationOutputs() {
        return schemes.stream().anyMatch(s -> QuantizationCalibration.needsObserver(s.outputActivations()));
    }

    @Override
    protected boolean onInitialize(State state) {
        schemes = SchemeResolver.resolve(args);
        QuantizationTargets targets = QuantizationTargets.match(state.model(), schemes, SchemeResolver.groupNames(args, schemes.size()), args.ignore(),
                args.bypassDivisibilityChecks(), NAME);
        for (QuantizedModule target : targets.modules()) {
            Linear linear = (Linear) target.module();
            QuantizationScheme scheme = target.scheme();
            if (scheme.weights() != null && scheme.weights().actorder() == ActivationOrdering.GROUP)
                linear.setParameter("weight_g_idx", unorderedGroupIndex(linear.inFeatures()));
            QuantizedLinearForward forward = new QuantizedLinearForward(target, linear.ops());
            linear.setForwardWrapper(forward);
            modules.add(target);
            forwards.add(forward);
        }
        ignored.addAll(targets.ignored());
        FusedWeightGroups.link(state.model().namedModules().keySet(), modules);
        return true;
    }

    /**
     * The {@code weight_g_idx} compressed-tensors initializes for actorder group: int32, one -1 per input
     * column, which means column order (no activation ordering). Round-to-nearest never reorders, so
     * LLM Compressor's QuantizationModifier writes it as initialized; GPTQ replaces it.
     */
    private static Tensor unorderedGroupIndex(long columns) {
        Tensor gIdx = Tensor.allocate(DType.I32, columns);
        for (long c = 0; c < columns; c++) gIdx.segment().setAtIndex(Tensor.I32, c, -1);
        return gIdx;
    }

    @Override
    protected void onEvent(State state, Event event, EventArgs eventArgs) {
        switch (event.type()) {
            case CALIBRATION_EPOCH_START -> {
                if (!started()) startCalibration();
            }
            case SEQUENTIAL_EPOCH_END -> {
                if (started() && eventArgs.subgraph() != null) calibrateWeights(eventArgs.subgraph().moduleNames());
            }
            case CALIBRATION_EPOCH_END -> {
                if (started() && !ended()) endCalibration();
            }
            default -> {
            }
        }
    }

    /** Weight qparams of the targets that run in a subgraph calling {@code subgraphModules} (each a module path). */
    private void calibrateWeights(Collection<String> subgraphModules) {
        for (QuantizedModule target : modules) {
            String name = target.name();
            if (subgraphModules.stream().anyMatch(m -> m.isEmpty() || name.equals(m) || name.startsWith(m + "."))) calibration.calibrateWeight(target);
        }
    }

    /** The quantized forwards, in {@link #quantizedModules()} order. */
    public List<QuantizedLinearForward> quantizedForwards() {
        return Collections.unmodifiableList(forwards);
    }

    private void startCalibration() {
        for (QuantizedModule target : modules) calibration.start(target, hooks());
        markStarted();
    }

    private void endCalibration() {
        hooks().removeAll();
        for (QuantizedModule target : modules) calibration.freeze(target);
        markEnded();
    }

    @Override
    protected boolean onFinalize(State state) {
        if (!started()) startCalibration();
        if (!ended()) endCalibration();
        return true;
    }

    @Override
    public List<QuantizedModule> quantizedModules() {
        return Collections.unmodifiableList(modules);
    }

    @Override
    public List<QuantizationScheme> configGroups() {
        return schemes;
    }

    @Override
    public List<String> ignoredModules() {
        return Collections.unmodifiableList(ignored);
    }
}
