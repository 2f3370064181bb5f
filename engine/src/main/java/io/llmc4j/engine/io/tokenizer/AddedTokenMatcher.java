package io.llmc4j.engine.io.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Finds added tokens in text and cuts the text around them, as Hugging Face's
 * {@code AddedVocabulary::find_matches}: leftmost-longest matching; a {@code single_word} token
 * matched inside a word is skipped; {@code lstrip}/{@code rstrip} widen the match over adjacent
 * whitespace. Immutable; thread-safe.
 */
final class AddedTokenMatcher {
    private static final Pattern WORD_CHAR = Pattern.compile("\\w", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern SPACE_CHAR = Pattern.compile("\\s", Pattern.UNICODE_CHARACTER_CLASS);

    /** A span of the text: an added token's id, or -1 for ordinary text. */
    record Segment(String text, int start, int tokenId) {
        boolean isAddedToken() {
            return tokenId >= 0;
        }
    }

    private record Candidate(String pattern, AddedToken token) {
    }

    /** Candidates by first char, longest pattern first. */
    private final Map<Character, List<Candidate>> byFirstChar = new HashMap<>();

    /**
     * Matches {@code tokens}; each is searched as {@code patternOf(content)} (identity for raw
     * matching, the normalizer for tokens with {@code normalized: true}).
     */
    AddedTokenMatcher(List<AddedToken> tokens, UnaryOperator<String> patternOf) {
        for (AddedToken t : tokens) {
            String pattern = patternOf.apply(t.content());
            if (!pattern.isEmpty())
                byFirstChar.computeIfAbsent(pattern.charAt(0), c -> new ArrayList<>()).add(new Candidate(pattern, t));
        }
        byFirstChar.values().forEach(list -> list.sort(Comparator.comparingInt((Candidate c) -> c.pattern().length()).reversed()));
    }

    /** The non-empty segments of {@code text}, in order, covering it. */
    List<Segment> split(String text) {
        List<Segment> out = new ArrayList<>();
        if (byFirstChar.isEmpty()) {
            if (!text.isEmpty())
                out.add(new Segment(text, 0, -1));
            return out;
        }
        int emitted = 0;
        int searchFrom = 0;
        while (searchFrom < text.length()) {
            int at = searchFrom;
            Candidate found = null;
            for (; at < text.length() && found == null; at++)
                found = longestAt(text, at);
            if (found == null)
                break;
            int start = at - 1;
            int end = start + found.pattern().length();
            searchFrom = end;
            AddedToken token = found.token();
            if (token.singleWord() && (isWordCharBefore(text, start) || isWordCharAt(text, end)))
                continue;
            if (token.leftStrip())
                while (start > emitted && isSpaceBefore(text, start))
                    start -= Character.charCount(text.codePointBefore(start));
            if (token.rightStrip())
                while (end < text.length() && SPACE_CHAR.matcher(Character.toString(text.codePointAt(end))).matches())
                    end += Character.charCount(text.codePointAt(end));
            if (start > emitted)
                out.add(new Segment(text.substring(emitted, start), emitted, -1));
            out.add(new Segment(text.substring(start, end), start, token.id()));
            emitted = end;
            searchFrom = end;
        }
        if (emitted < text.length())
            out.add(new Segment(text.substring(emitted), emitted, -1));
        return out;
    }

    private Candidate longestAt(String text, int at) {
        List<Candidate> candidates = byFirstChar.get(text.charAt(at));
        if (candidates != null)
            for (Candidate c : candidates)
                if (text.startsWith(c.pattern(), at))
                    return c;
        return null;
    }

    private static boolean isWordCharBefore(String text, int index) {
        return index > 0 && WORD_CHAR.matcher(Character.toString(text.codePointBefore(index))).matches();
    }

    private static boolean isWordCharAt(String text, int index) {
        return index < text.length() && WORD_CHAR.matcher(Character.toString(text.codePointAt(index))).matches();
    }

    private static boolean isSpaceBefore(String text, int index) {
        return SPACE_CHAR.matcher(Character.toString(text.codePointBefore(index))).matches();
    }
}
