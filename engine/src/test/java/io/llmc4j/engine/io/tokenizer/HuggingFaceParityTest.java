package io.llmc4j.engine.io.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * Variants of the {@link TokenizerFixtures} documents whose expected ids were computed with the
 * Hugging Face {@code tokenizers} library 0.23.2 ({@code Tokenizer.from_str(json).encode(text,
 * add_special_tokens=False).ids} and {@code decode(ids, skip_special_tokens=True)}) on the same JSON.
 */
class HuggingFaceParityTest {
    private static void addToken(ObjectNode root, int id, String content, boolean singleWord, boolean strip,
                                 boolean normalized, boolean special) {
        ((ArrayNode) root.get("added_tokens")).addObject().put("id", id).put("content", content).put("single_word", singleWord)
                .put("lstrip", strip).put("rstrip", strip).put("normalized", normalized).put("special", special);
    }

    private static void check(Tokenizer t, String text, int[] ids, String decodedSkippingSpecial) {
        assertArrayEquals(ids, t.encode(text, false), text);
        assertEquals(decodedSkippingSpecial, t.decode(ids, true), text);
    }

    @Test
    void addedTokenOptionsWithNfc() {
        ObjectNode root = TokenizerFixtures.llama3();
        addToken(root, 267, "<mask>", true, true, false, false);
        addToken(root, 260, "ell", false, false, true, false);                      // also the vocabulary's "ell"
        addToken(root, 268, "<|eot_id|><|eot_id|>", false, false, false, true);
        root.putObject("normalizer").put("type", "NFC");
        Tokenizer t = TokenizerFixtures.load(root);
        check(t, "hi <mask> there\t<mask>\t<mask>\u2000", new int[] {104, 105, 267, 116, 257, 114, 101, 267, 267},
                "hi<mask>there<mask><mask>");
        check(t, "a<mask> <mask>b <mask>", new int[] {97, 60, 109, 97, 115, 107, 62, 32, 60, 109, 97, 115, 107, 62, 98, 267},
                "a<mask> <mask>b<mask>");
        check(t, "shell bell", new int[] {115, 104, 260, 32, 98, 260}, "shell bell");
        check(t, "x<|eot_id|><|eot_id|><|eot_id|>y", new int[] {120, 268, 266, 121}, "xy");
        check(t, "e\u0301l", new int[] {195, 169, 108}, "\u00e9l");
        check(t, "cafe\u0301 ELL", new int[] {99, 97, 102, 195, 169, 32, 69, 76, 76}, "caf\u00e9 ELL");
    }

    @Test
    void qwenStyleSplitWithDigitsNfkcAndLowercase() {
        ObjectNode root = TokenizerFixtures.llama3();
        ArrayNode steps = (ArrayNode) root.get("pre_tokenizer").get("pretokenizers");
        ((ObjectNode) steps.get(0).get("pattern")).put("Regex", "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+"
                + "|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+");
        steps.insert(0, TokenizerFixtures.JSON.createObjectNode().put("type", "Digits").put("individual_digits", false));
        ArrayNode normalizers = root.putObject("normalizer").put("type", "Sequence").putArray("normalizers");
        normalizers.addObject().put("type", "NFKC");
        normalizers.addObject().put("type", "Lowercase");
        Tokenizer t = TokenizerFixtures.load(root);
        check(t, "Price: 12345 USD, x2y33", new int[] {112, 114, 105, 99, 101, 58, 32, 49, 50, 51, 52, 53, 32, 117, 115, 100,
                44, 32, 120, 50, 121, 51, 51}, "price: 12345 usd, x2y33");
        check(t, "\uff21\uff22\uff23 \ufb01 \u2177 123\u0664\u0665", new int[] {97, 98, 99, 32, 102, 105, 32, 118, 105, 105,
                105, 32, 49, 50, 51, 217, 164, 217, 165}, "abc fi viii 123\u0664\u0665");
        check(t, "I'M HERE\r\n\r\n  ok", new int[] {105, 39, 109, 32, 257, 114, 101, 13, 10, 13, 10, 32, 32, 111, 107},
                "i'm here\r\n\r\n  ok");
    }

    @Test
    void splitBehaviorsInvertAndPrefixSpacePerPiece() {
        ObjectNode root = TokenizerFixtures.gpt2();
        ArrayNode steps = root.putObject("pre_tokenizer").put("type", "Sequence").putArray("pretokenizers");
        split(steps, "String", "-", "MergedWithPrevious", false);
        split(steps, "Regex", "\\d+", "MergedWithNext", false);
        split(steps, "String", "+", "Removed", false);
        split(steps, "Regex", "[a-z]", "Contiguous", true);
        steps.addObject().put("type", "ByteLevel").put("add_prefix_space", true).put("use_regex", true);
        Tokenizer t = TokenizerFixtures.load(root);
        check(t, "a-b--c 12x 3+4++5 hello the", new int[] {32, 97, 32, 45, 32, 98, 32, 45, 32, 45, 32, 99, 32, 32, 49, 50, 32,
                120, 32, 32, 51, 32, 52, 32, 53, 32, 32, 257, 259, 111, 32, 258}, " a - b - - c  12 x  3 4 5  hello  the");
        check(t, "--", new int[] {32, 45, 32, 45}, " - -");
        check(t, "xy+", new int[] {32, 120, 121}, " xy");
    }

    private static void split(ArrayNode steps, String kind, String pattern, String behavior, boolean invert) {
        ObjectNode s = steps.addObject().put("type", "Split");
        s.putObject("pattern").put(kind, pattern);
        s.put("behavior", behavior).put("invert", invert);
    }

    @Test
    void addedTokenIdsThatHuggingFaceWouldReassignAreRejected() {
        ObjectNode clash = TokenizerFixtures.llama3();
        addToken(clash, 268, "ell", false, false, true, false);                      // the vocabulary says 260
        var e = assertThrows(TokenizerJsonException.class, () -> TokenizerFixtures.load(clash));
        assertEquals("added_tokens[2].id", e.key());
        assertTrue(e.getMessage().contains("expected id 260"), e.getMessage());
        ObjectNode taken = TokenizerFixtures.llama3();
        addToken(taken, 97, "<x>", false, false, false, true);                        // 97 is "a"; HF would give 267
        assertTrue(assertThrows(TokenizerJsonException.class, () -> TokenizerFixtures.load(taken)).getMessage()
                .contains("expected id 267"));
        ObjectNode gap = TokenizerFixtures.llama3();
        addToken(gap, 300, "<z>", false, false, false, true);
        assertEquals("added_tokens[2].id", assertThrows(TokenizerJsonException.class, () -> TokenizerFixtures.load(gap)).key());
        ObjectNode next = TokenizerFixtures.llama3();
        addToken(next, 267, "<z>", false, false, false, true);
        assertEquals(268, TokenizerFixtures.load(next).vocabSize());
    }
}
