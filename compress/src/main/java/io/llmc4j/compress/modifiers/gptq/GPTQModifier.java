package io.llmc4j.compress.modifiers.gptq;

import io.llmc4j.compress.core.Event;
import io.llmc4j.compress.core.EventArgs;
import io.llmc4j.compress.core.MetricsLogger;
import io.llmc4j.compress.core.State;
import io.llmc4j.compress.modifiers.Modifier;
import io.llmc4j.compress.modifiers.ModifierSettings;
import io.llmc4j.compress.modifiers.quantization.QuantizationTargets;
import io.llmc4j.compress.modifiers.quantization.QuantizingModifier;
import io.llmc4j.compress.observers.ObserverRegistry;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.gptq.Gptq;
import io.llmc4j.compress.quantization.gptq.GptqResult;
import io.llmc4j.compress.quantization.gptq.HessianSum;
import io.llmc4j.compress.quantization.lifecycle.QuantizationCalibration;
import io.llmc4j.compress.quantization.lifecycle.QuantizedLinearForward;
import io.llmc4j.compress.quantization.lifecycle.QuantizedModule;
import io.llmc4j.compress.recipe.ModifierRegistry;
import io.llmc4j.engine.nn.Linear;
import io.llmc4j.engine.ops.Kernels;
import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.VectorKernels;
import io.llmc4j.engine.ops.accel.AcceleratedKernels;
import io.llmc4j.engine.ops.accel.Accelerator;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * GPTQ quantization of Linear layers (LLM Compressor's {@code GPTQModifier}):
 *
 * <pre>
 *   initialize               schemes (actorder applied) on every targeted Linear not ignored; forwards wrapped, still plain
 *   CALIBRATION_EPOCH_START  a forward pre-hook per module adds its input to the module's Hessian ({@link HessianSum});
 *                            on the model's accelerator when its kernels are {@link AcceleratedKernels} (--device)
 *   (calibration pass)       the subgraph runs on unquantized weights; the subgraphs before it are already GPTQ'd
 *   SEQUENTIAL_EPOCH_END     every module with a Hessian: {@link Gptq#quantize}, weight replaced by its quantized
 *                            values, qparams (and weight_g_idx) stored, forward quantized; one progress line each
 *   CALIBRATION_EPOCH_END    modules left (basic pipeline) quantized the same way; hooks removed; FROZEN
 * </pre>
 *
 * The propagation pass after each subgraph (hooks off) thus feeds the next subgraph the GPTQ'd
 * outputs. Reuses the quantization core: the same schemes, observers, qparams and
 * {@link QuantizedLinearForward}; a checkpoint writer sees it as any {@link QuantizingModifier}.
 * Not thread-safe.
 */
public final class GPTQModifier extends Modifier implements QuantizingModifier {
    /** The name recipes use. */
    public static final String NAME = "GPTQModifier";

    private final GPTQModifierArgs args;
    private final QuantizationCalibration calibration = new QuantizationCalibration(ObserverRegistry.standard());
    private final List<QuantizedModule> modules = new ArrayList<>();
    private final List<String> ignored = new ArrayList<>();
    private final List<QuantizedLinearForward> forwards = new ArrayList<>();
    private final Map<QuantizedModule, HessianSum> hessians = new IdentityHashMap<>();
    private final Map<QuantizedModule, Boolean> done = new IdentityHashMap<>();
    private final Map<String, GptqResult> results = new LinkedHashMap<>();
    private List<QuantizationScheme> schemes = List.of();
    private List<MetricsLogger> loggers = List.of();
    private Parallel ownParallel;

    public GPTQModifier(GPTQModifierArgs args, ModifierSettings settings) {
        super(settings);
        this.args = args;
    }

    /** Registers this modifier under {@link #NAME}. */
    public static void register(ModifierRegistry registry) {
        registry.register(NAME, GPTQModifierArgs.class, GPTQModifierArgs.DEFAULTS, GPTQModifier::new);
    }

    @Override
    public String typeName() {
        return NAME;
    }

    @Override
    public boolean requiresCalibrationData() {
        return true;
    }

    @Override
    public List<String> sequentialTargets() {
        return args.sequentialTargetList();
    }

    @Override
    protected boolean onInitialize(State state) {
        schemes = GptqSchemes.resolve(args);
        QuantizationTargets targets = QuantizationTargets.match(state.model(), schemes, args.ignore(), NAME);
        for (QuantizedModule target : targets.modules()) {
            Linear linear = (Linear) target.module();
            QuantizedLinearForward forward = new QuantizedLinearForward(target, linear.ops());
            linear.setForwardWrapper(forward);
            forwards.add(forward);
            modules.add(target);
        }
        ignored.addAll(targets.ignored());
        loggers = state.loggers();
        return true;
    }

    @Override
    protected void onEvent(State state, Event event, EventArgs eventArgs) {
        switch (event.type()) {
            case CALIBRATION_EPOCH_START -> {
                if (!started()) startCalibration();
            }
            case SEQUENTIAL_EPOCH_END -> {
                // The previous subgraph's propagation pass is over: its cached fake-quantized weights go
                // (memory stays bounded by one subgraph), then this subgraph's modules are quantized.
                forwards.forEach(QuantizedLinearForward::releaseCachedWeight);
                quantizeCalibrated();
            }
            case CALIBRATION_EPOCH_END -> {
                if (started() && !ended()) endCalibration();
                forwards.forEach(QuantizedLinearForward::releaseCachedWeight);
            }
            default -> {
            }
        }
    }

    private void startCalibration() {
        for (QuantizedModule target : modules) {
            Linear linear = (Linear) target.module();
            Parallel parallel = parallelOf(linear);
            Accelerator device = linear.ops().kernels() instanceof AcceleratedKernels accelerated ? accelerated.accelerator() : null;
            hooks().registerForwardPreHook(linear, (module, inputs) -> {
                Tensor x = inputs[0];
                if (x.isSymbolic() || done.containsKey(target)) return null;
                hessians.computeIfAbsent(target, t -> new HessianSum(Math.toIntExact(linear.inFeatures()))).add(x, null, parallel, device);
                return null;
            });
        }
        markStarted();
    }

    /** GPTQ on every module whose Hessian is complete (its subgraph's calibration pass is over). */
    private void quantizeCalibrated() {
        for (QuantizedModule target : modules) {
            HessianSum hessian = hessians.remove(target);
            if (hessian != null) quantize(target, hessian);
        }
    }

    private void quantize(QuantizedModule target, HessianSum hessian) {
        long start = System.nanoTime();
        Linear linear = (Linear) target.module();
        var weightArgs = target.scheme().weights();
        GptqResult result = Gptq.quantize(linear.parameter("weight"), hessian.mean(), weightArgs, w -> calibration.observeWeight(weightArgs, w),
                args.blockSize(), args.dampeningFrac(), parallelOf(linear));
        linear.setParameter("weight", result.weight());
        if (result.gIdx() != null) linear.setParameter("weight_g_idx", result.gIdx());
        calibration.start(target, result.qparams(), hooks());
        done.put(target, Boolean.TRUE);
        results.put(target.name(), result);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("time_s", seconds);
        values.put("loss", result.loss());
        values.put("samples", (double) hessian.samples());
        values.put("tokens", (double) hessian.tokens());
        if (!result.inverted()) values.put("hessian_not_invertible_rtn_used", 1.0);
        for (MetricsLogger logger : loggers) logger.logScalars(NAME + " " + target.name(), values, done.size());
    }

    private void endCalibration() {
        quantizeCalibrated();
        List<String> missing = modules.stream().filter(m -> !done.containsKey(m)).map(QuantizedModule::name).toList();
        if (!missing.isEmpty())
            throw new IllegalStateException(NAME + ": no calibration input reached " + missing + "; they cannot be quantized (is the module called by the model's forward?)");
        hooks().removeAll();
        for (QuantizedModule target : modules) calibration.freeze(target);
        markEnded();
    }

    @Override
    protected boolean onFinalize(State state) {
        try {
            if (!started()) throw new IllegalStateException(NAME + " needs calibration data: no calibration pass ran");
            if (!ended()) endCalibration();
            return true;
        } finally {
            if (ownParallel != null) ownParallel.close();
            ownParallel = null;
        }
    }

    /** The Linear's kernel pool (vector kernels, or those under a device's), else a single-thread pool owned by this modifier. */
    private Parallel parallelOf(Linear linear) {
        Kernels kernels = linear.ops().kernels() instanceof AcceleratedKernels accelerated ? accelerated.cpu() : linear.ops().kernels();
        if (kernels instanceof VectorKernels vector) return vector.parallel();
        if (ownParallel == null) ownParallel = new Parallel(1);
        return ownParallel;
    }

    /** Per module (model order): GPTQ's loss, qparams and g_idx, once quantized. */
    public Map<String, GptqResult> results() {
        return Collections.unmodifiableMap(results);
    }

    @Override
    public OptionalDouble originalWeightError(String module) {
        GptqResult result = results.get(module);
        return result == null ? OptionalDouble.empty() : OptionalDouble.of(result.relativeWeightError());
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
