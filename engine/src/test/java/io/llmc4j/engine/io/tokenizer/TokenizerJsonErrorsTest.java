package io.llmc4j.engine.io.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unsupported or inconsistent components fail at load, naming the file, the key and the value. */
class TokenizerJsonErrorsTest {
    @TempDir
    Path dir;

    private TokenizerJsonException failure(ObjectNode base, Consumer<ObjectNode> edit) {
        ObjectNode root = base.deepCopy();
        edit.accept(root);
        return assertThrows(TokenizerJsonException.class, () -> TokenizerFixtures.write(dir, root));
    }

    private static void assertNames(TokenizerJsonException e, String key, String value) {
        assertEquals(key, e.key(), e.getMessage());
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(value), e.getMessage());
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    private static ObjectNode model(ObjectNode root) {
        return (ObjectNode) root.get("model");
    }

    @Test
    void unsupportedModelType() {
        assertNames(failure(TokenizerFixtures.llama2(), r -> model(r).put("type", "Unigram")), "model.type", "\"Unigram\"");
        assertNames(failure(TokenizerFixtures.llama2(), r -> model(r).put("dropout", 0.1)), "model.dropout", "0.1");
        assertNames(failure(TokenizerFixtures.llama2(), r -> r.remove("model")), "model", "key absent");
    }

    @Test
    void unsupportedPipelineComponents() {
        assertNames(failure(TokenizerFixtures.llama2(), r -> r.putObject("normalizer").put("type", "BertNormalizer")),
                "normalizer.type", "\"BertNormalizer\"");
        assertNames(failure(TokenizerFixtures.llama3(), r -> ((ObjectNode) r.get("pre_tokenizer").get("pretokenizers").get(1))
                .put("type", "Whitespace")), "pre_tokenizer.pretokenizers[1].type", "\"Whitespace\"");
        assertNames(failure(TokenizerFixtures.llama3(), r -> ((ObjectNode) r.get("pre_tokenizer").get("pretokenizers").get(0))
                .put("behavior", "Sideways")), "pre_tokenizer.pretokenizers[0].behavior", "\"Sideways\"");
        assertNames(failure(TokenizerFixtures.llama2(), r -> ((ObjectNode) r.get("decoder").get("decoders").get(2))
                .put("type", "WordPiece")), "decoder.decoders[2].type", "\"WordPiece\"");
        assertNames(failure(TokenizerFixtures.llama2(), r -> r.putObject("post_processor").put("type", "Mystery")),
                "post_processor.type", "\"Mystery\"");
        assertNames(failure(TokenizerFixtures.metaspace("first", true), r -> ((ObjectNode) r.get("pre_tokenizer"))
                .put("prepend_scheme", "sometimes")), "pre_tokenizer.prepend_scheme", "\"sometimes\"");
    }

    @Test
    void badRegexNamesItsKey() {
        var e = failure(TokenizerFixtures.llama3(), r -> ((ObjectNode) r.get("pre_tokenizer").get("pretokenizers").get(0)
                .get("pattern")).put("Regex", "(unclosed"));
        assertNames(e, "pre_tokenizer.pretokenizers[0].pattern.Regex", "(unclosed");
    }

    @Test
    void inconsistentMergesAndVocabulary() {
        assertNames(failure(TokenizerFixtures.gpt2(), r -> ((ArrayNode) model(r).get("merges")).set(3, "l q")),
                "model.merges[3]", "\"lq\" is not");
        assertNames(failure(TokenizerFixtures.gpt2(), r -> ((ArrayNode) model(r).get("merges")).set(0, "a b c")),
                "model.merges[0]", "\"a b c\"");
        assertNames(failure(TokenizerFixtures.llama2(), r -> model(r).put("unk_token", "<nope>")), "model.unk_token", "<nope>");
        assertNames(failure(TokenizerFixtures.llama2(), r -> ((ObjectNode) model(r).get("vocab")).put("x", -4)),
                "model.vocab.x", "-4");
        assertNames(failure(TokenizerFixtures.llama2(), r -> ((ArrayNode) r.get("post_processor").get("special_tokens")
                .get("<s>").get("ids")).removeAll().add(999)), "post_processor", "999");
    }

    @Test
    void templateMustNameKnownSpecialTokens() {
        var e = failure(TokenizerFixtures.llama2(), r -> ((ObjectNode) r.get("post_processor").get("single").get(0)
                .get("SpecialToken")).put("id", "<bos>"));
        assertNames(e, "post_processor.single[0].SpecialToken.id", "\"<bos>\"");
    }

    @Test
    void notJson() {
        var e = assertThrows(TokenizerJsonException.class, () -> Tokenizer.fromJson("{\"model\": ", "broken/tokenizer.json"));
        assertTrue(e.getMessage().startsWith("broken/tokenizer.json"), e.getMessage());
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void decodingAnUnknownIdNamesIt() {
        Tokenizer t = TokenizerFixtures.load(TokenizerFixtures.llama2());
        var e = assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {1, 5000}));
        assertTrue(e.getMessage().contains("5000") && e.getMessage().contains("position 1"), e.getMessage());
    }
}
