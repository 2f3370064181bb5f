package io.llmc4j.compress.quantization.lifecycle;

import io.llmc4j.compress.modifiers.ModifierHooks;
import io.llmc4j.compress.observers.ObservedRole;
import io.llmc4j.compress.observers.Observer;
import io.llmc4j.compress.observers.ObserverRegistry;
import io.llmc4j.compress.quantization.DynamicMode;
import io.llmc4j.compress.quantization.QParams;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationStatus;
import io.llmc4j.engine.tensor.MappedPages;
import io.llmc4j.engine.tensor.NonFiniteValuesException;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The calibration steps of one {@link QuantizedModule} (llm-compressor's
 * {@code modifiers/quantization/calibration.py}): start (observers, activation hooks, status
 * CALIBRATION), weight qparams at the end of the module's subgraph, and freeze (observers dropped,
 * status FROZEN). Hooks are registered
 * through the modifier's {@link ModifierHooks}, so the modifier removes them all at once. Stateless.
 */
public final class QuantizationCalibration {
    private final ObserverRegistry observers;

    public QuantizationCalibration(ObserverRegistry observers) {
        this.observers = observers;
    }

    /**
     * Creates the observers and registers input/output observer hooks for static activation args
     * (status CALIBRATION). Dynamic args get no observer: their qparams are computed in the forward.
     * The input hook only observes; the output hook observes and returns the output quantized with
     * the qparams so far (compressed-tensors' {@code calibrate_output_hook}). Weight qparams come
     * later, per subgraph ({@link #calibrateWeight}), so that only the weights being calibrated are
     * read.
     */
    public void start(QuantizedModule target, ModifierHooks hooks) {
        startActivations(target, hooks);
    }

    /**
     * As {@link #start}, with weight qparams computed elsewhere (GPTQ: the weight already lies on
     * their grid and must not be observed again).
     */
    public void start(QuantizedModule target, QParams weightQParams, ModifierHooks hooks) {
        target.setQParams(ObservedRole.WEIGHT, weightQParams);
        startActivations(target, hooks);
    }

    private void startActivations(QuantizedModule target, ModifierHooks hooks) {
        QuantizationArgs inputArgs = target.args(ObservedRole.INPUT);
        if (needsObserver(inputArgs)) {
            target.observer(ObservedRole.INPUT, createObserver(ObservedRole.INPUT, inputArgs));
            hooks.registerForwardPreHook(target.module(), (module, inputs) -> {
                observe(target, ObservedRole.INPUT, inputs[0]);
                return null;
            });
        }
        QuantizationArgs outputArgs = target.args(ObservedRole.OUTPUT);
        if (needsObserver(outputArgs)) {
            target.observer(ObservedRole.OUTPUT, createObserver(ObservedRole.OUTPUT, outputArgs));
            hooks.registerForwardHook(target.module(), (module, inputs, output) -> {
                observe(target, ObservedRole.OUTPUT, output);
                return output.isSymbolic() ? null : QuantizedLinearForward.fakeQuantizeActivation(target, output, outputArgs, ObservedRole.OUTPUT);
            });
        }
        target.status(QuantizationStatus.CALIBRATION);
    }

    /**
     * Computes the weight qparams from the module's current weight unless they exist (compressed-tensors
     * observes weights at the end of their subgraph's calibration). No-op without weight args.
     */
    public void calibrateWeight(QuantizedModule target) {
        if (target.args(ObservedRole.WEIGHT) != null && target.qparams(ObservedRole.WEIGHT) == null) updateWeightQParams(target);
    }

    /**
     * Recomputes the weight qparams from the module's current weight (e.g. after a weight change),
     * then releases the weight's resident pages when it is a view of a mapped file. With
     * {@linkplain QuantizedModule#fusedPartners() fused partners} the global scale is taken over their
     * current weights too, each observed by its own weight observer (llm-compressor's fused observers).
     */
    public void updateWeightQParams(QuantizedModule target) {
        Tensor weight = target.module().parameter("weight");
        QParams qparams;
        try {
            Observer observer = observedWeight(target);
            List<Observer> fused = new ArrayList<>();   // NVFP4: fused partners share one global scale
            for (QuantizedModule partner : target.fusedPartners()) {
                fused.add(observedWeight(partner));
                MappedPages.release(partner.module().parameter("weight"));
            }
            qparams = observer.qparams(fused);
        } catch (NonFiniteValuesException e) {
            throw new NonFiniteValuesException("tensor '" + target.name() + ".weight': " + e.getMessage(), e);
        }
        target.setQParams(ObservedRole.WEIGHT, qparams);
        MappedPages.release(weight);   // read once here; the writer reads it again, from the page cache
    }

    /** Weight qparams of {@code weight} from a fresh weight observer of {@code args} (memoryless min-max unless the args name another). */
    public QParams observeWeight(QuantizationArgs args, Tensor weight) {
        Observer observer = createObserver(ObservedRole.WEIGHT, args);
        observer.observe(weight);
        return observer.qparams();
    }

    private Observer observedWeight(QuantizedModule target) {
        Observer observer = createObserver(ObservedRole.WEIGHT, target.args(ObservedRole.WEIGHT));
        observer.observe(target.module().parameter("weight"));
        return observer;
    }

    /** Computes missing weight qparams ({@link #calibrateWeight}), drops the observers and marks the module FROZEN; its qparams stay. */
    public void freeze(QuantizedModule target) {
        calibrateWeight(target);
        target.dropObservers();
        target.status(QuantizationStatus.FROZEN);
    }

    /** Observes {@code value}; a NaN or Inf in it fails naming {@code what} (the tensor, or the module's activations). */
    private static void observeNaming(Observer observer, Tensor value, String what) {
        try {
            observer.observe(value);
        } catch (NonFiniteValuesException e) {
            throw new NonFiniteValuesException(what + ": " + e.getMessage(), e);
        }
    }

    /** Static args observe their qparams; dynamic "local" args (NVFP4 activations) observe their global scale. */
    public static boolean needsObserver(QuantizationArgs args) {
        return args != null && (!args.dynamic().isDynamic() || args.dynamic() == DynamicMode.LOCAL);
    }

    private Observer createObserver(ObservedRole role, QuantizationArgs args) {
        String name = ObserverRegistry.effectiveName(role, args.observer() == null ? "memoryless_minmax" : args.observer());
        return observers.create(name, role, args);
    }

    /** Updates the activation statistics and the stored qparams (llm-compressor updates them every batch). */
    private static void observe(QuantizedModule target, ObservedRole role, Tensor value) {
        Observer observer = target.observer(role);
        if (observer == null || value.isSymbolic() || value.elementCount() == 0) return;
        observeNaming(observer, value, "the " + (role == ObservedRole.INPUT ? "input" : "output") + " activations of module '"
                + target.name() + "'");
        QParams qparams = observer.copy().qparams();
        if (target.args(role).dynamic() == DynamicMode.LOCAL) {
            // Scales are computed per group at run time; only the tensor-wide global scale is calibrated.
            if (qparams.globalScale() != null) target.module().setParameter(role.baseName() + "_global_scale", qparams.globalScale());
        } else {
            target.setQParams(role, qparams);
        }
    }
}
