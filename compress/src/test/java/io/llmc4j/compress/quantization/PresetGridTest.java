package io.llmc4j.compress.quantization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.compress.testing.GoldenCases;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The integer {@code W<w>A<a>} presets of compressed-tensors 0.18.1 ({@code _int_wnam}): symmetric int
 * group-128 weights, plus dynamic per-token int activations when a &lt; 16. The expected config group is
 * derived from the library's own written groups in the golden cases: the int4 group-16 weight-only group
 * ({@code compress/W4A16_sym_group16_W16x64}) with num_bits and group_size changed, and the dynamic token
 * input group of {@code bf16/compress_W8A8_int_W16x64} with num_bits changed.
 */
class PresetGridTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyGridPresetIsTheLibrarysConfigGroup() {
        JsonNode weightGroup = GoldenCases.byId("compress/W4A16_sym_group16_W16x64").record().get("quantization_config").get("config_groups").get("group_0");
        JsonNode tokenInput = GoldenCases.byId("bf16/compress_W8A8_int_W16x64").record().get("quantization_config").get("config_groups").get("group_0")
                .get("input_activations");
        List<String> seen = new ArrayList<>();
        for (int w = 2; w <= 8; w++) {
            for (int a : new int[] {4, 8, 16}) {
                String name = "W" + w + "A" + a;
                if (w > a || name.equals("W8A8")) continue;
                ObjectNode expected = ((ObjectNode) weightGroup).deepCopy();
                expected.remove("format");
                ((ObjectNode) expected.get("weights")).put("num_bits", w).put("group_size", 128);
                if (a < 16) expected.set("input_activations", ((ObjectNode) tokenInput).deepCopy().put("num_bits", a));
                assertTrue(QuantizationPresets.isPreset(name.toLowerCase()), name);
                ObjectNode actual = JSON.valueToTree(QuantizationPresets.scheme(name, List.of("Linear")).toJson());
                actual.remove("format");   // the writer's choice, not part of the scheme
                assertEquals(expected, actual, name);
                seen.add(name);
            }
        }
        assertEquals(16, seen.size(), seen.toString());
        assertFalse(QuantizationPresets.isPreset("W3A3"));
        assertFalse(QuantizationPresets.isPreset("W9A16"));
    }

    @Test
    void w8a16IsInt8Group128NotChannel() {
        QuantizationScheme w8a16 = QuantizationPresets.scheme("W8A16", List.of("Linear"));
        assertEquals(QuantizationStrategy.GROUP, w8a16.weights().strategy());
        assertEquals(128, w8a16.weights().groupSize());
        assertEquals(8, w8a16.weights().numBits());
    }

    @Test
    void presetsAreListedInTheLibrarysOrder() {
        List<String> names = List.copyOf(QuantizationPresets.names());
        assertEquals(List.of("UNQUANTIZED", "W4A16_ASYM", "W8A8", "INT8", "W4AFP8", "FP8", "FP8_DYNAMIC", "FP8_BLOCK", "NVFP4A16", "NVFP4",
                "MXFP4A16", "MXFP4", "MXFP8A16", "MXFP8", "W2A4", "W2A8", "W2A16", "W3A4", "W3A8", "W3A16", "W4A4", "W4A8", "W4A16", "W5A8",
                "W5A16", "W6A8", "W6A16", "W7A8", "W7A16", "W8A16"), names);
    }
}
