package io.llmc4j.compress.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmc4j.engine.io.npy.NpyReader;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One record of {@code golden/cases.json}: its id, family, library args, calls, and the input/output
 * arrays, decoded to tensors of the torch dtype the library returned (bf16 and FP8 bit patterns are
 * reinterpreted as {@link DType#BF16} / {@link DType#F8_E4M3}).
 */
public final class GoldenCase {
    private final JsonNode node;

    GoldenCase(JsonNode node) {
        this.node = node;
    }

    public String id() {
        return node.get("id").asText();
    }

    public String family() {
        return node.get("family").asText();
    }

    public String file() {
        return node.get("file").asText();
    }

    public String description() {
        return node.path("desc").asText("");
    }

    /** The whole record. */
    public JsonNode record() {
        return node;
    }

    /** The recipe-style args dict, if the case has one. */
    public Optional<Map<String, Object>> args() {
        return map("args");
    }

    /** {@code QuantizationArgs(**args).model_dump()} after validation, if present. */
    public Optional<JsonNode> argsResolved() {
        JsonNode n = node.get("args_resolved");
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n);
    }

    /** The library calls, in order. */
    public List<String> calls() {
        List<String> out = new ArrayList<>();
        node.path("calls").forEach(c -> out.add(c.asText()));
        return out;
    }

    /** True when some call's text contains {@code fragment}. */
    public boolean callsMention(String fragment) {
        return calls().stream().anyMatch(c -> c.contains(fragment));
    }

    /** The exception the library raised, if any ({@code "ValidationError: ..."}). */
    public Optional<String> error() {
        JsonNode n = node.get("error");
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n.asText());
    }

    public Set<String> inputNames() {
        return names("inputs");
    }

    public Set<String> outputNames() {
        return names("outputs");
    }

    public boolean hasInput(String name) {
        return node.path("inputs").has(name);
    }

    public boolean hasOutput(String name) {
        return node.path("outputs").has(name);
    }

    public Tensor input(String name) {
        return tensor("inputs", name);
    }

    public Tensor output(String name) {
        return tensor("outputs", name);
    }

    /** The torch dtype name the library returned for output {@code name} ({@code float32}, {@code int8}, ...). */
    public String outputTorchDtype(String name) {
        return meta("outputs", name).get("torch_dtype").asText();
    }

    /** A top-level field as text, if present ({@code observer}, {@code format}, ...). */
    public Optional<String> text(String field) {
        JsonNode n = node.get(field);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n.asText());
    }

    @Override
    public String toString() {
        return id();
    }

    private Tensor tensor(String section, String name) {
        JsonNode meta = meta(section, name);
        Tensor raw = GoldenCases.array(file(), meta.get("key").asText());
        String storage = meta.path("storage").asText("raw");
        Tensor decoded = switch (storage) {
            case "raw" -> raw;
            case "bf16_bits_as_uint16" -> NpyReader.reinterpret(raw, DType.BF16);
            case "fp8_e4m3fn_bits_as_uint8" -> NpyReader.reinterpret(raw, DType.F8_E4M3);
            default -> throw new IllegalStateException(id() + ": unknown storage '" + storage + "' for " + section + "." + name);
        };
        long[] expected = new long[meta.get("shape").size()];
        for (int i = 0; i < expected.length; i++) expected[i] = meta.get("shape").get(i).asLong();
        if (!java.util.Arrays.equals(expected, decoded.shape().toArray()))
            throw new IllegalStateException(id() + ": " + section + "." + name + " has shape " + decoded.shape() + ", index says "
                    + java.util.Arrays.toString(expected));
        return decoded;
    }

    private JsonNode meta(String section, String name) {
        JsonNode meta = node.path(section).get(name);
        if (meta == null) throw new IllegalArgumentException(id() + " has no " + section + " array '" + name + "'; it has " + names(section));
        return meta;
    }

    private Set<String> names(String section) {
        Set<String> out = new TreeSet<>();
        node.path(section).fieldNames().forEachRemaining(out::add);
        return out;
    }

    private Optional<Map<String, Object>> map(String field) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) return Optional.empty();
        return Optional.of(GoldenCases.json().convertValue(n, new TypeReference<Map<String, Object>>() { }));
    }
}
