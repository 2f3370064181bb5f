package io.llmc4j.engine.io.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code pre_tokenizer} of a {@code tokenizer.json}: cuts normalized text into words that BPE
 * encodes independently. Supported types: {@code ByteLevel}, {@code Split}, {@code Metaspace},
 * {@code Digits}, {@code Sequence}. Immutable; thread-safe.
 */
sealed interface PreTokenizer {
    PreTokenizer NONE = new Chain(List.of());

    /** Appends the words of {@code piece} to {@code out}. */
    void split(Piece piece, List<Piece> out);

    /**
     * GPT-2's byte-level step: optionally prepends a space to each span that does not start with
     * one, optionally splits with the GPT-2 regex, then writes each word's UTF-8 bytes with
     * {@link ByteLevelAlphabet}.
     */
    record ByteLevel(boolean addPrefixSpace, boolean useRegex) implements PreTokenizer {
        @Override
        public void split(Piece piece, List<Piece> out) {
            String text = piece.text();
            if (addPrefixSpace && !text.startsWith(" "))
                piece = new Piece(" " + text, piece.atTextStart());
            List<Piece> words = new ArrayList<>();
            if (useRegex)
                SplitBehavior.ISOLATED.split(piece, RegexPatterns.GPT2_SPLIT, false, words);
            else
                words.add(piece);
            for (Piece word : words)
                out.add(new Piece(ByteLevelAlphabet.encode(word.text()), word.atTextStart()));
        }
    }

    /** Splits on a pattern (Llama 3 and Qwen 2 use this with their split regex, Isolated). */
    record Split(Pattern pattern, SplitBehavior behavior, boolean invert) implements PreTokenizer {
        @Override
        public void split(Piece piece, List<Piece> out) {
            behavior.split(piece, pattern, invert, out);
        }
    }

    /**
     * SentencePiece's whitespace handling: spaces become {@code replacement} ("▁"), which is
     * prepended per {@code prepend_scheme} (always; first = only at the start of the text; never)
     * unless the span already starts with it, then the text is optionally split before each
     * replacement character.
     */
    record Metaspace(String replacement, PrependScheme scheme, boolean splitWords) implements PreTokenizer {
        @Override
        public void split(Piece piece, List<Piece> out) {
            String text = piece.text().replace(" ", replacement);
            boolean prepend = switch (scheme) {
                case ALWAYS -> true;
                case FIRST -> piece.atTextStart();
                case NEVER -> false;
            };
            if (prepend && !text.startsWith(replacement))
                text = replacement + text;
            Piece rewritten = new Piece(text, piece.atTextStart());
            if (splitWords)
                SplitBehavior.MERGED_WITH_NEXT.split(rewritten, RegexPatterns.literal(replacement), false, out);
            else if (!text.isEmpty())
                out.add(rewritten);
        }
    }

    /** Metaspace's {@code prepend_scheme}. */
    enum PrependScheme { ALWAYS, FIRST, NEVER }

    /** Separates numbers from the rest: each digit alone, or runs of digits together. */
    record Digits(boolean individualDigits) implements PreTokenizer {
        private static final Pattern DIGIT = Pattern.compile("\\p{N}");

        @Override
        public void split(Piece piece, List<Piece> out) {
            (individualDigits ? SplitBehavior.ISOLATED : SplitBehavior.CONTIGUOUS).split(piece, DIGIT, false, out);
        }
    }

    /** The pre-tokenizers applied in order, each to every word the previous one produced. */
    record Chain(List<PreTokenizer> steps) implements PreTokenizer {
        @Override
        public void split(Piece piece, List<Piece> out) {
            List<Piece> current = List.of(piece);
            for (PreTokenizer step : steps) {
                List<Piece> next = new ArrayList<>();
                for (Piece p : current)
                    step.split(p, next);
                current = next;
            }
            for (Piece p : current)
                if (!p.text().isEmpty())
                    out.add(p);
        }
    }

    /** Reads the {@code pre_tokenizer} key ({@link #NONE}: the whole span is one word). */
    static PreTokenizer parse(JsonField field) {
        if (field.isAbsent())
            return NONE;
        JsonField type = field.get("type");
        return switch (type.text()) {
            case "Sequence" -> new Chain(field.get("pretokenizers").elements().stream().map(PreTokenizer::parse).toList());
            case "ByteLevel" -> new ByteLevel(field.get("add_prefix_space").bool(true), field.get("use_regex").bool(true));
            case "Split" -> new Split(RegexPatterns.stringOrRegex(field.get("pattern")),
                    SplitBehavior.parse(field.get("behavior")), field.get("invert").bool(false));
            case "Metaspace" -> new Metaspace(replacement(field.get("replacement")), prependScheme(field),
                    field.get("split").bool(true));
            case "Digits" -> new Digits(field.get("individual_digits").bool(false));
            default -> throw type.unsupported("Sequence, ByteLevel, Split, Metaspace, Digits");
        };
    }

    /** Metaspace's one-character {@code replacement}. */
    static String replacement(JsonField field) {
        String text = field.text();
        if (text.codePointCount(0, text.length()) != 1)
            throw field.fail("expected a single character");
        return text;
    }

    /** {@code prepend_scheme}, or the legacy {@code add_prefix_space} flag (true = always). */
    static PrependScheme prependScheme(JsonField metaspace) {
        JsonField scheme = metaspace.get("prepend_scheme");
        JsonField legacy = metaspace.get("add_prefix_space");
        if (scheme.isAbsent())
            return legacy.bool(true) ? PrependScheme.ALWAYS : PrependScheme.NEVER;
        PrependScheme parsed = switch (scheme.text()) {
            case "always" -> PrependScheme.ALWAYS;
            case "first" -> PrependScheme.FIRST;
            case "never" -> PrependScheme.NEVER;
            default -> throw scheme.unsupported("always, first, never");
        };
        if (!legacy.bool(true) && parsed != PrependScheme.NEVER)
            throw legacy.fail("expected add_prefix_space to agree with prepend_scheme \"" + scheme.text() + "\"");
        return parsed;
    }
}
