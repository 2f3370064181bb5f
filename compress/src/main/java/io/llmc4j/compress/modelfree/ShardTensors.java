package io.llmc4j.compress.modelfree;

import io.llmc4j.engine.io.safetensors.SafetensorsFile;
import io.llmc4j.engine.io.safetensors.TensorInfo;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The tensors of one safetensors shard as a model-free run sees them: the file's tensors in header
 * order, fused 3-D experts replaced by their per-expert pieces ({@link ExpertSplit}). Built from the
 * header alone; {@link Item#read()} returns a view of the mapped file (no copy). Immutable;
 * thread-safe as the file is.
 */
record ShardTensors(SafetensorsFile file, List<Item> items) {
    /** One tensor: its name in the output, dtype and shape, the stored tensor it comes from and the piece of it (or null). */
    record Item(SafetensorsFile file, String name, DType dtype, Shape shape, String source, ExpertSplit.Piece piece) {
        Tensor read() {
            Tensor whole = file.get(source);
            return piece == null ? whole : piece.of(whole);
        }

        /** Where this tensor is, for messages. */
        String where() {
            return "tensor '" + name + "'" + (piece == null ? "" : " (expert " + piece.expert() + " of '" + source + "')") + " in "
                    + file.path();
        }
    }

    ShardTensors {
        items = List.copyOf(items);
    }

    static ShardTensors of(SafetensorsFile file) {
        List<Item> items = new ArrayList<>();
        for (TensorInfo info : file.tensorInfos()) {
            List<ExpertSplit.Piece> pieces = ExpertSplit.pieces(info.name(), info.shape());
            if (pieces.isEmpty()) {
                items.add(new Item(file, info.name(), info.dtype(), info.shape(), info.name(), null));
                continue;
            }
            for (ExpertSplit.Piece p : pieces)
                items.add(new Item(file, p.name(), info.dtype(), Shape.of(p.rows(), info.shape().dim(2)), info.name(), p));
        }
        return new ShardTensors(file, items);
    }
}
