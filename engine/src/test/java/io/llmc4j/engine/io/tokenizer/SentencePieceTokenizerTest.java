package io.llmc4j.engine.io.tokenizer;

import static io.llmc4j.engine.io.tokenizer.TokenizerFixtures.SP_BYTE0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SentencePiece-style BPE (Llama 2: Prepend/Replace normalizer; newer: Metaspace), with byte
 * fallback. Ids from {@link TokenizerFixtures}: ▁ 259, h 260, e 261, llo 270, ▁h 267, ll 268,
 * ▁he 269, ▁hello 271, ▁world 276; byte b is 3 + b.
 */
class SentencePieceTokenizerTest {
    @TempDir
    Path dir;

    @Test
    void llama2EncodesWithBosAndMergesByRank() {
        Tokenizer t = TokenizerFixtures.write(dir, TokenizerFixtures.llama2());
        // "▁hello▁world": (▁,h)0 (l,l)1 (▁h,e)2 (ll,o)3 (▁he,llo)4 (▁,w)5 (o,r)6 (▁w,or)7 (l,d)8 (▁wor,ld)9
        assertArrayEquals(new int[] {1, 271, 276}, t.encode("hello world"));
        // "▁hell": (▁,h)0 -> (l,l)1 -> (▁h,e)2 -> ▁he ll; no merge joins them
        assertArrayEquals(new int[] {269, 268}, t.encode("hell", false));
        assertEquals(1, t.bosTokenId().orElseThrow());
        assertEquals("hello world", t.decode(t.encode("hello world"), true));
        assertEquals("<s> hello world", t.decode(t.encode("hello world")));
    }

    @Test
    void missingCharactersFallBackToBytes() {
        Tokenizer t = TokenizerFixtures.load(TokenizerFixtures.llama2());
        // "▁hi😀": ▁h, then 'i' (0x69) and 😀 (F0 9F 98 80) as <0xNN> tokens
        int[] ids = t.encode("hi😀");
        assertArrayEquals(new int[] {1, 267, SP_BYTE0 + 0x69, SP_BYTE0 + 0xF0, SP_BYTE0 + 0x9F, SP_BYTE0 + 0x98, SP_BYTE0 + 0x80}, ids);
        assertEquals("hi😀", t.decode(ids, true));
        assertEquals("<s> hi😀", t.decode(ids));
        // an incomplete UTF-8 sequence decodes to one U+FFFD per byte, as Hugging Face's ByteFallback does
        assertEquals("h\uFFFD\uFFFD", t.decode(new int[] {267, SP_BYTE0 + 0xF0, SP_BYTE0 + 0x9F}));
    }

    @Test
    void whitespaceRunsAndLeadingSpacesRoundTrip() {
        Tokenizer t = TokenizerFixtures.load(TokenizerFixtures.llama2());
        // "▁hello▁▁world": the second ▁ merges with w (rank 5) first, leaving a lone ▁
        assertArrayEquals(new int[] {271, 259, 276}, t.encode("hello  world", false));
        // " hello" -> "▁▁hello"
        assertArrayEquals(new int[] {259, 271}, t.encode(" hello", false));
        for (String s : new String[] {"hello  world", " hello", "a \t b\n", "   ", "é 中 😀 "})
            assertEquals(s, t.decode(t.encode(s), true), s);
    }

    @Test
    void specialTokensInTextAndPerSpanPrepend() {
        Tokenizer t = TokenizerFixtures.load(TokenizerFixtures.llama2());
        assertArrayEquals(new int[] {1, 271, 2}, t.encode("hello</s>"));
        // the normalizer runs per span: "<s>" | "hello" -> "▁hello"
        assertArrayEquals(new int[] {1, 1, 271}, t.encode("<s>hello"));
        assertArrayEquals(new int[] {271, 2, 271}, t.encode("hello</s>hello", false));
        assertEquals("hello</s> hello", t.decode(new int[] {271, 2, 271}));
    }

    @Test
    void metaspaceFirstPrependsOnlyAtTheStartOfTheText() {
        Tokenizer t = TokenizerFixtures.load(TokenizerFixtures.metaspace("first", false));
        assertArrayEquals(new int[] {1, 271, 276}, t.encode("hello world"));
        // "hello world" after "<s>" is not at offset 0: "hello▁world" -> h e llo ▁world
        assertArrayEquals(new int[] {1, 260, 261, 270, 276}, t.encode("<s>hello world", false));
        assertEquals("hello world", t.decode(new int[] {271, 276}));
        assertEquals("<s>hello world", t.decode(new int[] {1, 260, 261, 270, 276}));
    }

    @Test
    void metaspaceAlwaysWithSplitCutsBeforeEachReplacement() {
        Tokenizer t = TokenizerFixtures.load(TokenizerFixtures.metaspace("always", true));
        assertArrayEquals(new int[] {271, 276}, t.encode("hello world", false));
        // "▁hello", "▁", "▁world"; after "<s>" the span gets its own ▁ (always)
        assertArrayEquals(new int[] {271, 259, 276}, t.encode("hello  world", false));
        assertArrayEquals(new int[] {1, 271}, t.encode("<s>hello", false));
        Tokenizer never = TokenizerFixtures.load(TokenizerFixtures.metaspace("never", true));
        assertEquals(" hello world", never.decode(new int[] {271, 276}));
    }

    @Test
    void unknownCharactersWithoutByteFallbackUseUnkFusedOrNot() {
        ObjectNode fused = TokenizerFixtures.llama2();
        ((ObjectNode) fused.get("model")).put("byte_fallback", false);
        // "▁hxyz": ▁h, then x y z unknown -> one <unk> when fused
        assertArrayEquals(new int[] {267, 0}, TokenizerFixtures.load(fused).encode("hxyz", false));
        assertArrayEquals(new int[] {267, 0, 261}, TokenizerFixtures.load(fused).encode("hxye", false));
        ObjectNode separate = fused.deepCopy();
        ((ObjectNode) separate.get("model")).put("fuse_unk", false);
        assertArrayEquals(new int[] {267, 0, 0, 0}, TokenizerFixtures.load(separate).encode("hxyz", false));
    }
}
