package io.llmc4j.compress.oneshot;

import io.llmc4j.compress.core.MetricsLogger;
import io.llmc4j.compress.pipelines.ProgressSink;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes each metric record as one progress line: {@code TAG: name value, name value, ...} (values in their map's order). */
record ProgressMetrics(ProgressSink progress) implements MetricsLogger {
    @Override
    public void logScalars(String tag, Map<String, Double> values, long step) {
        progress.line(tag + ": " + values.entrySet().stream()
                .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.6g", e.getValue())).collect(Collectors.joining(", ")));
    }
}
