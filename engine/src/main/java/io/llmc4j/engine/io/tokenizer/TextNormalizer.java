package io.llmc4j.engine.io.tokenizer;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code normalizer} of a {@code tokenizer.json}: rewrites each span of text that is not an
 * added token before pre-tokenization. Supported types: {@code Sequence}, {@code Prepend},
 * {@code Replace}, {@code NFC}, {@code NFD}, {@code NFKC}, {@code NFKD}, {@code Lowercase}.
 * Llama 2's is {@code Sequence[Prepend("▁"), Replace(" " -> "▁")]}. Immutable; thread-safe.
 */
sealed interface TextNormalizer {
    TextNormalizer IDENTITY = new Chain(List.of());

    String normalize(String text);

    /** Prepends {@code prefix} to non-empty text (each span gets it, as in Hugging Face). */
    record Prepend(String prefix) implements TextNormalizer {
        @Override
        public String normalize(String text) {
            return text.isEmpty() ? text : prefix + text;
        }
    }

    /** Replaces every match of {@code pattern} by {@code content}. */
    record Replace(Pattern pattern, String content) implements TextNormalizer {
        @Override
        public String normalize(String text) {
            return pattern.matcher(text).replaceAll(Matcher.quoteReplacement(content));
        }
    }

    /** A Unicode normalization form. */
    record Unicode(Normalizer.Form form) implements TextNormalizer {
        @Override
        public String normalize(String text) {
            return Normalizer.normalize(text, form);
        }
    }

    /** Unicode lower-casing, independent of the default locale. */
    record Lowercase() implements TextNormalizer {
        @Override
        public String normalize(String text) {
            return text.toLowerCase(Locale.ROOT);
        }
    }

    /** The normalizers applied in order. */
    record Chain(List<TextNormalizer> steps) implements TextNormalizer {
        @Override
        public String normalize(String text) {
            for (TextNormalizer step : steps)
                text = step.normalize(text);
            return text;
        }
    }

    /** Reads the {@code normalizer} key ({@link #IDENTITY} when null or absent). */
    static TextNormalizer parse(JsonField field) {
        if (field.isAbsent())
            return IDENTITY;
        JsonField type = field.get("type");
        return switch (type.text()) {
            case "Sequence" -> new Chain(field.get("normalizers").elements().stream().map(TextNormalizer::parse).toList());
            case "Prepend" -> new Prepend(field.get("prepend").text());
            case "Replace" -> new Replace(RegexPatterns.stringOrRegex(field.get("pattern")), field.get("content").text());
            case "NFC" -> new Unicode(Normalizer.Form.NFC);
            case "NFD" -> new Unicode(Normalizer.Form.NFD);
            case "NFKC" -> new Unicode(Normalizer.Form.NFKC);
            case "NFKD" -> new Unicode(Normalizer.Form.NFKD);
            case "Lowercase" -> new Lowercase();
            default -> throw type.unsupported("Sequence, Prepend, Replace, NFC, NFD, NFKC, NFKD, Lowercase");
        };
    }
}
