package io.llmc4j.compress.modifiers.gptq;

import io.llmc4j.compress.modifiers.quantization.SchemeResolver;
import io.llmc4j.compress.quantization.ActivationOrdering;
import io.llmc4j.compress.quantization.DynamicMode;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationConfigException;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.QuantizationStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * GPTQModifier's schemes (LLM Compressor's {@code GPTQModifier.resolve_quantization_config}): the
 * quantization schemes of its arguments with the modifier's {@code actorder} applied to each weight
 * (the default, static, only where a group sets none; an explicit value must agree with a group's;
 * group on a strategy without groups falls back to none). Rejects, before calibration, what GPTQ here
 * cannot do: a group without weights, a weight strategy GPTQ has no column rule for, static
 * activation scales. Stateless.
 */
final class GptqSchemes {
    private static final Set<QuantizationStrategy> WEIGHT_STRATEGIES = Set.of(QuantizationStrategy.TENSOR, QuantizationStrategy.CHANNEL,
            QuantizationStrategy.GROUP, QuantizationStrategy.TENSOR_GROUP, QuantizationStrategy.BLOCK);

    private GptqSchemes() {
    }

    static List<QuantizationScheme> resolve(GPTQModifierArgs args) {
        List<QuantizationScheme> out = new ArrayList<>();
        for (QuantizationScheme scheme : SchemeResolver.resolve(args.quantization())) {
            QuantizationArgs weights = scheme.weights();
            if (weights == null)
                throw new QuantizationConfigException("config_groups", "GPTQ quantizes weights, but the group targeting " + scheme.targets() + " has no weights");
            if (!WEIGHT_STRATEGIES.contains(weights.strategy()) || weights.dynamic().isDynamic())
                throw new QuantizationConfigException("weights.strategy", "GPTQ cannot quantize weights with strategy " + weights.strategy().value()
                        + (weights.dynamic().isDynamic() ? " (dynamic)" : ""));
            checkActivations(scheme.inputActivations(), "input_activations");
            checkActivations(scheme.outputActivations(), "output_activations");
            ActivationOrdering order = resolveActorder(args, weights.actorder());
            if (order == ActivationOrdering.GROUP && !weights.strategy().isGrouped()) order = null;
            QuantizationArgs ordered = weights.toBuilder().actorder(order).build();
            out.add(new QuantizationScheme(scheme.targets(), ordered, scheme.inputActivations(), scheme.outputActivations(), scheme.format()));
        }
        return out;
    }

    private static ActivationOrdering resolveActorder(GPTQModifierArgs args, ActivationOrdering existing) {
        if (args.actorderIsDefault()) return existing == null ? ActivationOrdering.WEIGHT : existing;
        ActivationOrdering requested = args.ordering();
        if (existing == null || existing == requested) return requested;
        throw new QuantizationConfigException("actorder", "GPTQModifier.actorder (" + (requested == null ? "null" : requested.value())
                + ") and a config group's weights.actorder (" + existing.value() + ") differ; unset one of them");
    }

    /** Static activation scales would need observers on the un-quantized calibration pass; not supported with GPTQ yet. */
    private static void checkActivations(QuantizationArgs activations, String key) {
        if (activations != null && activations.dynamic() == DynamicMode.STATIC)
            throw new QuantizationConfigException(key, "GPTQModifier supports weight-only schemes and dynamic activations; static "
                    + key.replace('_', ' ') + " are not supported yet (use a QuantizationModifier stage for them)");
    }
}
