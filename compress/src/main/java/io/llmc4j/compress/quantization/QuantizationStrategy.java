package io.llmc4j.compress.quantization;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which elements share one scale / zero point (compressed-tensors {@code QuantizationStrategy}).
 *
 * <pre>
 *   TENSOR        one for the whole tensor                   scale (1,)
 *   CHANNEL       one per output row of a weight             scale (rows, 1)
 *   GROUP         one per group_size consecutive columns     scale (rows, cols / group_size)
 *   BLOCK         one per block_structure tile (zero-padded) scale (ceil(rows/bh), ceil(cols/bw))
 *   TOKEN         one per token of an activation (dynamic)   scale (batch, tokens, 1)
 *   TENSOR_GROUP  GROUP plus one f32 global scale (NVFP4)
 *   ATTN_HEAD     one per attention head
 * </pre>
 */
public enum QuantizationStrategy {
    TENSOR("tensor"),
    CHANNEL("channel"),
    GROUP("group"),
    BLOCK("block"),
    TOKEN("token"),
    TENSOR_GROUP("tensor_group"),
    ATTN_HEAD("attn_head");

    private final String value;

    QuantizationStrategy(String value) {
        this.value = value;
    }

    /** The recipe spelling. */
    public String value() {
        return value;
    }

    /** True for GROUP and TENSOR_GROUP, whose columns split into groups of {@code group_size}. */
    public boolean isGrouped() {
        return this == GROUP || this == TENSOR_GROUP;
    }

    /** Parses a recipe value, case-insensitively. */
    public static QuantizationStrategy parse(String text) {
        for (QuantizationStrategy s : values()) {
            if (s.value.equals(text.toLowerCase(Locale.ROOT))) return s;
        }
        throw new QuantizationConfigException("strategy", "expected one of "
                + Arrays.stream(values()).map(QuantizationStrategy::value).collect(Collectors.joining(", ")) + ", found '" + text + "'");
    }
}
