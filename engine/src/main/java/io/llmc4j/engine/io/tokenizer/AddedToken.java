package io.llmc4j.engine.io.tokenizer;

/**
 * One entry of {@code added_tokens} in a {@code tokenizer.json}: a token matched in the text before
 * normalization and BPE (special tokens such as {@code <s>}, {@code <|eot_id|>}), with Hugging Face's
 * options.
 *
 * @param id         its id
 * @param content    the exact text it matches
 * @param singleWord match only when not preceded or followed by a word character
 * @param leftStrip  also consume the whitespace before it
 * @param rightStrip also consume the whitespace after it
 * @param normalized match against the normalized text (true) or the raw text (false)
 * @param special    a special token: dropped by {@code decode(ids, true)}
 */
public record AddedToken(int id, String content, boolean singleWord, boolean leftStrip, boolean rightStrip,
                         boolean normalized, boolean special) {
    static AddedToken parse(JsonField entry) {
        JsonField content = entry.get("content");
        if (content.text().isEmpty())
            throw content.fail("expected a non-empty token");
        boolean special = entry.get("special").bool(false);
        return new AddedToken(entry.get("id").nonNegativeInt(), content.text(), entry.get("single_word").bool(false),
                entry.get("lstrip").bool(false), entry.get("rstrip").bool(false),
                entry.get("normalized").bool(!special), special);
    }
}
