package io.llmc4j.compress.quantization.lifecycle;

import io.llmc4j.compress.observers.ObservedRole;
import io.llmc4j.compress.observers.Observer;
import io.llmc4j.compress.quantization.QParams;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.QuantizationStatus;
import io.llmc4j.compress.quantization.QuantizeOps;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.tensor.Tensor;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One module under quantization: its dotted name, the scheme attached to it, its status and its
 * observers (compressed-tensors' {@code module.quantization_scheme} / {@code quantization_status}).
 *
 * <p>Quantization parameters live on the module itself as parameters named as compressed-tensors
 * names them ({@code weight_scale}, {@code weight_zero_point}, {@code weight_global_scale},
 * {@code input_scale}, ...), so checkpoint writers find them where the reference does. Not
 * thread-safe: owned by one modifier.
 */
public final class QuantizedModule {
    private final String name;
    private final Module module;
    private final QuantizationScheme scheme;
    private final Map<ObservedRole, Observer> observers = new EnumMap<>(ObservedRole.class);
    private QuantizationStatus status = QuantizationStatus.INITIALIZED;
    private List<QuantizedModule> fusedPartners = List.of();

    public QuantizedModule(String name, Module module, QuantizationScheme scheme) {
        this.name = Objects.requireNonNull(name, "name");
        this.module = Objects.requireNonNull(module, "module");
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        if (module.parameter("weight") == null)
            throw new IllegalArgumentException("module '" + name + "' (" + module.typeName() + ") has no weight to quantize");
    }

    public String name() {
        return name;
    }

    public Module module() {
        return module;
    }

    public QuantizationScheme scheme() {
        return scheme;
    }

    public QuantizationStatus status() {
        return status;
    }

    void status(QuantizationStatus newStatus) {
        status = newStatus;
    }

    /** The args for {@code role}, or null when the scheme does not quantize it. */
    public QuantizationArgs args(ObservedRole role) {
        return switch (role) {
            case WEIGHT -> scheme.weights();
            case INPUT -> scheme.inputActivations();
            case OUTPUT -> scheme.outputActivations();
            case Q, K, V -> null;
        };
    }

    /**
     * Declares the modules whose weights vLLM fuses with this one (q/k/v, gate/up): the tensor_group weight
     * global scale is then computed over all of their weights, so all of them share it.
     */
    public void fuseWith(List<QuantizedModule> partners) {
        fusedPartners = List.copyOf(partners);
    }

    /** The modules fused with this one (empty when none). */
    public List<QuantizedModule> fusedPartners() {
        return fusedPartners;
    }

    Observer observer(ObservedRole role) {
        return observers.get(role);
    }

    void observer(ObservedRole role, Observer observer) {
        observers.put(role, observer);
    }

    void dropObservers() {
        observers.clear();
    }

    /** Stores {@code qparams} as the module's {@code <role>_scale}, {@code _zero_point}, {@code _global_scale}. */
    void setQParams(ObservedRole role, QParams qparams) {
        String base = role.baseName();
        module.setParameter(base + "_scale", qparams.scale());
        module.setParameter(base + "_zero_point", qparams.zeroPoint());
        if (qparams.globalScale() != null) module.setParameter(base + "_global_scale", qparams.globalScale());
    }

    /** The stored qparams for {@code role}, or null when none were computed yet. */
    public QParams qparams(ObservedRole role) {
        String base = role.baseName();
        Tensor scale = module.parameter(base + "_scale");
        if (scale == null) return null;
        return new QParams(scale, module.parameter(base + "_zero_point"), module.parameter(base + "_global_scale"));
    }

    /** The weight quantized and dequantized with the stored qparams, or null before they exist. */
    public Tensor fakeQuantizedWeight() {
        QParams weightQParams = scheme.weights() == null ? null : qparams(ObservedRole.WEIGHT);
        if (weightQParams == null) return null;
        return QuantizeOps.fakeQuantize(module.parameter("weight"), weightQParams.scale(), weightQParams.zeroPoint(), scheme.weights(),
                module.parameter("weight_g_idx"), weightQParams.globalScale());
    }

    @Override
    public String toString() {
        return name + " (" + module.typeName() + ", " + status + ")";
    }
}
