package io.llmc4j.compress.oneshot;

import io.llmc4j.compress.core.CompressionSession;
import io.llmc4j.compress.core.LifecycleCallbacks;
import io.llmc4j.compress.core.StateUpdate;
import io.llmc4j.compress.modifiers.Modifier;
import io.llmc4j.compress.pipelines.BasicPipeline;
import io.llmc4j.compress.pipelines.CalibrationPipeline;
import io.llmc4j.compress.pipelines.DataFreePipeline;
import io.llmc4j.compress.pipelines.IntermediatesCache;
import io.llmc4j.compress.pipelines.ProgressSink;
import io.llmc4j.compress.pipelines.sequential.SequentialPipeline;
import io.llmc4j.compress.recipe.Recipe;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One-shot compression (LLM Compressor's {@code oneshot}) on a model already in memory:
 *
 * <pre>
 *   session.initialize(recipe, model, data) ─▶ pipeline (sequential | basic | datafree; MoE blocks calibrate every expert)
 *        ─▶ CALIBRATION_EPOCH_START, per subgraph SEQUENTIAL_EPOCH_END, CALIBRATION_EPOCH_END
 *        ─▶ session.finalize  (modifiers freeze: qparams fixed, observers dropped)
 * </pre>
 *
 * The model is changed in place (qparams attached, forwards wrapped); writing a checkpoint is the
 * caller's next step. The session is returned so the caller can ask its modifiers what they did.
 */
public final class Oneshot {
    /** The model's forward argument names, in order. */
    public static final List<String> ARGUMENT_NAMES = List.of("input_ids", "attention_mask");

    /**
     * @param pipeline           which pipeline runs
     * @param sequentialTargets  where the sequential pipeline cuts (empty: the modifiers' choice, else inferred)
     * @param tracingIgnore      modules never traced inside
     * @param targetsPerSubgraph targets per subgraph
     * @param cache              where intermediates live between subgraphs
     * @param moeCalibrateAllExperts during calibration every expert of a mixture-of-experts block runs on every
     *                           token (LLM Compressor's {@code moe_calibrate_all_experts}, default true)
     */
    public record Options(PipelineKind pipeline, List<String> sequentialTargets, List<String> tracingIgnore, int targetsPerSubgraph,
                          IntermediatesCache.Options cache, boolean moeCalibrateAllExperts) {
        public Options {
            Objects.requireNonNull(pipeline, "pipeline");
            sequentialTargets = sequentialTargets == null ? List.of() : List.copyOf(sequentialTargets);
            tracingIgnore = tracingIgnore == null ? List.of() : List.copyOf(tracingIgnore);
            Objects.requireNonNull(cache, "cache");
        }

        /** With every expert calibrated on every token. */
        public Options(PipelineKind pipeline, List<String> sequentialTargets, List<String> tracingIgnore, int targetsPerSubgraph,
                       IntermediatesCache.Options cache) {
            this(pipeline, sequentialTargets, tracingIgnore, targetsPerSubgraph, cache, true);
        }

        public Options withMoeCalibrateAllExperts(boolean on) {
            return new Options(pipeline, sequentialTargets, tracingIgnore, targetsPerSubgraph, cache, on);
        }

        public static Options defaults() {
            return new Options(PipelineKind.AUTO, List.of(), List.of(), 1, IntermediatesCache.Options.inMemory());
        }

        public Options withPipeline(PipelineKind kind) {
            return new Options(kind, sequentialTargets, tracingIgnore, targetsPerSubgraph, cache, moeCalibrateAllExperts);
        }

        public Options withCache(IntermediatesCache.Options newCache) {
            return new Options(pipeline, sequentialTargets, tracingIgnore, targetsPerSubgraph, newCache, moeCalibrateAllExperts);
        }
    }

    private Oneshot() {
    }

    /**
     * Applies {@code recipe} to {@code model} with {@code batches} (named inputs {@code input_ids},
     * optional {@code attention_mask}; may be empty for data-free recipes).
     */
    public static CompressionSession run(Module model, Ops ops, Recipe recipe, List<? extends Map<String, Tensor>> batches,
                                         Options options, ProgressSink progress) {
        CompressionSession session = new CompressionSession();
        List<Map<String, Tensor>> data = new ArrayList<>(batches);
        session.initialize(recipe, StateUpdate.model(model).withCalibrationData(data).withLoggers(List.of(new ProgressMetrics(progress))));
        List<Modifier> modifiers = session.lifecycle().modifiers();
        PipelineKind kind = choose(options.pipeline(), data, modifiers);
        progress.line("Pipeline: " + kind.name().toLowerCase() + " (" + data.size() + " calibration batches, modifiers "
                + modifiers.stream().map(Modifier::typeName).toList() + ")");
        CalibrationPipeline pipeline = switch (kind) {
            case SEQUENTIAL -> new SequentialPipeline(ops, new SequentialPipeline.Options(sequentialTargets(options, modifiers),
                    options.tracingIgnore(), options.targetsPerSubgraph(), options.cache()), progress);
            case BASIC -> new BasicPipeline(progress);
            case DATAFREE, AUTO -> new DataFreePipeline();
        };
        try (var _ = MoeCalibration.start(model, options.moeCalibrateAllExperts(), progress)) {
            pipeline.run(model, ARGUMENT_NAMES, data, new SessionCallbacks(LifecycleCallbacks.of(session), modifiers));
        }
        session.finalizeModifiers();
        return session;
    }

    /**
     * LLM Compressor's inference ({@code CalibrationPipeline._infer_pipeline}): AUTO is sequential
     * when a modifier {@linkplain Modifier#requiresCalibrationData() needs calibration data}, else
     * data-free, whether or not batches were given (they are then not run). With several modifiers
     * the choice is made once for all of them, where LLM Compressor's {@code independent} pipeline
     * runs each modifier's own choice in turn.
     */
    static PipelineKind choose(PipelineKind requested, List<?> data, List<Modifier> modifiers) {
        boolean needsData = modifiers.stream().anyMatch(Modifier::requiresCalibrationData);
        if (needsData && requested != PipelineKind.SEQUENTIAL && requested != PipelineKind.BASIC && requested != PipelineKind.AUTO)
            throw new IllegalArgumentException("the recipe needs calibration data (" + needingData(modifiers) + "), so the data-free pipeline cannot run it");
        PipelineKind kind = requested != PipelineKind.AUTO ? requested : needsData ? PipelineKind.SEQUENTIAL : PipelineKind.DATAFREE;
        if (kind != PipelineKind.DATAFREE && data.isEmpty())
            throw new IllegalArgumentException("the " + kind.name().toLowerCase() + " pipeline needs calibration data"
                    + (needsData ? " for " + needingData(modifiers) : "") + "; give a dataset" + (needsData ? "" : " or use the datafree pipeline"));
        return kind;
    }

    private static List<String> needingData(List<Modifier> modifiers) {
        return modifiers.stream().filter(Modifier::requiresCalibrationData).map(Modifier::toString).toList();
    }

    private static List<String> sequentialTargets(Options options, List<Modifier> modifiers) {
        if (!options.sequentialTargets().isEmpty()) return options.sequentialTargets();
        LinkedHashSet<String> targets = new LinkedHashSet<>();
        for (Modifier m : modifiers) targets.addAll(m.sequentialTargets());
        return List.copyOf(targets);
    }
}
