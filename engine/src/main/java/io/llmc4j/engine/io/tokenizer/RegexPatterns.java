package io.llmc4j.engine.io.tokenizer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles the regular expressions found in {@code tokenizer.json} (written for Oniguruma, which
 * Hugging Face tokenizers uses) with {@link java.util.regex}. Patterns are compiled with
 * {@link Pattern#UNICODE_CHARACTER_CLASS}, so {@code \s} is Unicode White_Space and {@code \w} is a
 * Unicode word character, as in Oniguruma; {@code \p{L}}, {@code \p{N}} are general categories in
 * both. A script name written bare ({@code \p{Han}}) is rewritten to Java's {@code \p{IsHan}}.
 */
final class RegexPatterns {
    private static final Pattern BARE_PROPERTY = Pattern.compile("\\\\([pP])\\{(\\w+)}");

    /** The GPT-2 split used by the ByteLevel pre-tokenizer when {@code use_regex} is true. */
    static final Pattern GPT2_SPLIT = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private RegexPatterns() {
    }

    /** {@code field}'s Oniguruma pattern as a Java pattern; fails naming the key when Java rejects it. */
    static Pattern compile(JsonField field) {
        String source = field.text();
        try {
            return Pattern.compile(source, Pattern.UNICODE_CHARACTER_CLASS);
        } catch (PatternSyntaxException first) {
            Matcher m = BARE_PROPERTY.matcher(source);
            String rewritten = m.replaceAll(r -> Matcher.quoteReplacement(
                    "\\" + r.group(1) + "{" + (isKnownProperty(r.group(2)) ? "" : "Is") + r.group(2) + "}"));
            try {
                return Pattern.compile(rewritten, Pattern.UNICODE_CHARACTER_CLASS);
            } catch (PatternSyntaxException second) {
                throw field.fail("expected a regular expression java.util.regex accepts (" + first.getDescription() + ")");
            }
        }
    }

    /** A pattern matching {@code literal} exactly. */
    static Pattern literal(String literal) {
        return Pattern.compile(Pattern.quote(literal));
    }

    /** {@code {"String": s}} or {@code {"Regex": r}}, as Split, Replace normalizers and decoders write it. */
    static Pattern stringOrRegex(JsonField pattern) {
        if (pattern.has("String"))
            return literal(pattern.get("String").text());
        if (pattern.has("Regex"))
            return compile(pattern.get("Regex"));
        throw pattern.fail("expected {\"String\": ...} or {\"Regex\": ...}");
    }

    private static boolean isKnownProperty(String name) {
        try {
            Pattern.compile("\\p{" + name + "}");
            return true;
        } catch (PatternSyntaxException e) {
            return false;
        }
    }
}
