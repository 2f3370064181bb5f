package io.llmc4j.compress.pipelines.sequential;

import io.llmc4j.compress.pipelines.CalibrationCallbacks;
import io.llmc4j.compress.pipelines.CalibrationPipeline;
import io.llmc4j.compress.pipelines.IntermediatesCache;
import io.llmc4j.compress.pipelines.ModelInputs;
import io.llmc4j.compress.pipelines.PipelineException;
import io.llmc4j.compress.pipelines.ProgressSink;
import io.llmc4j.engine.nn.HookSwitch;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Calibrates a model one subgraph at a time (LLM Compressor's {@code SequentialPipeline}):
 * <ol>
 *   <li>trace the model into subgraphs, each sequential target in exactly one
 *       ({@link SubgraphTracer}, once per input shape: {@link TracedSubgraphs});</li>
 *   <li>fill the {@link IntermediatesCache} with the batches;</li>
 *   <li>for each subgraph: pass 1 runs every batch with hooks on (observers and Hessians see the
 *       inputs as compressed by the subgraphs before); then
 *       {@link CalibrationCallbacks#sequentialEpochEnd} lets the modifiers compress it; pass 2 runs
 *       every batch with all hooks off ({@link HookSwitch#disable()}), stores the outputs and
 *       deletes the names no later subgraph reads. The last subgraph has no pass 2: nothing reads
 *       its outputs.</li>
 * </ol>
 * When {@link Options#releaseMappedWeights()} is on (the default), each subgraph's finished step
 * then releases the pages of its modules' memory-mapped parameters ({@link MappedWeights#release}):
 * without it every mapped weight page touched so far stays in the process's resident set, so the
 * peak RSS grows with the whole model instead of one subgraph. After that step a
 * {@link SubgraphListener} hears the subgraph's timings.
 * Progress goes to the sink as one line per pass, e.g. {@code (3/6): Calibrating 16 batches in
 * 1.20 s (13.33 batches/s)}. The cache is closed (DISK files removed) whether the run succeeds or
 * fails. Not thread-safe; runs on the caller's thread (plus the cache's prefetch thread).
 */
public final class SequentialPipeline implements CalibrationPipeline {

    /**
     * @param sequentialTargets  module patterns to cut at; empty: inferred ({@link SequentialTargets#infer})
     * @param tracingIgnore      module patterns never traced inside
     * @param targetsPerSubgraph targets per subgraph (at least 1)
     * @param cache              where intermediates live
     * @param releaseMappedWeights after a subgraph's last pass, release the resident pages of its
     *                           modules' memory-mapped parameters (they reload from the file on demand)
     */
    public record Options(List<String> sequentialTargets, List<String> tracingIgnore, int targetsPerSubgraph, IntermediatesCache.Options cache,
                          boolean releaseMappedWeights) {
        public Options {
            sequentialTargets = sequentialTargets == null ? List.of() : List.copyOf(sequentialTargets);
            tracingIgnore = tracingIgnore == null ? List.of() : List.copyOf(tracingIgnore);
            if (targetsPerSubgraph < 1) throw new IllegalArgumentException("targets per subgraph must be at least 1, got " + targetsPerSubgraph);
            Objects.requireNonNull(cache, "cache");
        }

        /** These options with mapped weights released after each subgraph (the default). */
        public Options(List<String> sequentialTargets, List<String> tracingIgnore, int targetsPerSubgraph, IntermediatesCache.Options cache) {
            this(sequentialTargets, tracingIgnore, targetsPerSubgraph, cache, true);
        }

        /** Inferred targets, no ignore, one target per subgraph, intermediates kept in memory, mapped weights released. */
        public static Options defaults() {
            return new Options(List.of(), List.of(), 1, IntermediatesCache.Options.inMemory());
        }

        /** These options with {@link #releaseMappedWeights} set to {@code release}. */
        public Options withReleaseMappedWeights(boolean release) {
            return new Options(sequentialTargets, tracingIgnore, targetsPerSubgraph, cache, release);
        }
    }

    private final Ops ops;
    private final Options options;
    private final ProgressSink progress;
    private final SubgraphListener listener;

    public SequentialPipeline(Ops ops, Options options, ProgressSink progress) {
        this(ops, options, progress, SubgraphListener.NONE);
    }

    /** A pipeline that also tells {@code listener} when each subgraph is finished. */
    public SequentialPipeline(Ops ops, Options options, ProgressSink progress, SubgraphListener listener) {
        this.ops = Objects.requireNonNull(ops, "ops");
        this.options = Objects.requireNonNull(options, "options");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void run(Module model, List<String> argumentNames, List<? extends Map<String, Tensor>> batches, CalibrationCallbacks callbacks) {
        if (batches.isEmpty())
            throw new IllegalArgumentException("the sequential pipeline needs at least one calibration batch; use the data-free pipeline without data");
        SubgraphTracer tracer = new SubgraphTracer(model, ops, options.sequentialTargets(), options.tracingIgnore(), options.targetsPerSubgraph());
        if (tracer.targets().isEmpty())
            progress.line("No sequential targets found in " + model.typeName() + "; the whole model runs as one subgraph");
        TracedSubgraphs subgraphs = TracedSubgraphs.trace(tracer, argumentNames, batches);
        progress.line(String.format(Locale.ROOT, "Traced %s into %d subgraphs (%d target modules, %d input shapes)",
                model.typeName(), subgraphs.size(), tracer.targets().size(), subgraphs.variantCount()));
        callbacks.calibrationEpochStart();
        try (IntermediatesCache cache = IntermediatesCache.fromBatches(ModelInputs.selected(batches, argumentNames), options.cache())) {
            calibrate(subgraphs, cache, callbacks);
        }
        callbacks.calibrationEpochEnd();
    }

    /**
     * The per-subgraph loop on a filled cache (without the epoch start and end events). After
     * subgraph {@code i}, batch {@code b} of the cache holds exactly the names that subgraphs after
     * {@code i} read.
     */
    public void calibrate(TracedSubgraphs subgraphs, IntermediatesCache cache, CalibrationCallbacks callbacks) {
        int count = subgraphs.size();
        for (int i = 0; i < count; i++) {
            final int index = i;
            String label = "(" + (i + 1) + "/" + count + ")";
            long start = System.nanoTime();
            cache.forEachBatch(b -> subgraphs.subgraph(b, index).inputNames(),
                    (b, inputs) -> forward(subgraphs, index, b, inputs, label));
            long calibrateNanos = report(label + ": Calibrating", cache.batchCount(), start);

            callbacks.sequentialEpochEnd(subgraphs.subgraph(index));

            long propagateNanos = 0;
            if (i < count - 1) {
                start = System.nanoTime();
                try (var _ = HookSwitch.disable()) {
                    cache.forEachBatch(b -> subgraphs.subgraph(b, index).inputNames(), (b, inputs) -> {
                        Map<String, Tensor> outputs = forward(subgraphs, index, b, inputs, label);
                        cache.update(b, outputs);
                        cache.delete(b, subgraphs.subgraph(b, index).consumedNames());
                    });
                }
                propagateNanos = report(label + ": Propagating", cache.batchCount(), start);
            }
            finish(subgraphs.subgraph(index), index, count, calibrateNanos, propagateNanos, cache);
        }
    }

    /** The subgraph-finished step: release its mapped weights (when on), then tell the listener. */
    private void finish(Subgraph subgraph, int index, int count, long calibrateNanos, long propagateNanos, IntermediatesCache cache) {
        long released = 0;
        if (options.releaseMappedWeights()) released = MappedWeights.release(subgraph.interpreter().root(), subgraph.modulesWithDescendants());
        listener.subgraphFinished(new SubgraphListener.Finished(index, count, subgraph, calibrateNanos, propagateNanos, released, cache));
    }

    private static Map<String, Tensor> forward(TracedSubgraphs subgraphs, int index, int batch, Map<String, Tensor> inputs, String label) {
        Subgraph subgraph = subgraphs.subgraph(batch, index);
        try {
            return subgraph.forward(inputs);
        } catch (RuntimeException e) {
            throw new PipelineException("subgraph " + label + " calling " + subgraph.moduleNames() + " failed on batch " + batch + ": " + e.getMessage(), e);
        }
    }

    private long report(String what, int batches, long startNanos) {
        long nanos = System.nanoTime() - startNanos;
        double seconds = nanos / 1e9;
        progress.line(String.format(Locale.ROOT, "%s %d batches in %.2f s (%.2f batches/s)", what, batches, seconds, batches / Math.max(seconds, 1e-9)));
        return nanos;
    }
}
