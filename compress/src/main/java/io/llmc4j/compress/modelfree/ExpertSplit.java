package io.llmc4j.compress.modelfree;

import io.llmc4j.compress.format.FormatException;
import io.llmc4j.engine.tensor.Shape;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Fused 3-D expert tensors split into one 2-D weight per expert, as LLM Compressor's model-free
 * {@code split_fused_moe_experts} does before matching:
 *
 * <pre>
 *   NAME containing "gate_up_proj", shape [E, 2·I, H]  →  NAME with "gate_up_proj" replaced by "e.gate_proj" (rows 0..I)
 *                                                          and by "e.up_proj" (rows I..2I), ".weight" appended, for e < E
 *   NAME containing "down_proj",    shape [E, R, C]    →  NAME with "down_proj" replaced by "e.down_proj", ".weight" appended
 * </pre>
 *
 * Other tensors (2-D ones included) are kept. The split is along the second axis of each expert's
 * matrix, so a checkpoint that stores experts as [E, in, out] (GPT-OSS) is split along its input
 * axis, exactly as the reference does it. The pieces are views of the fused tensor. Stateless.
 */
final class ExpertSplit {
    /** One piece: its new name, the expert and the first row and row count within that expert's matrix. */
    record Piece(String name, int expert, long firstRow, long rows) {
        Tensor of(Tensor fused) {
            return fused.select(0, expert).narrow(0, firstRow, rows);
        }
    }

    private ExpertSplit() {
    }

    /** The pieces of tensor {@code name} of shape {@code shape}, or an empty list when it is kept whole. */
    static List<Piece> pieces(String name, Shape shape) {
        boolean gateUp = name.contains("gate_up_proj"), down = name.contains("down_proj");
        if (gateUp && down) throw new FormatException("tensor '" + name + "' names both gate_up_proj and down_proj; cannot tell how to split it");
        if (shape.rank() != 3 || !(gateUp || down)) return List.of();
        String fused = gateUp ? "gate_up_proj" : "down_proj";
        List<String> parts = gateUp ? List.of("gate_proj", "up_proj") : List.of("down_proj");
        long experts = shape.dim(0), rows = shape.dim(1);
        if (rows % parts.size() != 0)
            throw new FormatException("tensor '" + name + "' " + shape + ": " + fused + " expects a second dimension divisible by "
                    + parts.size());
        long each = rows / parts.size();
        List<Piece> out = new ArrayList<>();
        for (int e = 0; e < experts; e++) {
            for (int p = 0; p < parts.size(); p++) {
                String key = name.replace(fused, e + "." + parts.get(p));
                if (!key.endsWith(".weight")) key += ".weight";
                out.add(new Piece(key, e, p * each, each));
            }
        }
        return out;
    }
}
