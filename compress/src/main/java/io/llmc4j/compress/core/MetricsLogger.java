package io.llmc4j.compress.core;

import java.util.Map;

/** Receives scalar metrics (e.g. the loss) keyed by a tag and a step; implementations decide where they go. */
@FunctionalInterface
public interface MetricsLogger {
    void logScalars(String tag, Map<String, Double> values, long step);
}
