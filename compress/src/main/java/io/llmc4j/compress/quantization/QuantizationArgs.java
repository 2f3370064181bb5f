package io.llmc4j.compress.quantization;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.llmc4j.engine.tensor.DType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How one tensor role (weights, input or output activations) is quantized; matches compressed-tensors
 * {@code QuantizationArgs} (0.18), including its validation and inference, which run in the compact
 * constructor:
 *
 * <ul>
 *   <li>{@code strategy} follows {@code group_size} when absent: none → tensor, &gt;0 → group, −1 → channel.
 *   <li>token needs {@code dynamic}; group and tensor_group need {@code group_size > 0}, and a positive
 *       {@code group_size} needs one of them; block and {@code block_structure} go together; actorder
 *       group needs a grouped strategy; dynamic needs token, tensor, group or tensor_group, and
 *       {@code "local"} needs tensor_group.
 *   <li>{@code observer}: dynamic {@code true} → none; {@code "local"} without one → {@code minmax};
 *       static without one → {@code memoryless_minmax}.
 *   <li>{@code zp_dtype} when absent: FP8 E4M3 for 4-bit float, else the quantized type (int8 for int
 *       up to 8 bits, int16 up to 16, FP8 for 8-bit float).
 * </ul>
 *
 * <p>Bounds the reference leaves open are checked here: int needs 1..16 bits, float 4 or 8, and block
 * sides must be positive. Recipes are read by {@link QuantizationArgsReader} (snake_case keys, unknown
 * keys rejected); {@link #toJson()} writes the dict {@code quantization_config} holds, in the library's
 * key order, with {@code zp_dtype} null for symmetric args. Immutable and thread-safe.
 *
 * @param numBits bits per quantized value
 * @param type integer or float grid
 * @param symmetric zero point fixed at 0 when true
 * @param groupSize columns per group (group strategies), −1 for channel, or null
 * @param strategy which elements share a scale; inferred when null
 * @param blockStructure [block rows, block cols] for the block strategy, or null
 * @param dynamic when parameters are computed
 * @param actorder GPTQ activation ordering, or null
 * @param scaleDtype dtype scales are rounded to (FP8 for NVFP4, uint8 E8M0 exponents for MX), or null
 * @param zpDtype dtype of the zero point; inferred when null
 * @param observer observer registry name, or null for dynamic args
 * @param observerKwargs observer options such as {@code averaging_constant}
 */
public record QuantizationArgs(
        int numBits,
        QuantizationType type,
        boolean symmetric,
        Integer groupSize,
        QuantizationStrategy strategy,
        List<Integer> blockStructure,
        DynamicMode dynamic,
        ActivationOrdering actorder,
        DType scaleDtype,
        DType zpDtype,
        String observer,
        Map<String, Object> observerKwargs) {

    /** Observer used for static args that name none. */
    public static final String DEFAULT_OBSERVER = "memoryless_minmax";

    public QuantizationArgs {
        if (type == null) type = QuantizationType.INT;
        if (dynamic == null) dynamic = DynamicMode.STATIC;
        observerKwargs = observerKwargs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(observerKwargs));
        blockStructure = blockStructure == null ? null : List.copyOf(blockStructure);
        checkBits(numBits, type);
        if (groupSize != null && groupSize < -1)
            throw new QuantizationConfigException("group_size",
                    "Invalid group size " + groupSize + ". Use group_size > 0 for strategy='group' and group_size = -1 for 'channel'");
        if (blockStructure != null && (blockStructure.size() != 2 || blockStructure.get(0) <= 0 || blockStructure.get(1) <= 0))
            throw new QuantizationConfigException("block_structure", "Invalid block_structure '" + blockStructure
                    + "'. Must be a list of two positive ints [rows, cols].");

        if (strategy == null) {
            if (groupSize == null) strategy = QuantizationStrategy.TENSOR;
            else if (groupSize > 0) strategy = QuantizationStrategy.GROUP;
            else if (groupSize == -1) strategy = QuantizationStrategy.CHANNEL;
            else throw new QuantizationConfigException("group_size",
                        "Invalid group size " + groupSize + ". Use group_size > 0 for strategy='group' and group_size = -1 for 'channel'");
        }
        if (strategy == QuantizationStrategy.TOKEN && !dynamic.isDynamic())
            throw new QuantizationConfigException("strategy", "Cannot perform static token quantization, please use `dynamic=True`");
        if (strategy.isGrouped() && (groupSize == null || groupSize <= 0))
            throw new QuantizationConfigException("group_size",
                    "strategy " + strategy.value() + " requires group_size to be set to a positive value, found " + groupSize);
        if (groupSize != null && groupSize > 0 && !strategy.isGrouped())
            throw new QuantizationConfigException("group_size",
                    "group_size requires strategy to be set to 'group' (or 'tensor_group'), found strategy " + strategy.value());
        if (strategy == QuantizationStrategy.BLOCK && blockStructure == null)
            throw new QuantizationConfigException("block_structure", "Block strategy requires block structure");
        if (blockStructure != null && strategy != QuantizationStrategy.BLOCK)
            throw new QuantizationConfigException("block_structure", "Block structure requires block strategy, found strategy " + strategy.value());
        if (actorder == ActivationOrdering.GROUP && !strategy.isGrouped())
            throw new QuantizationConfigException("actorder",
                    "Must use group or tensor_group quantization strategy in order to apply group activation ordering, found strategy " + strategy.value());

        if (dynamic.isDynamic()) {
            if (!(strategy == QuantizationStrategy.TOKEN || strategy == QuantizationStrategy.TENSOR || strategy.isGrouped()))
                throw new QuantizationConfigException("dynamic",
                        "One of token, tensor, tensor_group, group must be used for dynamic quant., found strategy " + strategy.value());
            if (dynamic == DynamicMode.LOCAL && strategy != QuantizationStrategy.TENSOR_GROUP)
                throw new QuantizationConfigException("dynamic", "local is only supported for strategy tensor_group, found strategy " + strategy.value());
            if (dynamic == DynamicMode.DYNAMIC) observer = null;
            else if (observer == null) observer = "minmax";
        } else if (observer == null) {
            observer = DEFAULT_OBSERVER;
        }

        if (zpDtype == null) {
            zpDtype = numBits == 4 && type == QuantizationType.FLOAT ? DType.F8_E4M3 : quantizedDType(numBits, type);
        }
    }

    /** A builder with the library's defaults (8-bit symmetric int, static). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this record's values (inferred ones included). */
    public Builder toBuilder() {
        return new Builder().numBits(numBits).type(type).symmetric(symmetric).groupSize(groupSize).strategy(strategy)
                .blockStructure(blockStructure).dynamic(dynamic).actorder(actorder).scaleDtype(scaleDtype)
                .zpDtype(zpDtype).observer(observer).observerKwargs(observerKwargs);
    }

    /**
     * The dtype quantized values are stored in: int8/int16 for int, FP8 E4M3 for 8-bit float; empty for
     * 4-bit float, whose values stay in a float tensor until packed.
     */
    public Optional<DType> storageDType() {
        if (type == QuantizationType.FLOAT && numBits == 4) return Optional.empty();
        return Optional.of(quantizedDType(numBits, type));
    }

    /** True for FP4 E2M1 values (NVFP4, MXFP4). */
    public boolean isFp4() {
        return type == QuantizationType.FLOAT && numBits == 4;
    }

    /** Rows and columns of one block; only for the block strategy. */
    public int blockRows() {
        return blockStructure.get(0);
    }

    public int blockCols() {
        return blockStructure.get(1);
    }

    /** Reads the recipe dict {@code map} (see {@link QuantizationArgsReader}); used by Jackson. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static QuantizationArgs fromJson(Map<String, Object> map) {
        return QuantizationArgsReader.read(map, "");
    }

    /**
     * The dict compressed-tensors writes ({@code model_dump}): keys in the library's order, enums as their
     * recipe strings, dtypes as {@code torch.*} names, {@code zp_dtype} null when symmetric.
     */
    @JsonValue
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("num_bits", numBits);
        out.put("type", type.value());
        out.put("symmetric", symmetric);
        out.put("group_size", groupSize);
        out.put("strategy", strategy.value());
        out.put("block_structure", blockStructure);
        out.put("dynamic", dynamic.jsonValue());
        out.put("actorder", actorder == null ? null : actorder.value());
        out.put("scale_dtype", scaleDtype == null ? null : TorchDTypes.name(scaleDtype));
        out.put("zp_dtype", symmetric ? null : TorchDTypes.name(zpDtype));
        out.put("observer", observer);
        out.put("observer_kwargs", new LinkedHashMap<>(observerKwargs));
        return out;
    }

    private static void checkBits(int numBits, QuantizationType type) {
        if (type == QuantizationType.FLOAT && numBits != 4 && numBits != 8)
            throw new QuantizationConfigException("num_bits", "type float supports num_bits 4 (FP4 E2M1) or 8 (FP8 E4M3), found " + numBits);
        if (type == QuantizationType.INT && (numBits < 1 || numBits > 16))
            throw new QuantizationConfigException("num_bits", "type int supports num_bits 1 to 16, found " + numBits);
    }

    private static DType quantizedDType(int numBits, QuantizationType type) {
        if (type == QuantizationType.FLOAT) return DType.F8_E4M3;
        return numBits <= 8 ? DType.I8 : DType.I16;
    }

    /** Mutable builder; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private int numBits = 8;
        private QuantizationType type = QuantizationType.INT;
        private boolean symmetric = true;
        private Integer groupSize;
        private QuantizationStrategy strategy;
        private List<Integer> blockStructure;
        private DynamicMode dynamic = DynamicMode.STATIC;
        private ActivationOrdering actorder;
        private DType scaleDtype;
        private DType zpDtype;
        private String observer;
        private Map<String, Object> observerKwargs = Map.of();

        private Builder() {
        }

        public Builder numBits(int value) {
            numBits = value;
            return this;
        }

        public Builder type(QuantizationType value) {
            type = value;
            return this;
        }

        public Builder symmetric(boolean value) {
            symmetric = value;
            return this;
        }

        public Builder groupSize(Integer value) {
            groupSize = value;
            return this;
        }

        public Builder strategy(QuantizationStrategy value) {
            strategy = value;
            return this;
        }

        public Builder blockStructure(List<Integer> value) {
            blockStructure = value;
            return this;
        }

        public Builder blockStructure(int rows, int cols) {
            blockStructure = List.of(rows, cols);
            return this;
        }

        public Builder dynamic(DynamicMode value) {
            dynamic = value;
            return this;
        }

        public Builder actorder(ActivationOrdering value) {
            actorder = value;
            return this;
        }

        public Builder scaleDtype(DType value) {
            scaleDtype = value;
            return this;
        }

        public Builder zpDtype(DType value) {
            zpDtype = value;
            return this;
        }

        public Builder observer(String value) {
            observer = value;
            return this;
        }

        public Builder observerKwargs(Map<String, Object> value) {
            observerKwargs = value;
            return this;
        }

        public QuantizationArgs build() {
            return new QuantizationArgs(numBits, type, symmetric, groupSize, strategy, blockStructure, dynamic, actorder,
                    scaleDtype, zpDtype, observer, observerKwargs);
        }
    }
}
