package io.llmc4j.compress.format;

import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationScheme;
import java.util.List;

/**
 * What the {@code quantization_config} of a compressed checkpoint says, as the quantization modifier
 * knows it: the config groups in order (written as {@code group_0}, {@code group_1}, ...), the
 * {@code ignore} list as given, and the KV-cache args or null. Formats are filled in by
 * {@link QuantizationConfig#of}. Immutable.
 */
public record QuantizationConfigSpec(List<QuantizationScheme> configGroups, List<String> ignore, QuantizationArgs kvCacheScheme) {
    public QuantizationConfigSpec {
        if (configGroups == null || configGroups.isEmpty())
            throw new IllegalArgumentException("a quantization config needs at least one config group");
        configGroups = List.copyOf(configGroups);
        ignore = ignore == null ? List.of() : List.copyOf(ignore);
    }
}
