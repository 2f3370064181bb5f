package io.llmc4j.engine.io.safetensors;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The byte layout of one safetensors file before it is written: tensors in the reference order
 * (descending dtype alignment, then name; huggingface/safetensors {@code prepare}), their
 * {@code data_offsets} packed back to back from 0, and the encoded header.
 *
 * <p>The reference sorts by its {@code Dtype} enum, declared in increasing alignment:
 * BOOL, U8, I8, F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64; so I64 tensors
 * come first and BOOL tensors last.
 */
record WritePlan(Path target, List<Entry> entries, byte[] header) {
    /** One tensor, where its bytes go, and how to get them (at once, or made when written). */
    record Entry(TensorInfo info, Supplier<Tensor> data, boolean deferred) {
    }

    private static final Comparator<Entry> REFERENCE_ORDER = Comparator
            .comparingInt((Entry e) -> -referenceRank(e.info().dtype()))
            .thenComparing(e -> e.info().name(), CodePointOrder.INSTANCE);

    WritePlan {
        entries = List.copyOf(entries);
    }

    /** Checks the inputs and lays them out; nothing is written. */
    static WritePlan of(Path target, Map<String, Tensor> tensors, Map<String, String> metadata) {
        Map<String, String> meta = checkedMetadata(target, metadata);
        List<Entry> entries = new ArrayList<>(tensors.size());
        tensors.forEach((name, tensor) -> {
            check(target, name, tensor);
            entries.add(new Entry(new TensorInfo(name, tensor.dtype(), tensor.shape(), 0, tensor.byteSize()), () -> tensor, false));
        });
        return laidOut(target, meta, entries);
    }

    /** Checks the declarations and lays them out; no tensor data is made. */
    static WritePlan ofDeferred(Path target, Map<String, DeferredTensor> tensors, Map<String, String> metadata) {
        Map<String, String> meta = checkedMetadata(target, metadata);
        List<Entry> entries = new ArrayList<>(tensors.size());
        tensors.forEach((name, deferred) -> {
            checkName(target, name);
            if (deferred == null) throw new SafetensorsException(target, name, "the tensor is null");
            entries.add(new Entry(new TensorInfo(name, deferred.dtype(), deferred.shape(), 0, deferred.byteSize()), deferred.data(), true));
        });
        return laidOut(target, meta, entries);
    }

    private static WritePlan laidOut(Path target, Map<String, String> meta, List<Entry> entries) {
        entries.sort(REFERENCE_ORDER);
        List<Entry> placed = new ArrayList<>(entries.size());
        long offset = 0;
        for (Entry e : entries) {
            long end = Math.addExact(offset, e.info().byteSize());
            placed.add(new Entry(new TensorInfo(e.info().name(), e.info().dtype(), e.info().shape(), offset, end), e.data(), e.deferred()));
            offset = end;
        }
        byte[] header = HeaderEncoder.encode(target, meta, placed.stream().map(Entry::info).toList());
        return new WritePlan(target, placed, header);
    }

    /** Bytes in the data section. */
    long dataByteSize() {
        return entries.isEmpty() ? 0 : entries.getLast().info().endOffset();
    }

    /** Bytes in the whole file. */
    long fileByteSize() {
        return 8 + header.length + dataByteSize();
    }

    private static void check(Path target, String name, Tensor tensor) {
        checkName(target, name);
        if (tensor == null) throw new SafetensorsException(target, name, "the tensor is null");
        if (tensor.isSymbolic())
            throw new SafetensorsException(target, name, "expected a tensor with data, found a symbolic " + tensor.dtype() + tensor.shape());
    }

    private static void checkName(Path target, String name) {
        if (name == null) throw new SafetensorsException(target, "a tensor name is null");
        if (name.equals(HeaderParser.METADATA_KEY))
            throw new SafetensorsException(target, name, "this name is reserved for the header's metadata; rename the tensor");
    }

    private static Map<String, String> checkedMetadata(Path target, Map<String, String> metadata) {
        if (metadata == null) return Map.of();
        Map<String, String> copy = new LinkedHashMap<>();
        metadata.forEach((key, value) -> {
            if (key == null || value == null)
                throw new SafetensorsException(target, "metadata must map non-null strings to non-null strings, found "
                        + key + " -> " + value);
            copy.put(key, value);
        });
        return copy;
    }

    /** Position of {@code dtype} in the reference's alignment-ordered {@code Dtype} enum. */
    static int referenceRank(DType dtype) {
        return switch (dtype) {
            case BOOL -> 0;
            case U8 -> 1;
            case I8 -> 2;
            case F8_E5M2 -> 3;
            case F8_E4M3 -> 4;
            case I16 -> 5;
            case F16 -> 7;
            case BF16 -> 8;
            case I32 -> 9;
            case F32 -> 11;
            case F64 -> 12;
            case I64 -> 13;
        };
    }
}
