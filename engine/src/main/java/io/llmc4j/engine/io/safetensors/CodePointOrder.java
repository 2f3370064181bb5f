package io.llmc4j.engine.io.safetensors;

import java.util.Comparator;

/**
 * Orders strings by Unicode code point, which is the order of their UTF-8 bytes: the order in which
 * Rust's {@code String::cmp} (huggingface/safetensors) and Python's {@code sorted} (Hugging Face index
 * files) sort names. {@link String#compareTo} differs for characters outside the Basic Multilingual
 * Plane, which it compares by UTF-16 surrogate.
 */
final class CodePointOrder implements Comparator<String> {
    static final CodePointOrder INSTANCE = new CodePointOrder();

    private CodePointOrder() {
    }

    @Override
    public int compare(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i), y = b.codePointAt(j);
            if (x != y) return Integer.compare(x, y);
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
