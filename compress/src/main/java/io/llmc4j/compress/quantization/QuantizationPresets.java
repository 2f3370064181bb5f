package io.llmc4j.compress.quantization;

import io.llmc4j.engine.tensor.DType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Named schemes as recipes write them ({@code scheme: W4A16}), matching compressed-tensors
 * {@code preset_name_to_scheme}: names are case-insensitive; {@code INT8} is an alias of {@code W8A8}.
 *
 * <pre>
 *   W4A16_ASYM                 int4 asymmetric group-128 weights
 *   W8A8 (INT8)                int8 channel weights + int8 dynamic per-token activations
 *   W&lt;w&gt;A&lt;a&gt;  (w 2..8, a 4/8/16, w &lt;= a, not W8A8)
 *                              int&lt;w&gt; symmetric group-128 weights (+ int&lt;a&gt; dynamic per-token
 *                              activations when a &lt; 16): W2A4 ... W4A16, W8A16 (compressed-tensors 0.18 _int_wnam)
 *   W4AFP8                     int4 group-128 weights + FP8 dynamic per-token activations
 *   FP8                        FP8 tensor weights + FP8 static tensor activations (static_minmax)
 *   FP8_DYNAMIC                FP8 channel weights + FP8 dynamic per-token activations
 *   FP8_BLOCK                  FP8 128x128 block weights + FP8 dynamic group-128 activations
 *   NVFP4A16, NVFP4            FP4 tensor_group-16 weights (FP8 scales) [+ FP4 activations, dynamic "local"]
 *   MXFP4A16, MXFP4            FP4 group-32 weights (uint8 E8M0 scales) [+ dynamic activations]
 *   MXFP8A16, MXFP8            FP8 group-32 weights (uint8 E8M0 scales) [+ dynamic activations]
 *   UNQUANTIZED                nothing
 * </pre>
 *
 * The library's {@code NVFP4_46}/{@code NVFP4A16_46} presets need the {@code fouroversix} observer,
 * which llmc4j does not provide, and are not offered. Stateless.
 */
public final class QuantizationPresets {
    private static final Map<String, Supplier<Parts>> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("UNQUANTIZED", () -> new Parts(null, null));
        PRESETS.put("W4A16_ASYM", () -> new Parts(intGroup(4, false), null));
        PRESETS.put("W8A8", QuantizationPresets::w8a8);
        PRESETS.put("INT8", QuantizationPresets::w8a8);
        PRESETS.put("W4AFP8", () -> new Parts(intGroup(4, true), dynamicToken(8, QuantizationType.FLOAT)));
        PRESETS.put("FP8", () -> new Parts(fp8(QuantizationStrategy.TENSOR).build(),
                fp8(QuantizationStrategy.TENSOR).observer("static_minmax").build()));
        PRESETS.put("FP8_DYNAMIC", () -> new Parts(fp8(QuantizationStrategy.CHANNEL).build(), dynamicToken(8, QuantizationType.FLOAT)));
        PRESETS.put("FP8_BLOCK", () -> new Parts(fp8(QuantizationStrategy.BLOCK).blockStructure(128, 128).build(),
                fp8(QuantizationStrategy.GROUP).groupSize(128).dynamic(DynamicMode.DYNAMIC).build()));
        PRESETS.put("NVFP4A16", () -> new Parts(nvfp4().build(), null));
        PRESETS.put("NVFP4", () -> new Parts(nvfp4().build(), nvfp4().dynamic(DynamicMode.LOCAL).observer("static_minmax").build()));
        PRESETS.put("MXFP4A16", () -> new Parts(mx(4).build(), null));
        PRESETS.put("MXFP4", () -> new Parts(mx(4).build(), mx(4).dynamic(DynamicMode.DYNAMIC).build()));
        PRESETS.put("MXFP8A16", () -> new Parts(mx(8).build(), null));
        PRESETS.put("MXFP8", () -> new Parts(mx(8).build(), mx(8).dynamic(DynamicMode.DYNAMIC).build()));
        for (int weightBits = 2; weightBits <= 8; weightBits++)
            for (int actBits : new int[] {4, 8, 16})
                if (weightBits <= actBits && !(weightBits == 8 && actBits == 8)) putIntGrid(weightBits, actBits);
    }

    /** {@code W<w>A<a>} of the library's {@code _int_wnam} grid: int group-128 weights, dynamic per-token int activations when a &lt; 16. */
    private static void putIntGrid(int weightBits, int actBits) {
        PRESETS.put("W" + weightBits + "A" + actBits, () -> new Parts(intGroup(weightBits, true),
                actBits < 16 ? dynamicToken(actBits, QuantizationType.INT) : null));
    }

    private QuantizationPresets() {
    }

    /** The scheme named {@code name} applied to {@code targets}. */
    public static QuantizationScheme scheme(String name, List<String> targets) {
        Supplier<Parts> preset = PRESETS.get(name.toUpperCase(Locale.ROOT));
        if (preset == null)
            throw new QuantizationConfigException("scheme", "Unknown preset scheme name " + name.toUpperCase(Locale.ROOT)
                    + ", available names: " + String.join(", ", PRESETS.keySet()));
        Parts parts = preset.get();
        return new QuantizationScheme(targets, parts.weights, parts.inputs, null, null);
    }

    /** True when {@code name} names a preset (case-insensitive). */
    public static boolean isPreset(String name) {
        return PRESETS.containsKey(name.toUpperCase(Locale.ROOT));
    }

    /** All preset names, in the library's order. */
    public static Set<String> names() {
        return PRESETS.keySet();
    }

    private record Parts(QuantizationArgs weights, QuantizationArgs inputs) {
    }

    private static Parts w8a8() {
        return new Parts(QuantizationArgs.builder().numBits(8).strategy(QuantizationStrategy.CHANNEL).build(),
                dynamicToken(8, QuantizationType.INT));
    }

    private static QuantizationArgs intGroup(int bits, boolean symmetric) {
        return QuantizationArgs.builder().numBits(bits).strategy(QuantizationStrategy.GROUP).groupSize(128).symmetric(symmetric).build();
    }

    private static QuantizationArgs dynamicToken(int bits, QuantizationType type) {
        return QuantizationArgs.builder().numBits(bits).type(type).strategy(QuantizationStrategy.TOKEN).dynamic(DynamicMode.DYNAMIC).build();
    }

    private static QuantizationArgs.Builder fp8(QuantizationStrategy strategy) {
        return QuantizationArgs.builder().numBits(8).type(QuantizationType.FLOAT).strategy(strategy);
    }

    private static QuantizationArgs.Builder nvfp4() {
        return QuantizationArgs.builder().numBits(4).type(QuantizationType.FLOAT).strategy(QuantizationStrategy.TENSOR_GROUP)
                .groupSize(16).scaleDtype(DType.F8_E4M3).zpDtype(DType.F8_E4M3);
    }

    private static QuantizationArgs.Builder mx(int bits) {
        return QuantizationArgs.builder().numBits(bits).type(QuantizationType.FLOAT).strategy(QuantizationStrategy.GROUP)
                .groupSize(32).scaleDtype(DType.U8).zpDtype(DType.U8);
    }
}
