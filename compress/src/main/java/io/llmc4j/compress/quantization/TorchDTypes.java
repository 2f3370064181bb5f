package io.llmc4j.compress.quantization;

import io.llmc4j.engine.tensor.DType;
import java.util.Locale;
import java.util.Map;

/**
 * Torch dtype names as recipes and {@code quantization_config} write them ({@code "torch.float8_e4m3fn"}),
 * mapped to engine {@link DType}s. The {@code torch.} prefix is optional when parsing.
 */
public final class TorchDTypes {
    private static final Map<String, DType> BY_NAME = Map.ofEntries(
            Map.entry("float64", DType.F64), Map.entry("double", DType.F64),
            Map.entry("float32", DType.F32), Map.entry("float", DType.F32),
            Map.entry("float16", DType.F16), Map.entry("half", DType.F16),
            Map.entry("bfloat16", DType.BF16),
            Map.entry("float8_e4m3fn", DType.F8_E4M3),
            Map.entry("float8_e5m2", DType.F8_E5M2),
            Map.entry("int64", DType.I64), Map.entry("long", DType.I64),
            Map.entry("int32", DType.I32), Map.entry("int", DType.I32),
            Map.entry("int16", DType.I16), Map.entry("short", DType.I16),
            Map.entry("int8", DType.I8),
            Map.entry("uint8", DType.U8),
            Map.entry("bool", DType.BOOL));

    private TorchDTypes() {
    }

    /** Parses {@code torch.bfloat16} or {@code bfloat16}; {@code key} names the recipe key in errors. */
    public static DType parse(String key, String text) {
        String name = text.toLowerCase(Locale.ROOT);
        if (name.startsWith("torch.")) name = name.substring("torch.".length());
        DType dtype = BY_NAME.get(name);
        if (dtype == null)
            throw new QuantizationConfigException(key, "expected a torch dtype such as torch.float8_e4m3fn, torch.uint8, "
                    + "torch.bfloat16, torch.float16, torch.float32 or torch.int8, found '" + text + "'");
        return dtype;
    }

    /** The canonical torch name, e.g. {@code torch.float8_e4m3fn}. */
    public static String name(DType dtype) {
        return "torch." + switch (dtype) {
            case F64 -> "float64";
            case F32 -> "float32";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            case F8_E4M3 -> "float8_e4m3fn";
            case F8_E5M2 -> "float8_e5m2";
            case I64 -> "int64";
            case I32 -> "int32";
            case I16 -> "int16";
            case I8 -> "int8";
            case U8 -> "uint8";
            case BOOL -> "bool";
        };
    }
}
