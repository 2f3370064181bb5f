package io.llmc4j.compress.modifiers.smoothing;

import io.llmc4j.compress.core.Event;
import io.llmc4j.compress.core.EventArgs;
import io.llmc4j.compress.core.State;
import io.llmc4j.compress.match.ModulePatterns;
import io.llmc4j.compress.modifiers.Modifier;
import io.llmc4j.compress.modifiers.ModifierSettings;
import io.llmc4j.compress.quantization.QuantizationConfigException;
import java.util.List;
import java.util.function.Function;

/**
 * What SmoothQuant and AWQ share: mappings resolved at initialize (the recipe's, else the
 * architecture's), and the calibration schedule — hooks at CALIBRATION_EPOCH_START, the observed
 * mappings folded at each SEQUENTIAL_EPOCH_END (before the quantization modifier after it in the
 * recipe computes the subgraph's weight qparams, and before the pipeline propagates the subgraph's
 * outputs), the rest and the hooks' removal at CALIBRATION_EPOCH_END. Not thread-safe.
 */
abstract sealed class SmoothingModifier extends Modifier permits SmoothQuantModifier, AWQModifier {
    static final System.Logger LOG = System.getLogger(SmoothingModifier.class.getName());

    SmoothingModifier(ModifierSettings settings) {
        super(settings);
    }

    @Override
    public final boolean requiresCalibrationData() {
        return true;
    }

    /** The recipe's mappings (or {@code defaults} per decoder layer class) resolved in {@code state}'s model. */
    static List<ResolvedMapping> resolve(State state, List<Object> recipeMappings, Function<String, List<SmoothingMapping>> defaults, List<String> ignore) {
        List<SmoothingMapping> given;
        try {
            given = SmoothingMapping.parse(recipeMappings);
        } catch (IllegalArgumentException e) {
            throw new QuantizationConfigException("mappings", e.getMessage());
        }
        return MappingResolver.resolve(state.model(), given, defaults, ModulePatterns.of(ignore), SmoothingModifier::log);
    }

    static void log(String line) {
        LOG.log(System.Logger.Level.INFO, line);
    }

    @Override
    protected final void onEvent(State state, Event event, EventArgs eventArgs) {
        switch (event.type()) {
            case CALIBRATION_EPOCH_START -> {
                if (!started()) {
                    registerHooks();
                    markStarted();
                }
            }
            case SEQUENTIAL_EPOCH_END -> {
                if (started() && !ended()) applyObserved();
            }
            case CALIBRATION_EPOCH_END -> {
                if (started() && !ended()) end();
            }
            default -> {
            }
        }
    }

    /** Registers the calibration hooks. */
    abstract void registerHooks();

    /** Folds the scales of every mapping observed and not yet applied. */
    abstract void applyObserved();

    /** Drops what remains after the last fold (statistics of mappings never observed). */
    void clearObservations() {
    }

    private void end() {
        applyObserved();
        clearObservations();
        hooks().removeAll();
        markEnded();
    }

    @Override
    protected final boolean onFinalize(State state) {
        if (started() && !ended()) end();
        hooks().removeAll();
        return true;
    }
}
