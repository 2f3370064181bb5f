package io.llmc4j.engine.io.tokenizer;

import static io.llmc4j.engine.io.tokenizer.TokenizerFixtures.BOS3;
import static io.llmc4j.engine.io.tokenizer.TokenizerFixtures.EOT3;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Byte-level BPE (Llama 3 and GPT-2 shapes); expected ids are worked out in the comments from {@link TokenizerFixtures}. */
class ByteLevelTokenizerTest {
    @TempDir
    Path dir;

    @Test
    void llama3AddsBeginOfTextAndMergesByRank() {
        Tokenizer t = TokenizerFixtures.write(dir, TokenizerFixtures.llama3());
        // " the": Ġ t h e -> (Ġ,t) rank 0 -> Ġt h e -> (h,e) rank 1 -> Ġt he -> (Ġt,he) rank 2 -> Ġthe 258
        assertArrayEquals(new int[] {BOS3, 116, 257, 258}, t.encode("the the"));
        assertArrayEquals(new int[] {116, 257, 258}, t.encode("the the", false));
        assertEquals(BOS3, t.bosTokenId().orElseThrow());
        assertEquals(0, t.suffixTokenIds().length);
        assertEquals(267, t.vocabSize());
    }

    @Test
    void ignoreMergesEmitsWholeWordsOfTheVocabulary() {
        // "hello" is in the vocabulary (262), though merging h e l l o by rank reaches he ll o.
        assertArrayEquals(new int[] {262}, TokenizerFixtures.load(TokenizerFixtures.llama3()).encode("hello", false));
        assertArrayEquals(new int[] {257, 259, 111}, TokenizerFixtures.load(TokenizerFixtures.gpt2()).encode("hello", false));
    }

    @Test
    void whitespaceRunsFollowTheSplitRegex() {
        Tokenizer llama3 = TokenizerFixtures.load(TokenizerFixtures.llama3());
        Tokenizer gpt2 = TokenizerFixtures.load(TokenizerFixtures.gpt2());
        // "a   b" -> "a", "  " (\s+(?!\S) leaves one space for the word), " b" -> 97, ĠĠ 263, Ġ b
        assertArrayEquals(new int[] {97, 263, 32, 98}, llama3.encode("a   b", false));
        assertArrayEquals(new int[] {97, 263, 32, 98}, gpt2.encode("a   b", false));
        // Llama 3 keeps "\n\n" together (\s*[\r\n]+) -> ĊĊ 264; GPT-2 splits it into "\n", "\n".
        assertArrayEquals(new int[] {97, 264, 98}, llama3.encode("a\n\nb", false));
        assertArrayEquals(new int[] {97, 10, 10, 98}, gpt2.encode("a\n\nb", false));
        for (String s : new String[] {"a \t\n  b  ", "   ", "\n\n\n", " x  y   z\r\n\t\t"}) {
            assertEquals(s, llama3.decode(llama3.encode(s, false)), s);
            assertEquals(s, gpt2.decode(gpt2.encode(s, false)), s);
        }
    }

    @Test
    void unicodeAndEmojiBecomeTheirUtf8Bytes() {
        Tokenizer t = TokenizerFixtures.load(TokenizerFixtures.llama3());
        // "hi 😀": "hi", " 😀" -> Ġ F0 9F 98 80 (ids are byte values)
        assertArrayEquals(new int[] {104, 105, 32, 0xF0, 0x9F, 0x98, 0x80}, t.encode("hi 😀", false));
        // é is C3 A9; 中 is E4 B8 AD
        assertArrayEquals(new int[] {0xC3, 0xA9, 0xE4, 0xB8, 0xAD}, t.encode("é中", false));
        for (String s : new String[] {"hi 😀", "é中", "Ünïcödé — “quotes” 👩‍👩‍👧 z̤͂", "tab\there\r\n"})
            assertEquals(s, t.decode(t.encode(s, false)), s);
    }

    @Test
    void specialTokensInTextAreSplitOutBeforeBpe() {
        Tokenizer t = TokenizerFixtures.load(TokenizerFixtures.llama3());
        // "hello" -> 262 (ignore_merges), "the" -> t, (h,e) -> 116 257
        int[] ids = t.encode("hello<|eot_id|>the");
        assertArrayEquals(new int[] {BOS3, 262, EOT3, 116, 257}, ids);
        assertEquals("<|begin_of_text|>hello<|eot_id|>the", t.decode(ids));
        assertEquals("hellothe", t.decode(ids, true));
        // a partial special token is ordinary text
        assertEquals(t.encode("<|eot_id", false).length, "<|eot_id".length());
    }

    @Test
    void splitRegexPiecesMatchTheReference() {
        var split = new PreTokenizer.Split(Pattern.compile(TokenizerFixtures.LLAMA3_SPLIT, Pattern.UNICODE_CHARACTER_CLASS),
                SplitBehavior.ISOLATED, false);
        // numbers never carry the space; "[\r\n]*" keeps the newlines after punctuation; NBSP may lead a word
        assertEquals(List.of("I", "'M", " here", ":", " ", "123", "45", " ...\n\n", "  ", " x", " ", "\u00A0y"),
                words(split, "I'M here: 12345 ...\n\n   x \u00A0y"));
        assertEquals(List.of("Hello", " world", ",", " ", " 😀!", "\n"),
                words(new PreTokenizer.ByteLevel(false, true), "Hello world,  😀!\n").stream()
                        .map(ByteLevelTokenizerTest::fromByteLevel).toList());
        assertEquals(List.of(" hi"), words(new PreTokenizer.ByteLevel(true, true), "hi").stream()
                .map(ByteLevelTokenizerTest::fromByteLevel).toList());
    }

    private static List<String> words(PreTokenizer p, String text) {
        List<Piece> out = new ArrayList<>();
        p.split(new Piece(text, true), out);
        return out.stream().map(Piece::text).toList();
    }

    private static String fromByteLevel(String word) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteLevelAlphabet.appendBytes(word, bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
