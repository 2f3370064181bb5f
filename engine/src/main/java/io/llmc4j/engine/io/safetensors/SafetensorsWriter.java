package io.llmc4j.engine.io.safetensors;

import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Writes named tensors into one safetensors file, byte for byte as huggingface/safetensors
 * {@code serialize_to_file} lays it out:
 * <pre>
 * [u64 LE header length][header JSON, space-padded to a multiple of 8][tensor data, back to back]
 * </pre>
 * Tensors are ordered by descending dtype alignment, then by name (code point order), whatever the
 * iteration order of the map; the header lists them in that order after {@code __metadata__}. Data is
 * the tensors' little-endian bytes in row-major order; strided views are gathered while writing.
 *
 * <p>Streaming: tensors are copied one at a time through a small buffer, so memory use does not grow
 * with the checkpoint. Atomic: the file is written to a temporary file beside the target, forced to
 * disk and renamed over the target; on any failure the temporary file is deleted and the target is
 * left as it was. Stateless and thread-safe; the tensors must not change while being written.
 */
public final class SafetensorsWriter {
    private SafetensorsWriter() {
    }

    /**
     * Writes {@code tensors} and {@code metadata} (may be empty or null: no {@code __metadata__}) to
     * {@code target}, replacing it if it exists. The target's directory must exist.
     *
     * @throws SafetensorsException naming the target (and tensor) on any failure
     */
    public static void write(Path target, Map<String, Tensor> tensors, Map<String, String> metadata) {
        WritePlan plan = WritePlan.of(target, tensors, metadata);
        Path temporary = writeTemporary(plan);
        AtomicFiles.commit(temporary, target);
    }

    /** Writes {@code plan} to a new temporary file beside its target and returns it; deletes it on failure. */
    static Path writeTemporary(WritePlan plan) {
        Path target = plan.target();
        Path temporary = AtomicFiles.createTemporary(target);
        try {
            fill(plan, temporary);
            return temporary;
        } catch (RuntimeException | Error e) {
            AtomicFiles.deleteAfterFailure(temporary, e);
            throw e;
        }
    }

    private static void fill(WritePlan plan, Path temporary) {
        Path target = plan.target();
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
             TensorDataWriter out = new TensorDataWriter(channel, TensorDataWriter.DEFAULT_BUFFER_BYTES)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(plan.header().length).array());
            out.write(plan.header());
            for (WritePlan.Entry entry : plan.entries()) writeTensor(target, out, entry);
            out.flush();
            if (channel.size() != plan.fileByteSize())
                throw new SafetensorsException(target, "wrote " + channel.size() + " bytes, expected " + plan.fileByteSize());
            channel.force(true);
        } catch (IOException e) {
            throw new SafetensorsException(target, "cannot write " + temporary.getFileName() + ": " + e, e);
        }
    }

    private static void writeTensor(Path target, TensorDataWriter out, WritePlan.Entry entry) throws IOException {
        TensorInfo info = entry.info();
        Tensor tensor;
        try {
            tensor = entry.data().get();
        } catch (SafetensorsException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SafetensorsException(target, info.name(), "cannot make the tensor's data (" + info.dtype() + info.shape()
                    + "): " + e.getMessage(), e);
        }
        if (entry.deferred()) {
            if (tensor == null) throw new SafetensorsException(target, info.name(), "the deferred tensor's data is null");
            if (tensor.isSymbolic() || tensor.dtype() != info.dtype() || !tensor.shape().equals(info.shape()))
                throw new SafetensorsException(target, info.name(), "declared as " + info.dtype() + info.shape() + " but its data is "
                        + (tensor.isSymbolic() ? "symbolic " : "") + tensor.dtype() + tensor.shape());
        }
        try {
            out.write(tensor);
        } catch (SafetensorsException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SafetensorsException(target, entry.info().name(), "cannot read the tensor's data ("
                    + entry.info().dtype() + entry.info().shape() + "): " + e.getMessage(), e);
        }
    }
}
