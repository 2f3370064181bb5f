package io.llmc4j.compress.modifiers.gptq;

import io.llmc4j.compress.modifiers.quantization.QuantizationModifierArgs;
import io.llmc4j.compress.quantization.ActivationOrdering;
import io.llmc4j.compress.quantization.QuantizationConfigException;
import java.util.List;
import java.util.Map;

/**
 * The recipe arguments of {@code GPTQModifier} (LLM Compressor's names and defaults):
 *
 * <pre>
 *   GPTQModifier:
 *     targets: [Linear]           ignore: [lm_head]
 *     scheme: W4A16               # or config_groups: {group_0: {targets: [...], weights: {...}}}
 *     block_size: 128             # columns per lazy batch update
 *     dampening_frac: 0.01        # fraction of the mean Hessian diagonal added to the diagonal
 *     actorder: static            # static (= weight), weight, group (= dynamic), null/false: none
 *     offload_hessians: false     # accepted; Hessians always live in host memory here
 *     sequential_targets: null    # where the sequential pipeline cuts (module class names)
 * </pre>
 *
 * @param actorder a String, Boolean or null as written in the recipe; {@link #DEFAULT_ACTORDER} when not given
 */
public record GPTQModifierArgs(
        List<String> targets,
        List<String> ignore,
        Object scheme,
        Map<String, Map<String, Object>> configGroups,
        Map<String, Object> kvCacheScheme,
        int blockSize,
        Float dampeningFrac,
        Object actorder,
        boolean offloadHessians,
        Object sequentialTargets) {

    /** The default {@code actorder}: static unless a config group sets its own. */
    public static final String DEFAULT_ACTORDER = "static";

    public static final GPTQModifierArgs DEFAULTS = new GPTQModifierArgs(List.of("Linear"), List.of(), null, null, null, 128, 0.01f,
            DEFAULT_ACTORDER, false, null);

    public GPTQModifierArgs {
        targets = targets == null ? List.of("Linear") : List.copyOf(targets);
        ignore = ignore == null ? List.of() : List.copyOf(ignore);
        if (blockSize < 1) throw new QuantizationConfigException("block_size", "must be a positive number of columns, found " + blockSize);
        if (dampeningFrac == null || !(dampeningFrac >= 0f) || Float.isInfinite(dampeningFrac))
            throw new QuantizationConfigException("dampening_frac", "must be a finite number >= 0, found " + dampeningFrac);
        if (actorder != null && !(actorder instanceof String) && !(actorder instanceof Boolean))
            throw new QuantizationConfigException("actorder", "expected static, weight, group, dynamic, true, false or null, found " + actorder);
        if (actorder instanceof String s) ActivationOrdering.parse(s);
        if (sequentialTargets != null && !(sequentialTargets instanceof String)
                && !(sequentialTargets instanceof List<?> list && list.stream().allMatch(String.class::isInstance)))
            throw new QuantizationConfigException("sequential_targets", "expected a module class name or a list of them, found " + sequentialTargets);
    }

    /** The quantization part of these arguments (what QuantizationModifier would take). */
    public QuantizationModifierArgs quantization() {
        return new QuantizationModifierArgs(targets, ignore, scheme, configGroups, kvCacheScheme, null, null, null, null, false);
    }

    /** The modifier-level activation ordering: null for none ({@code null}/{@code false}). */
    public ActivationOrdering ordering() {
        if (actorder == null || Boolean.FALSE.equals(actorder)) return null;
        if (Boolean.TRUE.equals(actorder)) return ActivationOrdering.GROUP;
        return ActivationOrdering.parse((String) actorder);
    }

    /** Whether {@code actorder} was left at its default (then a config group's own actorder wins). */
    public boolean actorderIsDefault() {
        return DEFAULT_ACTORDER.equals(actorder);
    }

    /** The sequential targets as a list (empty when not given). */
    public List<String> sequentialTargetList() {
        if (sequentialTargets == null) return List.of();
        if (sequentialTargets instanceof String s) return List.of(s);
        return ((List<?>) sequentialTargets).stream().map(String.class::cast).toList();
    }
}
