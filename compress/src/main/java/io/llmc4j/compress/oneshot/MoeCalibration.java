package io.llmc4j.compress.oneshot;

import io.llmc4j.compress.pipelines.ProgressSink;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.nn.SparseMoeBlock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The calibration context of mixture-of-experts blocks (LLM Compressor's
 * {@code moe_calibration_context}): while open, every {@link SparseMoeBlock} of the model runs all
 * its experts on every token when hooks are on (so every expert's observers see data) and keeps
 * its routed output; its routed-token counts start from zero. Closing restores routed-only
 * forwards and reports, per block, the tokens routed to each expert and the experts that got none.
 */
final class MoeCalibration implements AutoCloseable {
    private final Map<String, SparseMoeBlock> blocks;
    private final boolean allExperts;
    private final ProgressSink progress;

    private MoeCalibration(Map<String, SparseMoeBlock> blocks, boolean allExperts, ProgressSink progress) {
        this.blocks = blocks;
        this.allExperts = allExperts;
        this.progress = progress;
    }

    static MoeCalibration start(Module model, boolean allExperts, ProgressSink progress) {
        Map<String, SparseMoeBlock> blocks = new LinkedHashMap<>();
        for (var e : model.namedModules().entrySet()) if (e.getValue() instanceof SparseMoeBlock block) blocks.put(e.getKey(), block);
        for (SparseMoeBlock block : blocks.values()) {
            block.resetRoutedTokenCounts();
            block.setCalibrateAllExperts(allExperts);
        }
        if (!blocks.isEmpty())
            progress.line("MoE: " + blocks.size() + " sparse blocks; calibrating " + (allExperts ? "every expert on every token" : "each expert on its routed tokens only"));
        return new MoeCalibration(blocks, allExperts, progress);
    }

    @Override
    public void close() {
        for (var e : blocks.entrySet()) {
            e.getValue().setCalibrateAllExperts(false);
            long[] counts = e.getValue().routedTokenCounts();
            int[] idle = java.util.stream.IntStream.range(0, counts.length).filter(i -> counts[i] == 0).toArray();
            progress.line("MoE " + e.getKey() + ": routed tokens per expert " + Arrays.toString(counts)
                    + (idle.length == 0 ? "" : "; experts " + Arrays.toString(idle) + " received no routed token"
                    + (allExperts ? " (calibrated on all tokens)" : " (not calibrated: no activation statistics)")));
        }
    }
}
