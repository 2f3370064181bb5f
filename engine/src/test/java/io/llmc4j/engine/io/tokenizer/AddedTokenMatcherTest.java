package io.llmc4j.engine.io.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Added-token splitting options, on the cases Hugging Face tokenizers' own tests use. */
class AddedTokenMatcherTest {
    private static AddedToken token(int id, String content, boolean singleWord, boolean lstrip, boolean rstrip) {
        return new AddedToken(id, content, singleWord, lstrip, rstrip, false, false);
    }

    private static List<String> render(AddedTokenMatcher matcher, String text) {
        return matcher.split(text).stream().map(s -> s.text() + (s.isAddedToken() ? "#" + s.tokenId() : "")).toList();
    }

    @Test
    void leftmostLongestMatchWins() {
        var m = new AddedTokenMatcher(List.of(token(0, "<a>", false, false, false), token(1, "<a><b>", false, false, false),
                token(2, "<b>", false, false, false)), s -> s);
        assertEquals(List.of("x", "<a><b>#1", "<b>#2", "<a>#0", "y"), render(m, "x<a><b><b><a>y"));
        assertEquals(List.of("plain"), render(m, "plain"));
        assertEquals(List.of(), render(m, ""));
    }

    @Test
    void stripOptionsConsumeAdjacentWhitespace() {
        var m = new AddedTokenMatcher(List.of(token(0, "my", false, true, true), token(1, "name", false, false, false),
                token(2, "ony", true, false, false)), s -> s);
        assertEquals(List.of("[cls]", " my #0", "name#1", " is anthony [sep]"), render(m, "[cls] my name is anthony [sep]"));
        var mask = new AddedTokenMatcher(List.of(token(0, "<mask>", true, true, true)), s -> s);
        assertEquals(List.of("hi", " <mask> #0", "there", "\t<mask>\t#0", "<mask>\u2000#0"),
                render(mask, "hi <mask> there\t<mask>\t<mask>\u2000"));
    }

    @Test
    void singleWordTokensDoNotMatchInsideWords() {
        var m = new AddedTokenMatcher(List.of(token(0, "<mask>", true, false, false)), s -> s);
        assertEquals(List.of("<mask>#0", " my name ", "<mask>#0", " a<mask> <mask>ony ", "<mask>#0"),
                render(m, "<mask> my name <mask> a<mask> <mask>ony <mask>"));
        // punctuation and '-' are not word characters; a combining mark is
        assertEquals(List.of("<mask>#0", ", ", "<mask>#0", "- \u25CC\u0330<mask>"), render(m, "<mask>, <mask>- \u25CC\u0330<mask>"));
    }

    @Test
    void normalizedTokensAreSearchedInTheirNormalizedForm() {
        var lower = new TextNormalizer.Lowercase();
        var m = new AddedTokenMatcher(List.of(new AddedToken(7, "Yesterday", false, false, false, true, false)), lower::normalize);
        assertEquals(List.of("i read a book ", "yesterday#7"), render(m, lower.normalize("I read a book Yesterday")));
    }
}
