package io.llmc4j.engine.io.tokenizer;

import java.util.Arrays;

/** A growable list of ints (token ids) without boxing. Not thread-safe. */
final class IntList {
    private int[] values = new int[16];
    private int size;

    void add(int value) {
        if (size == values.length)
            values = Arrays.copyOf(values, Math.max(16, Math.multiplyExact(size, 2)));
        values[size++] = value;
    }

    void addAll(int[] more) {
        for (int v : more)
            add(v);
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
