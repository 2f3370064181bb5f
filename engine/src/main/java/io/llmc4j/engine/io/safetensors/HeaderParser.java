package io.llmc4j.engine.io.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns the header bytes of a safetensors file into tensor entries and metadata, checking the JSON
 * itself: valid UTF-8, a single JSON object (starting with '{', optionally followed by spaces), no
 * duplicate keys, {@code __metadata__} a string-to-string map, and for each tensor a known
 * {@code dtype}, a {@code shape} of non-negative integers and {@code data_offsets} [begin, end] with
 * begin <= end. How the entries sit in the data section is {@link HeaderValidator}'s job.
 *
 * <p>Unknown keys inside a tensor entry are ignored, as the reference implementation
 * (huggingface/safetensors, {@code TensorInfo} deserialization) ignores them.
 */
final class HeaderParser {
    static final String METADATA_KEY = "__metadata__";

    /** What the header says, tensors in header order. */
    record ParsedHeader(Map<String, String> metadata, List<TensorInfo> tensors) {
    }

    private HeaderParser() {
    }

    static ParsedHeader parse(Path file, byte[] headerBytes) {
        String text = decodeUtf8(file, headerBytes);
        if (text.isEmpty() || text.charAt(0) != '{')
            throw new SafetensorsException(file, "header must be a JSON object starting with '{', found "
                    + (text.isEmpty() ? "nothing" : "'" + abbreviate(text) + "'"));
        JsonNode root = SafetensorsJson.parse(file, "header", text);
        if (!root.isObject())
            throw new SafetensorsException(file, "header must be a JSON object, found " + SafetensorsJson.kind(root));
        Map<String, String> metadata = Map.of();
        List<TensorInfo> tensors = new ArrayList<>(root.size());
        for (var field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) metadata = metadata(file, field.getValue());
            else tensors.add(tensor(file, field.getKey(), field.getValue()));
        }
        return new ParsedHeader(metadata, tensors);
    }

    private static Map<String, String> metadata(Path file, JsonNode node) {
        if (!node.isObject())
            throw new SafetensorsException(file, METADATA_KEY + " must be an object mapping strings to strings, found "
                    + SafetensorsJson.kind(node));
        Map<String, String> metadata = new LinkedHashMap<>();
        for (var entry : node.properties()) {
            if (!entry.getValue().isTextual())
                throw new SafetensorsException(file, METADATA_KEY + " must map strings to strings, but key '" + entry.getKey()
                        + "' holds " + SafetensorsJson.kind(entry.getValue()));
            metadata.put(entry.getKey(), entry.getValue().textValue());
        }
        return metadata;
    }

    private static TensorInfo tensor(Path file, String name, JsonNode node) {
        if (!node.isObject())
            throw new SafetensorsException(file, name, "expected an object with dtype, shape and data_offsets, found "
                    + SafetensorsJson.kind(node));
        DType dtype = dtype(file, name, node.get("dtype"));
        long[] dims = nonNegativeIntegers(file, name, "shape", node.get("shape"), -1);
        long[] offsets = nonNegativeIntegers(file, name, "data_offsets", node.get("data_offsets"), 2);
        if (offsets[0] > offsets[1])
            throw new SafetensorsException(file, name, "data_offsets " + Arrays.toString(offsets)
                    + " must be [begin, end] with begin <= end");
        Shape shape;
        try {
            shape = Shape.of(dims);
        } catch (ArithmeticException e) {
            throw new SafetensorsException(file, name, "shape " + Arrays.toString(dims) + " has more elements than fit in a long", e);
        }
        return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static DType dtype(Path file, String name, JsonNode node) {
        if (node == null || !node.isTextual())
            throw new SafetensorsException(file, name, "dtype must be a string such as \"F32\", found " + SafetensorsJson.kind(node));
        String text = node.textValue();
        for (DType t : DType.values()) {
            if (t.safetensorsName().equals(text)) return t;
        }
        throw new SafetensorsException(file, name, "unknown dtype '" + text + "', expected one of "
                + Arrays.stream(DType.values()).map(DType::safetensorsName).collect(Collectors.joining(", ")));
    }

    /** A list of non-negative integers; {@code length} -1 means any length. */
    private static long[] nonNegativeIntegers(Path file, String name, String key, JsonNode node, int length) {
        String expected = length < 0 ? "a list of non-negative integers" : "a list of " + length + " non-negative integers";
        if (node == null || !node.isArray() || (length >= 0 && node.size() != length))
            throw new SafetensorsException(file, name, key + " must be " + expected + ", found " + SafetensorsJson.kind(node));
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = SafetensorsJson.nonNegativeLong(node.get(i));
            if (values[i] < 0)
                throw new SafetensorsException(file, name, key + " must be " + expected + ", found " + node
                        + " (element " + i + " is " + SafetensorsJson.kind(node.get(i)) + ")");
        }
        return values;
    }

    private static String decodeUtf8(Path file, byte[] bytes) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsException(file, "header is not valid UTF-8 (invalid byte sequence near header byte "
                    + in.position() + ")", e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 20 ? text : text.substring(0, 20) + "...";
    }
}
