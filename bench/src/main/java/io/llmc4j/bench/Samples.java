package io.llmc4j.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Throughput samples of one benchmark (higher is better): best and median. */
final class Samples {
    private final List<Double> values = new ArrayList<>();

    void add(double value) {
        values.add(value);
    }

    double best() {
        return values.isEmpty() ? Double.NaN : Collections.max(values);
    }

    double median() {
        if (values.isEmpty()) return Double.NaN;
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    @Override
    public String toString() {
        return String.format("%.1f / %.1f", best(), median());
    }
}
