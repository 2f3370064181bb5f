package io.llmc4j.compress.pipelines.sequential;

import io.llmc4j.compress.pipelines.IntermediatesCache;

/**
 * Hears from the {@link SequentialPipeline} when a subgraph is finished: after its calibration
 * pass, the modifiers' epoch end, its propagation pass (none for the last subgraph) and the release
 * of its mapped weights. Called on the pipeline's thread; benchmarks use it to sample memory and
 * time per subgraph.
 */
@FunctionalInterface
public interface SubgraphListener {
    /** A listener that ignores everything. */
    SubgraphListener NONE = finished -> {
    };

    void subgraphFinished(Finished finished);

    /**
     * One finished subgraph.
     *
     * @param index              0-based subgraph index
     * @param count              number of subgraphs
     * @param subgraph           the subgraph (of the first input shape's trace)
     * @param calibrateNanos     wall time of pass 1 (hooks on), all batches; 0 for a skipped subgraph
     * @param propagateNanos     wall time of pass 2 (hooks off, outputs stored); 0 when it did not run (the
     *                           last subgraph, pass 1's outputs kept, or the subgraph skipped)
     * @param releasedBytes      bytes of mapped weights released; 0 when releasing is off
     * @param cache              the intermediates cache, as it is now (read its sizes, do not modify it)
     */
    record Finished(int index, int count, Subgraph subgraph, long calibrateNanos, long propagateNanos, long releasedBytes, IntermediatesCache cache) {
    }
}
