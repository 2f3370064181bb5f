package io.llmc4j.engine.io.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** decode(encode(s)) == s over generated text: any Unicode scalar values, with many spaces and ASCII. */
class TokenizerRoundTripProperties {
    private static final Tokenizer LLAMA3 = TokenizerFixtures.load(TokenizerFixtures.llama3());
    private static final Tokenizer GPT2 = TokenizerFixtures.load(TokenizerFixtures.gpt2());
    private static final Tokenizer LLAMA2 = TokenizerFixtures.load(TokenizerFixtures.llama2());

    @Property(tries = 400)
    void byteLevelRoundTrips(@ForAll("text") String s) {
        assertEquals(s, LLAMA3.decode(LLAMA3.encode(s, false)));
        assertEquals(s, LLAMA3.decode(LLAMA3.encode(s), true));
        assertEquals(s, GPT2.decode(GPT2.encode(s, false)));
    }

    @Property(tries = 400)
    void byteLevelRoundTripsWithSpecialTokensInText(@ForAll("text") String a, @ForAll("text") String b) {
        String s = a + "<|eot_id|>" + b;
        assertEquals(s, LLAMA3.decode(LLAMA3.encode(s, false)));
    }

    /** SentencePiece with byte fallback round-trips text without '▁' and without added-token text. */
    @Property(tries = 400)
    void sentencePieceRoundTrips(@ForAll("text") String s) {
        String plain = s.replace("▁", "_").replace("<", "(");
        assertEquals(plain, LLAMA2.decode(LLAMA2.encode(plain), true));
    }

    @Provide
    Arbitrary<String> text() {
        Arbitrary<Integer> anyScalar = Arbitraries.integers().between(0, 0x10FFFF - 0x800)
                .map(i -> i >= 0xD800 ? i + 0x800 : i);                    // skip the surrogate block
        Arbitrary<Integer> ascii = Arbitraries.integers().between(0x20, 0x7E);
        Arbitrary<Integer> space = Arbitraries.of((int) ' ', (int) '\n', (int) '\t', (int) '\r', 0x00A0, 0x3000);
        Arbitrary<Integer> letters = Arbitraries.of((int) 'h', (int) 'e', (int) 'l', (int) 'o', (int) 't', (int) 'w');
        return Arbitraries.frequencyOf(
                        Tuple.of(3, ascii), Tuple.of(3, space),
                        Tuple.of(3, letters), Tuple.of(2, anyScalar))
                .list().ofMaxSize(40)
                .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
    }
}
