package io.llmc4j.compress.quantization;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.compress.testing.GoldenCase;
import io.llmc4j.compress.testing.GoldenCases;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schemes of the golden compressed-model cases, read from their recipe dicts, must serialize to the
 * {@code config_groups.group_0} that {@code ModelCompressor.update_config} wrote (all inference rules
 * applied); where the case is named after a preset, the preset must produce the same group.
 */
class GoldenSchemeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("(?:^|/)(?:compress_)?(.+?)_W\\d+x\\d+$");
    private static final Map<String, String> PRESET_OF_CASE = Map.of("NVFP4A16", "NVFP4A16", "NVFP4", "NVFP4", "MXFP4A16", "MXFP4A16",
            "MXFP8A16", "MXFP8A16", "W8A8_int", "W8A8", "FP8_static", "FP8", "FP8_DYNAMIC", "FP8_DYNAMIC");

    static Stream<GoldenCase> compressedCases() {
        return GoldenCases.all().stream().filter(c -> c.record().has("scheme") && c.record().has("quantization_config"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compressedCases")
    void schemeSerializesToTheWrittenConfigGroup(GoldenCase c) {
        ObjectNode group = expectedGroup(c);
        Map<String, Object> recipe = new LinkedHashMap<>();
        recipe.put("targets", List.of("Linear"));
        recipe.putAll(JSON.convertValue(c.record().get("scheme"), Map.class));
        QuantizationScheme scheme = QuantizationScheme.read(recipe, c.id());
        assertEquals(group, withoutFormat(JSON.valueToTree(scheme.toJson())), c.id());

        Matcher m = NAME.matcher(c.id());
        if (m.find() && PRESET_OF_CASE.containsKey(m.group(1))) {
            QuantizationScheme preset = QuantizationPresets.scheme(PRESET_OF_CASE.get(m.group(1)), List.of("Linear"));
            assertEquals(group, withoutFormat(JSON.valueToTree(preset.toJson())), c.id() + " as preset " + PRESET_OF_CASE.get(m.group(1)));
        }
    }

    private static ObjectNode expectedGroup(GoldenCase c) {
        JsonNode group = c.record().get("quantization_config").get("config_groups").get("group_0");
        return withoutFormat(group);
    }

    /** The compression format is the writer's choice, not part of the scheme the recipe names. */
    private static ObjectNode withoutFormat(JsonNode node) {
        ObjectNode copy = ((ObjectNode) node).deepCopy();
        copy.remove("format");
        return copy;
    }
}
