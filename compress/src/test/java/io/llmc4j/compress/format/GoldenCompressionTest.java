package io.llmc4j.compress.format;

import static io.llmc4j.compress.format.FormatAssertions.assertSameJson;
import static io.llmc4j.compress.format.FormatAssertions.assertSameTensor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.TorchDTypes;
import io.llmc4j.compress.testing.GoldenCase;
import io.llmc4j.compress.testing.GoldenCases;
import io.llmc4j.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compressed-model golden cases (compressed-tensors 0.18.1 {@code ModelCompressor.compress_model},
 * {@code update_config} and {@code <Compressor>.decompress} on one Linear wrapped as {@code model.proj}):
 * the inferred format, every compressed tensor (name, dtype, shape, bytes), the decompressed weight and
 * the {@code quantization_config} dict must be the library's.
 */
class GoldenCompressionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<GoldenCase> compressedCases() {
        return GoldenCases.all().stream().filter(c -> c.record().has("compressed_keys"));
    }

    static QuantizationScheme scheme(GoldenCase c) {
        Map<String, Object> recipe = new LinkedHashMap<>();
        recipe.put("targets", List.of("Linear"));
        recipe.putAll(JSON.convertValue(c.record().get("scheme"), Map.class));
        return QuantizationScheme.read(recipe, c.id());
    }

    /** The case's arrays named {@code prefix + key}, by key. */
    static Map<String, Tensor> state(GoldenCase c, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : c.outputNames()) if (name.startsWith(prefix)) out.put(name.substring(prefix.length()), c.output(name));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compressedCases")
    void formatIsInferredAsTheLibraryDoes(GoldenCase c) {
        assertEquals(c.text("format").orElseThrow(), FormatInference.forScheme(scheme(c)).value(), c.id());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compressedCases")
    void compressedStateMatches(GoldenCase c) {
        QuantizationScheme scheme = scheme(c);
        Map<String, Tensor> compressed = Compressor.of(FormatInference.forScheme(scheme)).compress("model.proj", state(c, "calibrated."), scheme);
        JsonNode keys = c.record().get("compressed_keys");
        TreeSet<String> expectedNames = new TreeSet<>();
        keys.fieldNames().forEachRemaining(expectedNames::add);
        assertEquals(expectedNames, new TreeSet<>(compressed.keySet()), c.id() + ": compressed keys");
        for (String name : expectedNames) {
            Tensor actual = compressed.get(name);
            JsonNode meta = keys.get(name);
            assertEquals("torch." + meta.get("dtype").asText(), TorchDTypes.name(actual.dtype()), c.id() + " " + name + ": dtype");
            assertEquals(JSON.convertValue(meta.get("shape"), List.class).toString(), actual.shape().toString(), c.id() + " " + name + ": shape");
            assertSameTensor(c.id() + " compressed." + name, c.output("compressed." + name), actual);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compressedCases")
    void decompressionReproducesTheLibrary(GoldenCase c) {
        QuantizationScheme scheme = scheme(c);
        Map<String, Tensor> decompressed = Compressor.of(FormatInference.forScheme(scheme)).decompress("model.proj", state(c, "compressed."), scheme);
        assertSameTensor(c.id() + " decompressed.weight", c.output("decompressed.weight"), decompressed.get("weight"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compressedCases")
    void quantizationConfigIsTheLibrarys(GoldenCase c) {
        JsonNode expected = c.record().get("quantization_config");
        QuantizationConfig config = QuantizationConfig.of(new QuantizationConfigSpec(List.of(scheme(c)), List.of(), null));
        assertSameJson(c.id(), expected, config.toJson());
        assertSameJson(c.id() + " (parsed back)", expected, QuantizationConfig.parse(expected, c.id()).toJson());
    }
}
