package io.llmc4j.compress.modifiers.quantization;

import io.llmc4j.compress.observers.ObservedRole;
import io.llmc4j.compress.observers.ObserverRegistry;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationConfigException;
import io.llmc4j.compress.quantization.QuantizationScheme;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The QuantizationModifier keys {@code weight_observer}, {@code input_observer}, {@code output_observer}
 * and {@code observer: {weights, input, output}} (llm-compressor's {@code _apply_observer_overrides}): the
 * named observer replaces the one of every scheme's weights / input / output args that exist. The
 * individual keys and the map are exclusive. Every observer a scheme names must be one llmc4j has, checked
 * here, before calibration. Stateless.
 */
final class ObserverOverrides {
    private static final Set<String> MAP_KEYS = Set.of("weights", "input", "output");

    private ObserverOverrides() {
    }

    static List<QuantizationScheme> apply(QuantizationModifierArgs args, List<QuantizationScheme> schemes) {
        boolean individual = args.weightObserver() != null || args.inputObserver() != null || args.outputObserver() != null;
        Map<String, String> byRole = args.observer() == null ? Map.of() : args.observer();
        if (individual && args.observer() != null)
            throw new QuantizationConfigException("observer", "set either weight_observer/input_observer/output_observer or the observer map, not both");
        for (String key : byRole.keySet())
            if (!MAP_KEYS.contains(key))
                throw new QuantizationConfigException("observer." + key, "invalid observer key; valid keys are weights, input, output");
        String weights = byRole.getOrDefault("weights", args.weightObserver());
        String input = byRole.getOrDefault("input", args.inputObserver());
        String output = byRole.getOrDefault("output", args.outputObserver());
        List<QuantizationScheme> out = new ArrayList<>();
        for (QuantizationScheme s : schemes) {
            QuantizationScheme applied = new QuantizationScheme(s.targets(), withObserver(s.weights(), weights), withObserver(s.inputActivations(), input),
                    withObserver(s.outputActivations(), output), s.format());
            check(applied.weights(), ObservedRole.WEIGHT);
            check(applied.inputActivations(), ObservedRole.INPUT);
            check(applied.outputActivations(), ObservedRole.OUTPUT);
            out.add(applied);
        }
        return out;
    }

    private static QuantizationArgs withObserver(QuantizationArgs args, String observer) {
        return args == null || observer == null ? args : args.toBuilder().observer(observer).build();
    }

    private static void check(QuantizationArgs args, ObservedRole role) {
        if (args == null || args.observer() == null) return;
        Set<String> known = ObserverRegistry.standard().names();
        if (!known.contains(args.observer()))
            throw new QuantizationConfigException(role == ObservedRole.WEIGHT ? "weights.observer" : role.baseName() + "_activations.observer",
                    "observer '" + args.observer() + "' is not supported by llmc4j yet; llmc4j's observers are " + String.join(", ", known));
    }
}
