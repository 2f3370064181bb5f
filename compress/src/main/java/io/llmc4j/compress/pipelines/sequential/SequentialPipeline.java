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
 *       inputs as the subgraphs before computed them with the weights the modifiers left there) and
 *       stores the outputs; then {@link CalibrationCallbacks#sequentialEpochEnd} lets the modifiers
 *       compress it; when a modifier replaced one of its parameters (or hooks alter outputs), pass 2
 *       runs every batch with all hooks off ({@link HookSwitch#disable()}) and stores the outputs
 *       again, else pass 1's outputs stand; the names no later subgraph reads are deleted. The last
 *       subgraph has no pass 2: nothing reads its outputs. A subgraph that neither it nor a later one
 *       observes (no hooks) is not run at all.</li>
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
     *
     * <p>Pass 1 stores its outputs. After {@code SEQUENTIAL_EPOCH_END}, pass 2 runs only when the
     * outputs of pass 1 no longer hold: a modifier replaced a parameter or buffer of the subgraph
     * ({@link SubgraphParameters}), or the callbacks say hooks alter outputs
     * ({@link CalibrationCallbacks#hooksAlterOutputs()}). A subgraph whose modules, and those of
     * every later subgraph, have no hooks is not run at all (e.g. the tail with an ignored lm_head):
     * its modifiers still hear its epoch end.
     */
    public void calibrate(TracedSubgraphs subgraphs, IntermediatesCache cache, CalibrationCallbacks callbacks) {
        int count = subgraphs.size();
        boolean[] needed = neededSubgraphs(subgraphs);
        for (int i = 0; i < count; i++) {
            final int index = i;
            final boolean last = i == count - 1;
            String label = "(" + (i + 1) + "/" + count + ")";
            if (!needed[i]) {
                progress.line(label + ": Skipped (no hooks in this or a later subgraph: nothing reads its outputs)");
                callbacks.sequentialEpochEnd(subgraphs.subgraph(index));
                finish(subgraphs.subgraph(index), index, count, 0, 0, cache);
                continue;
            }
            long start = System.nanoTime();
            cache.forEachBatch(b -> subgraphs.subgraph(b, index).inputNames(), (b, inputs) -> {
                Map<String, Tensor> outputs = forward(subgraphs, index, b, inputs, label);
                if (!last) cache.update(b, outputs);
            });
            long calibrateNanos = report(label + ": Calibrating", cache.batchCount(), start);

            SubgraphParameters before = SubgraphParameters.of(subgraphs.subgraph(index));   // every shape's trace calls the same modules
            callbacks.sequentialEpochEnd(subgraphs.subgraph(index));

            long propagateNanos = 0;
            if (!last) {
                start = System.nanoTime();
                if (SubgraphParameters.of(subgraphs.subgraph(index)).changedSince(before) || callbacks.hooksAlterOutputs()) {
                    try (var _ = HookSwitch.disable()) {
                        cache.forEachBatch(b -> subgraphs.subgraph(b, index).inputNames(), (b, inputs) -> {
                            cache.update(b, forward(subgraphs, index, b, inputs, label));
                            cache.delete(b, subgraphs.subgraph(b, index).consumedNames());
                        });
                    }
                    propagateNanos = report(label + ": Propagating", cache.batchCount(), start);
                } else {
                    for (int b = 0; b < cache.batchCount(); b++) cache.delete(b, subgraphs.subgraph(b, index).consumedNames());
                    progress.line(label + ": Propagating: the calibration pass's outputs (no weights changed)");
                }
            }
            finish(subgraphs.subgraph(index), index, count, calibrateNanos, propagateNanos, cache);
        }
    }

    /**
     * Subgraph {@code i} must run when a module of it or of a later subgraph has hooks (observers,
     * Hessians): later hooks need its outputs. Every input shape's trace calls the same modules.
     */
    private static boolean[] neededSubgraphs(TracedSubgraphs subgraphs) {
        int count = subgraphs.size();
        boolean[] needed = new boolean[count];
        boolean later = false;
        for (int i = count - 1; i >= 0; i--) {
            later |= hasHooks(subgraphs.subgraph(i));
            needed[i] = later;
        }
        return needed;
    }

    private static boolean hasHooks(Subgraph subgraph) {
        Module root = subgraph.interpreter().root();
        for (String path : subgraph.modulesWithDescendants()) if ((path.isEmpty() ? root : root.submodule(path)).hasHooks()) return true;
        return false;
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
