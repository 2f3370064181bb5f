package io.llmc4j.engine.io.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a split does with the matched delimiters, as Hugging Face's {@code SplitDelimiterBehavior}:
 * for "How are you" split on spaces, {@code Removed} gives [How, are, you], {@code Isolated}
 * [How, " ", are, " ", you], {@code MergedWithPrevious} ["How ", "are ", you], {@code MergedWithNext}
 * [How, " are", " you"], {@code Contiguous} joins adjacent spans of the same kind (runs of matches;
 * with {@code invert}, runs of what lies between matches).
 * Empty pieces are dropped.
 */
enum SplitBehavior {
    REMOVED, ISOLATED, MERGED_WITH_PREVIOUS, MERGED_WITH_NEXT, CONTIGUOUS;

    static SplitBehavior parse(JsonField field) {
        return switch (field.text()) {
            case "Removed" -> REMOVED;
            case "Isolated" -> ISOLATED;
            case "MergedWithPrevious" -> MERGED_WITH_PREVIOUS;
            case "MergedWithNext" -> MERGED_WITH_NEXT;
            case "Contiguous" -> CONTIGUOUS;
            default -> throw field.unsupported("Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous");
        };
    }

    /**
     * Splits {@code piece} where {@code pattern} matches (or, with {@code invert}, where it does not)
     * and appends the resulting pieces to {@code out}.
     */
    void split(Piece piece, Pattern pattern, boolean invert, List<Piece> out) {
        String text = piece.text();
        List<int[]> spans = new ArrayList<>();                    // {start, end, isMatch}
        Matcher m = pattern.matcher(text);
        int previous = 0;
        while (m.find()) {
            if (m.start() == m.end())
                continue;
            if (m.start() > previous)
                spans.add(new int[] {previous, m.start(), invert ? 1 : 0});
            spans.add(new int[] {m.start(), m.end(), invert ? 0 : 1});
            previous = m.end();
        }
        if (previous < text.length())
            spans.add(new int[] {previous, text.length(), invert ? 1 : 0});
        for (int[] span : combine(spans))
            if (span[1] > span[0])
                out.add(new Piece(text.substring(span[0], span[1]), piece.atTextStart() && span[0] == 0));
    }

    private List<int[]> combine(List<int[]> spans) {
        List<int[]> out = new ArrayList<>(spans.size());
        switch (this) {
            case REMOVED -> spans.stream().filter(s -> s[2] == 0).forEach(out::add);
            case ISOLATED -> out.addAll(spans);
            case MERGED_WITH_PREVIOUS -> {
                boolean previousMatched = false;
                for (int[] s : spans) {
                    if (s[2] == 1 && !previousMatched && !out.isEmpty())
                        out.getLast()[1] = s[1];
                    else
                        out.add(s);
                    previousMatched = s[2] == 1;
                }
            }
            case MERGED_WITH_NEXT -> {
                boolean nextMatched = false;
                for (int[] s : spans.reversed()) {
                    if (s[2] == 1 && !nextMatched && !out.isEmpty())
                        out.getLast()[0] = s[0];
                    else
                        out.add(s);
                    nextMatched = s[2] == 1;
                }
                return out.reversed();
            }
            case CONTIGUOUS -> {
                int previousFlag = 0;                              // adjacent spans of the same kind join
                for (int[] s : spans) {
                    if (s[2] == previousFlag && !out.isEmpty())
                        out.getLast()[1] = s[1];
                    else
                        out.add(s);
                    previousFlag = s[2];
                }
            }
        }
        return out;
    }
}
