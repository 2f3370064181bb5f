package io.llmc4j.compress.quantization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.llmc4j.engine.tensor.DType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuantizationArgsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static QuantizationArgs read(Map<String, Object> map) {
        return QuantizationArgsReader.read(map, "");
    }

    @Test
    void strategyFollowsGroupSize() {
        assertEquals(QuantizationStrategy.TENSOR, read(Map.of()).strategy());
        assertEquals(QuantizationStrategy.GROUP, read(Map.of("group_size", 128)).strategy());
        assertEquals(QuantizationStrategy.CHANNEL, read(Map.of("group_size", -1)).strategy());
        QuantizationConfigException e = assertThrows(QuantizationConfigException.class, () -> read(Map.of("group_size", -2)));
        assertEquals("group_size", e.key());
    }

    @Test
    void observerDefaultsFollowDynamic() {
        assertEquals("memoryless_minmax", read(Map.of()).observer());
        assertNull(read(Map.of("strategy", "token", "dynamic", true, "observer", "memoryless")).observer());
        assertNull(read(Map.of("strategy", "token", "dynamic", true, "observer", "mse")).observer());
        QuantizationArgs local = read(Map.of("num_bits", 4, "type", "float", "strategy", "tensor_group", "group_size", 16, "dynamic", "LOCAL"));
        assertEquals(DynamicMode.LOCAL, local.dynamic());
        assertEquals("minmax", local.observer());
        assertEquals(DType.F8_E4M3, local.zpDtype());
    }

    @Test
    void zeroPointDtypeIsInferredAndSerializedOnlyWhenAsymmetric() {
        assertEquals(DType.I8, read(Map.of("num_bits", 4)).zpDtype());
        assertEquals(DType.I16, read(Map.of("num_bits", 12)).zpDtype());
        assertEquals(DType.F8_E4M3, read(Map.of("type", "float")).zpDtype());
        assertNull(read(Map.of("num_bits", 4)).toJson().get("zp_dtype"));
        assertEquals("torch.int8", read(Map.of("num_bits", 4, "symmetric", false)).toJson().get("zp_dtype"));
        assertEquals(DType.U8, read(Map.of("zp_dtype", "uint8")).zpDtype());
    }

    @Test
    void libraryRulesAreEnforcedWithTheKeyNamed() {
        assertKey("strategy", Map.of("strategy", "token"));
        assertKey("group_size", Map.of("strategy", "group"));
        assertKey("group_size", Map.of("strategy", "channel", "group_size", 16));
        assertKey("block_structure", Map.of("strategy", "block"));
        assertKey("block_structure", Map.of("block_structure", List.of(8, 16)));
        assertKey("actorder", Map.of("strategy", "channel", "actorder", "group"));
        assertKey("dynamic", Map.of("strategy", "channel", "dynamic", true));
        assertKey("dynamic", Map.of("strategy", "group", "group_size", 16, "dynamic", "local"));
        assertKey("num_bits", Map.of("type", "float", "num_bits", 6));
        assertKey("type", Map.of("type", "complex"));
        assertKey("strategy", Map.of("strategy", "row"));
        assertKey("scale_dtype", Map.of("scale_dtype", "torch.float128"));
        assertKey("symmetric", Map.of("symmetric", "yes"));
    }

    @Test
    void unknownKeyIsNamedAndValidKeysListed() {
        QuantizationConfigException e = assertThrows(QuantizationConfigException.class, () -> QuantizationArgsReader.read(
                Map.of("num_bit", 4), "config_groups.group_0.weights"));
        assertEquals("config_groups.group_0.weights.num_bit", e.key());
        assertTrue(e.getMessage().contains("num_bits, type, symmetric, group_size"), e.getMessage());
        QuantizationConfigException nested = assertThrows(QuantizationConfigException.class, () -> QuantizationArgsReader.read(
                Map.of("strategy", "token"), "config_groups.group_0.input_activations"));
        assertEquals("config_groups.group_0.input_activations.strategy", nested.key());
    }

    @Test
    void aliasesAndAlternativeSpellingsAreAccepted() {
        assertEquals(ActivationOrdering.WEIGHT, read(Map.of("strategy", "group", "group_size", 8, "actorder", "static")).actorder());
        assertEquals(ActivationOrdering.GROUP, read(Map.of("strategy", "group", "group_size", 8, "actorder", "dynamic")).actorder());
        assertEquals(ActivationOrdering.GROUP, read(Map.of("strategy", "group", "group_size", 8, "actorder", true)).actorder());
        Map<String, Object> noActorder = new HashMap<>(Map.of("actorder", false));
        assertNull(read(noActorder).actorder());
        QuantizationArgs block = read(Map.of("type", "FLOAT", "strategy", "BLOCK", "block_structure", "128x64"));
        assertEquals(List.of(128, 64), block.blockStructure());
        assertEquals(QuantizationType.FLOAT, block.type());
    }

    @Test
    void jacksonReadsRecipeYamlAndWritesTheLibraryDict() throws Exception {
        String yaml = """
                num_bits: 4
                type: int
                symmetric: false
                strategy: group
                group_size: 128
                observer: mse
                observer_kwargs: {maxshrink: 0.1}
                """;
        QuantizationArgs args = YAML.readValue(yaml, QuantizationArgs.class);
        assertEquals(128, args.groupSize());
        assertEquals(Map.of("maxshrink", 0.1), args.observerKwargs());
        String json = new ObjectMapper().writeValueAsString(args);
        assertEquals("{\"num_bits\":4,\"type\":\"int\",\"symmetric\":false,\"group_size\":128,\"strategy\":\"group\",\"block_structure\":null,"
                + "\"dynamic\":false,\"actorder\":null,\"scale_dtype\":null,\"zp_dtype\":\"torch.int8\",\"observer\":\"mse\","
                + "\"observer_kwargs\":{\"maxshrink\":0.1}}", json);
        assertEquals(args, new ObjectMapper().readValue(json, QuantizationArgs.class));
        ValueInstantiationException bad = assertThrows(ValueInstantiationException.class, () -> YAML.readValue("num_bitz: 4", QuantizationArgs.class));
        assertTrue(bad.getMessage().contains("num_bitz"), bad.getMessage());
    }

    @Test
    void presetsMatchTheLibrary() {
        QuantizationScheme w4 = QuantizationPresets.scheme("w4a16", List.of("Linear"));
        assertEquals(128, w4.weights().groupSize());
        assertNull(w4.inputActivations());
        assertEquals(QuantizationPresets.scheme("W8A8", List.of("Linear")), QuantizationPresets.scheme("INT8", List.of("Linear")));
        QuantizationScheme block = QuantizationPresets.scheme("FP8_BLOCK", List.of("Linear"));
        assertEquals(List.of(128, 128), block.weights().blockStructure());
        assertEquals(DynamicMode.DYNAMIC, block.inputActivations().dynamic());
        assertEquals(QuantizationStrategy.GROUP, block.inputActivations().strategy());
        QuantizationScheme fp8 = QuantizationPresets.scheme("FP8", List.of("Linear"));
        assertEquals("static_minmax", fp8.inputActivations().observer());
        QuantizationScheme mx = QuantizationPresets.scheme("MXFP4", List.of("Linear"));
        assertTrue(MxScales.applies(mx.weights()) && MxScales.applies(mx.inputActivations()));
        assertNull(QuantizationPresets.scheme("UNQUANTIZED", List.of("Linear")).weights());
        QuantizationConfigException unknown = assertThrows(QuantizationConfigException.class, () -> QuantizationPresets.scheme("W3A3", List.of()));
        assertTrue(unknown.getMessage().contains("W4A16_ASYM"), unknown.getMessage());
    }

    @Test
    void schemeRejectsActivationOnlyRules() {
        QuantizationArgs channel = QuantizationArgs.builder().strategy(QuantizationStrategy.CHANNEL).build();
        QuantizationConfigException e = assertThrows(QuantizationConfigException.class,
                () -> new QuantizationScheme(List.of("Linear"), null, channel, null, null));
        assertEquals("input_activations.strategy", e.key());
        QuantizationArgs ordered = QuantizationArgs.builder().strategy(QuantizationStrategy.GROUP).groupSize(16)
                .actorder(ActivationOrdering.WEIGHT).build();
        assertThrows(QuantizationConfigException.class, () -> new QuantizationScheme(List.of("Linear"), null, null, ordered, null));
        assertThrows(QuantizationConfigException.class, () -> new QuantizationScheme(List.of("Linear"), null, null, null, "mixed-precision"));
        QuantizationConfigException key = assertThrows(QuantizationConfigException.class,
                () -> QuantizationScheme.read(Map.of("targets", List.of("Linear"), "weight", Map.of()), "config_groups.group_0"));
        assertEquals("config_groups.group_0.weight", key.key());
    }

    @Test
    void statusOrderIsTheLifecycle() {
        assertTrue(QuantizationStatus.COMPRESSED.isAtLeast(QuantizationStatus.FROZEN));
        assertEquals("compressed", QuantizationStatus.COMPRESSED.value());
        assertEquals(QuantizationStatus.CALIBRATION, QuantizationStatus.parse("calibration"));
    }

    private static void assertKey(String key, Map<String, Object> map) {
        QuantizationConfigException e = assertThrows(QuantizationConfigException.class, () -> read(map), map.toString());
        assertEquals(key, e.key(), e.getMessage());
    }
}
