package io.llmc4j.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} command-line options of the bench commands. */
final class BenchArgs {
    private final Map<String, String> values;

    private BenchArgs(Map<String, String> values) {
        this.values = values;
    }

    static BenchArgs parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length)
                throw new IllegalArgumentException("expected '--name value' pairs, got '" + args[i] + "'");
            values.put(args[i].substring(2), args[++i]);
        }
        return new BenchArgs(values);
    }

    int integer(String name, int fallback) {
        String value = values.get(name);
        return value == null ? fallback : Integer.parseInt(value);
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** A comma-separated list of sizes such as {@code 512x2048,64x4096}, each with {@code dims} numbers. */
    List<int[]> sizes(String name, String fallback, int dims) {
        List<int[]> sizes = new ArrayList<>();
        for (String text : text(name, fallback).split(",")) {
            String[] parts = text.trim().toLowerCase().split("x");
            if (parts.length != dims) throw new IllegalArgumentException("--" + name + ": '" + text + "' is not " + dims + " numbers joined by 'x'");
            int[] size = new int[dims];
            for (int i = 0; i < dims; i++) size[i] = Integer.parseInt(parts[i]);
            sizes.add(size);
        }
        return sizes;
    }
}
