package io.llmc4j.engine.io.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A pure-Java tokenizer for a Hugging Face {@code tokenizer.json} with a BPE model: byte-level BPE
 * (GPT-2, Llama 3, Qwen 2) and SentencePiece-style BPE with byte fallback (Llama 2, Mistral).
 *
 * <p>{@link #encode(String, boolean)} follows Hugging Face tokenizers' pipeline:
 * <pre>
 *   text ──► split out added tokens (raw) ──► normalizer, per remaining span ──► split out
 *        added tokens (normalized) ──► pre_tokenizer ──► BPE per word ──► post_processor ids
 * </pre>
 * and {@link #decode(int[], boolean)} maps ids to token strings (added tokens by their content)
 * and runs the decoder. Components that are not supported fail at {@link #load} with a
 * {@link TokenizerJsonException} naming the key and the value. The {@code truncation} and
 * {@code padding} keys are ignored (Transformers overrides them per call; batching belongs to the
 * caller). Results match the Hugging Face {@code tokenizers} library for the supported components
 * (checked against version 0.23.2 on the test documents, see {@code HuggingFaceParityTest}), except
 * that an unknown id in {@link #decode} is an error rather than silently skipped, and added tokens
 * whose declared ids Hugging Face would reassign are rejected at load.
 *
 * <p>Immutable after loading; thread-safe.
 */
public final class Tokenizer {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String source;
    private final BpeModel model;
    private final TextNormalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final TokenDecoder decoder;                 // null: join tokens with spaces
    private final SpecialTokenTemplate template;
    private final Map<Integer, AddedToken> addedById;
    private final Map<String, AddedToken> addedByContent;
    private final AddedTokenMatcher rawAdded;
    private final AddedTokenMatcher normalizedAdded;
    private final int vocabSize;

    private Tokenizer(String source, JsonField root) {
        this.source = source;
        this.model = BpeModel.parse(root.get("model"));
        this.normalizer = TextNormalizer.parse(root.get("normalizer"));
        this.preTokenizer = PreTokenizer.parse(root.get("pre_tokenizer"));
        this.decoder = TokenDecoder.parse(root.get("decoder"));
        this.template = SpecialTokenTemplate.parse(root.get("post_processor"));
        this.addedById = new HashMap<>();
        this.addedByContent = new HashMap<>();
        List<AddedToken> raw = new ArrayList<>();
        List<AddedToken> normalized = new ArrayList<>();
        JsonField added = root.get("added_tokens");
        for (JsonField entry : added.isAbsent() ? List.<JsonField>of() : added.elements()) {
            AddedToken token = AddedToken.parse(entry);
            checkAgreesWithVocabulary(token, entry);
            addedById.put(token.id(), token);
            addedByContent.put(token.content(), token);
            (token.normalized() ? normalized : raw).add(token);
        }
        this.rawAdded = new AddedTokenMatcher(raw, s -> s);
        this.normalizedAdded = new AddedTokenMatcher(normalized, normalizer::normalize);
        int limit = model.idLimit();
        for (int id : addedById.keySet())
            limit = Math.max(limit, id + 1);
        this.vocabSize = limit;
        checkTemplateIds(root.get("post_processor"));
    }

    /** Loads {@code tokenizer.json}. */
    public static Tokenizer load(Path file) throws IOException {
        return fromJson(Files.readString(file), file.toString());
    }

    /** Builds a tokenizer from the text of a {@code tokenizer.json}; {@code source} names it in errors. */
    public static Tokenizer fromJson(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new TokenizerJsonException(source, "", "not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        }
        JsonField rootField = JsonField.root(source, root);
        if (root == null || !root.isObject())
            throw rootField.fail("expected a JSON object");
        return new Tokenizer(source, rootField);
    }

    /** Encodes {@code text} with the post-processor's special tokens (BOS for Llama). */
    public int[] encode(String text) {
        return encode(text, true);
    }

    /**
     * Encodes {@code text} to token ids; with {@code addSpecialTokens}, the post-processor's special
     * tokens (see {@link #prefixTokenIds()}, {@link #suffixTokenIds()}) are put around them. Added
     * tokens written in the text (e.g. {@code "<s>"}) are always recognised.
     */
    public int[] encode(String text, boolean addSpecialTokens) {
        IntList ids = new IntList();
        if (addSpecialTokens)
            ids.addAll(template.prefix());
        for (AddedTokenMatcher.Segment segment : rawAdded.split(text)) {
            if (segment.isAddedToken()) {
                ids.add(segment.tokenId());
                continue;
            }
            boolean atTextStart = segment.start() == 0;
            for (AddedTokenMatcher.Segment part : normalizedAdded.split(normalizer.normalize(segment.text()))) {
                if (part.isAddedToken()) {
                    ids.add(part.tokenId());
                    continue;
                }
                List<Piece> words = new ArrayList<>();
                preTokenizer.split(new Piece(part.text(), atTextStart && part.start() == 0), words);
                for (Piece word : words)
                    model.tokenize(word.text(), ids);
            }
        }
        if (addSpecialTokens)
            ids.addAll(template.suffix());
        return ids.toArray();
    }

    /** Decodes {@code ids}, special tokens included. */
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    /**
     * Decodes {@code ids} to text; with {@code skipSpecialTokens}, added tokens marked special are
     * left out.
     *
     * @throws IllegalArgumentException naming the id when it is neither in the vocabulary nor an added token
     */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        List<String> tokens = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            AddedToken added = addedById.get(ids[i]);
            if (added != null) {
                if (!(skipSpecialTokens && added.special()))
                    tokens.add(added.content());
                continue;
            }
            int position = i;
            tokens.add(model.token(ids[i]).orElseThrow(() -> new IllegalArgumentException(
                    "token id " + ids[position] + " at position " + position + " is not in the vocabulary of " + source
                            + " (ids 0.." + (vocabSize - 1) + ")")));
        }
        return decoder == null ? String.join(" ", tokens) : String.join("", decoder.decodeChain(tokens));
    }

    /** One more than the largest id (vocabulary and added tokens). */
    public int vocabSize() {
        return vocabSize;
    }

    /** The id of {@code token} (an added token's content or a vocabulary entry). */
    public OptionalInt tokenId(String token) {
        AddedToken added = addedByContent.get(token);
        return added != null ? OptionalInt.of(added.id()) : model.id(token);
    }

    /** The token string of {@code id}. */
    public Optional<String> token(int id) {
        AddedToken added = addedById.get(id);
        return added != null ? Optional.of(added.content()) : model.token(id);
    }

    /** The ids the post-processor puts before a sequence (e.g. {@code [1]} for Llama 2's BOS). */
    public int[] prefixTokenIds() {
        return template.prefix();
    }

    /** The ids the post-processor puts after a sequence (often none for decoder-only models). */
    public int[] suffixTokenIds() {
        return template.suffix();
    }

    /** The first id the post-processor puts before a sequence: the BOS token, when there is one. */
    public OptionalInt bosTokenId() {
        int[] prefix = template.prefix();
        return prefix.length == 0 ? OptionalInt.empty() : OptionalInt.of(prefix[0]);
    }

    /** The last id the post-processor puts after a sequence: the EOS token, when it adds one. */
    public OptionalInt eosTokenId() {
        int[] suffix = template.suffix();
        return suffix.length == 0 ? OptionalInt.empty() : OptionalInt.of(suffix[suffix.length - 1]);
    }

    /** The {@code added_tokens}, by increasing id. */
    public List<AddedToken> addedTokens() {
        return addedById.values().stream().sorted(Comparator.comparingInt(AddedToken::id)).toList();
    }

    /** Where this tokenizer was loaded from. */
    public String source() {
        return source;
    }

    /**
     * Hugging Face ignores the declared ids when loading: it adds the tokens in file order, keeping
     * the id of a content already in the vocabulary (or already added) and giving any other token
     * the vocabulary's entry count, or one more than the largest added id once that reaches it. A
     * file whose declared ids differ would encode differently there, so it is rejected.
     */
    private void checkAgreesWithVocabulary(AddedToken token, JsonField entry) {
        int expected;
        AddedToken same = addedByContent.get(token.content());
        OptionalInt inVocab = model.id(token.content());
        if (same != null) {
            expected = same.id();
        } else if (inVocab.isPresent()) {
            expected = inVocab.getAsInt();
        } else if (addedById.isEmpty()) {
            expected = model.entryCount();
        } else {
            int largest = Collections.max(addedById.keySet());
            expected = largest >= model.entryCount() || model.entryCount() == 0 ? largest + 1 : model.entryCount();
        }
        if (token.id() != expected)
            throw entry.get("id").fail("expected id " + expected + " for \"" + token.content()
                    + "\" (the id Hugging Face tokenizers assigns, from model.vocab and the earlier added_tokens)");
    }

    private void checkTemplateIds(JsonField postProcessor) {
        for (int[] ids : List.of(template.prefix(), template.suffix()))
            for (int id : ids)
                if (token(id).isEmpty())
                    throw postProcessor.fail("expected special token ids of the vocabulary, but id " + id + " is not in it");
    }

    @Override
    public String toString() {
        return "Tokenizer[" + source + ", " + model + ", added=" + addedById.size() + ", " + template + "]";
    }
}
