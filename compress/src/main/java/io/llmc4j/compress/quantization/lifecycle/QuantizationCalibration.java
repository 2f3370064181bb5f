package io.llmc4j.compress.quantization.lifecycle;

import io.llmc4j.compress.modifiers.ModifierHooks;
import io.llmc4j.compress.observers.ObservedRole;
import io.llmc4j.compress.observers.Observer;
import io.llmc4j.compress.observers.ObserverRegistry;
import io.llmc4j.compress.quantization.DynamicMode;
import io.llmc4j.compress.quantization.QParams;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationStatus;
import io.llmc4j.engine.tensor.NonFiniteValuesException;
import io.llmc4j.engine.tensor.Tensor;

/**
 * The calibration steps of one {@link QuantizedModule} (llm-compressor's
 * {@code modifiers/quantization/calibration.py}): start (observers, weight qparams, activation
 * hooks, status CALIBRATION) and freeze (observers dropped, status FROZEN). Hooks are registered
 * through the modifier's {@link ModifierHooks}, so the modifier removes them all at once. Stateless.
 */
public final class QuantizationCalibration {
    private final ObserverRegistry observers;

    public QuantizationCalibration(ObserverRegistry observers) {
        this.observers = observers;
    }

    /**
     * Creates the observers, computes the weight qparams from the current weight (once: weights
     * are observed by a memoryless observer) and registers input/output observer hooks for static
     * activation args. Dynamic args get no observer: their qparams are computed in the forward.
     */
    public void start(QuantizedModule target, ModifierHooks hooks) {
        QuantizationArgs weightArgs = target.args(ObservedRole.WEIGHT);
        if (weightArgs != null) updateWeightQParams(target);
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
                return null;
            });
        }
        target.status(QuantizationStatus.CALIBRATION);
    }

    /** Recomputes the weight qparams from the module's current weight (e.g. after a weight change). */
    public void updateWeightQParams(QuantizedModule target) {
        QuantizationArgs args = target.args(ObservedRole.WEIGHT);
        Observer observer = createObserver(ObservedRole.WEIGHT, args);
        observeNaming(observer, target.module().parameter("weight"), "tensor '" + target.name() + ".weight'");
        target.setQParams(ObservedRole.WEIGHT, observer.qparams());
    }

    /** Drops the observers and marks the module FROZEN; its qparams stay. */
    public void freeze(QuantizedModule target) {
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
