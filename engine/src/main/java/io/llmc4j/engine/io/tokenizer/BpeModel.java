package io.llmc4j.engine.io.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code model} of type {@code BPE} in a {@code tokenizer.json}: a vocabulary (token string to
 * id) and ranked merges. A word is first split into its characters (code points), each looked up
 * in the vocabulary (with {@code continuing_subword_prefix} on all but the first and
 * {@code end_of_word_suffix} on the last); a character missing from the vocabulary becomes its
 * UTF-8 bytes as {@code <0xNN>} tokens when {@code byte_fallback} is on, else {@code unk_token}
 * (consecutive unknowns fused into one when {@code fuse_unk}), else it is dropped, as in Hugging
 * Face tokenizers. Then {@link BpeWord} applies the merges. With {@code ignore_merges} (Llama 3), a
 * word that is itself in the vocabulary is emitted whole. Immutable; thread-safe.
 */
final class BpeModel {
    private final Map<String, Integer> vocab;
    private final String[] tokenById;
    private final BpeMerges merges;
    private final int unkId;                       // -1: none
    private final String continuingSubwordPrefix;  // null: none
    private final String endOfWordSuffix;          // null: none
    private final boolean fuseUnk;
    private final boolean ignoreMerges;
    private final int[] byteFallbackIds;           // null when byte_fallback is off; -1 where <0xNN> is absent

    private BpeModel(Map<String, Integer> vocab, BpeMerges merges, int unkId, String continuingSubwordPrefix,
                     String endOfWordSuffix, boolean fuseUnk, boolean ignoreMerges, boolean byteFallback) {
        this.vocab = vocab;
        this.merges = merges;
        this.unkId = unkId;
        this.continuingSubwordPrefix = continuingSubwordPrefix;
        this.endOfWordSuffix = endOfWordSuffix;
        this.fuseUnk = fuseUnk;
        this.ignoreMerges = ignoreMerges;
        int maxId = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        this.tokenById = new String[maxId + 1];
        vocab.forEach((token, id) -> tokenById[id] = token);
        if (byteFallback) {
            byteFallbackIds = new int[256];
            for (int b = 0; b < 256; b++)
                byteFallbackIds[b] = vocab.getOrDefault(byteToken(b), -1);
        } else {
            byteFallbackIds = null;
        }
    }

    /** The byte-fallback token for byte {@code b}: {@code <0x0A>} for 10. */
    static String byteToken(int b) {
        return String.format("<0x%02X>", b & 0xFF);
    }

    /** Reads the {@code model} key; fails naming the key for anything but a consistent BPE model. */
    static BpeModel parse(JsonField model) {
        if (model.isAbsent())
            throw model.fail("expected the tokenizer model");
        JsonField type = model.get("type");
        boolean untypedBpe = type.isAbsent() && model.has("merges");   // files older than the "type" key
        if (!untypedBpe && !type.text().equals("BPE"))
            throw type.unsupported("BPE");
        JsonField dropout = model.get("dropout");
        if (!dropout.isAbsent() && dropout.node().asDouble() != 0.0)
            throw dropout.unsupported("null (no BPE dropout at inference)");
        Map<String, Integer> vocab = new HashMap<>();
        for (JsonField.Member m : model.get("vocab").members())
            vocab.put(m.name(), m.value().nonNegativeInt());
        String prefix = model.get("continuing_subword_prefix").optionalText().orElse(null);
        BpeMerges merges = parseMerges(model.get("merges"), vocab, prefix);
        int unkId = -1;
        JsonField unk = model.get("unk_token");
        if (!unk.isAbsent()) {
            Integer id = vocab.get(unk.text());
            if (id == null)
                throw unk.fail("expected a token of model.vocab");
            unkId = id;
        }
        return new BpeModel(vocab, merges, unkId, prefix,
                model.get("end_of_word_suffix").optionalText().orElse(null),
                model.get("fuse_unk").bool(false), model.get("ignore_merges").bool(false),
                model.get("byte_fallback").bool(false));
    }

    private static BpeMerges parseMerges(JsonField field, Map<String, Integer> vocab, String prefix) {
        BpeMerges merges = new BpeMerges();
        int rank = 0;
        for (JsonField entry : field.elements()) {
            String left;
            String right;
            if (entry.node().isTextual()) {                       // "a b"
                String[] parts = entry.text().split(" ", -1);
                if (parts.length != 2)
                    throw entry.fail("expected two tokens separated by one space");
                left = parts[0];
                right = parts[1];
            } else {                                              // ["a", "b"]
                var pair = entry.elements();
                if (pair.size() != 2)
                    throw entry.fail("expected a pair of tokens");
                left = pair.get(0).text();
                right = pair.get(1).text();
            }
            String merged = left + (prefix != null && right.startsWith(prefix) ? right.substring(prefix.length()) : right);
            merges.put(idOf(vocab, left, entry), idOf(vocab, right, entry), rank++, idOf(vocab, merged, entry));
        }
        return merges;
    }

    private static int idOf(Map<String, Integer> vocab, String token, JsonField where) {
        Integer id = vocab.get(token);
        if (id == null)
            throw where.fail("expected a merge whose tokens and result are in model.vocab, but \"" + token + "\" is not");
        return id;
    }

    /** Encodes one pre-tokenized word, appending ids to {@code out}. */
    void tokenize(String word, IntList out) {
        if (word.isEmpty())
            return;
        if (ignoreMerges) {
            Integer whole = vocab.get(word);
            if (whole != null) {
                out.add(whole);
                return;
            }
        }
        IntList symbols = new IntList();
        boolean unknownPending = false;                  // an unknown run not yet emitted as unk_token
        int[] codePoints = word.codePoints().toArray();
        for (int i = 0; i < codePoints.length; i++) {
            String s = Character.toString(codePoints[i]);
            if (i > 0 && continuingSubwordPrefix != null)
                s = continuingSubwordPrefix + s;
            if (i == codePoints.length - 1 && endOfWordSuffix != null)
                s = s + endOfWordSuffix;
            Integer id = vocab.get(s);
            if (id != null) {
                unknownPending = flushUnknown(unknownPending, symbols);
                symbols.add(id);
            } else if (canFallBackToBytes(s)) {
                unknownPending = flushUnknown(unknownPending, symbols);
                for (byte b : s.getBytes(StandardCharsets.UTF_8))
                    symbols.add(byteFallbackIds[b & 0xFF]);
            } else if (unkId >= 0) {
                if (!fuseUnk)
                    flushUnknown(unknownPending, symbols);
                unknownPending = true;
            }
        }
        flushUnknown(unknownPending, symbols);
        BpeWord.mergeInto(symbols.toArray(), merges, out);
    }

    private boolean flushUnknown(boolean pending, IntList symbols) {
        if (pending)
            symbols.add(unkId);
        return false;
    }

    private boolean canFallBackToBytes(String s) {
        if (byteFallbackIds == null)
            return false;
        for (byte b : s.getBytes(StandardCharsets.UTF_8))
            if (byteFallbackIds[b & 0xFF] < 0)
                return false;
        return true;
    }

    OptionalInt id(String token) {
        Integer id = vocab.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    Optional<String> token(int id) {
        return id >= 0 && id < tokenById.length ? Optional.ofNullable(tokenById[id]) : Optional.empty();
    }

    /** The number of vocabulary entries (Hugging Face's model vocab size). */
    int entryCount() {
        return vocab.size();
    }

    /** One more than the largest id in the vocabulary. */
    int idLimit() {
        return tokenById.length;
    }

    @Override
    public String toString() {
        return "BPE[vocab=" + vocab.size() + ", merges=" + merges.size() + ", byte_fallback=" + (byteFallbackIds != null)
                + ", ignore_merges=" + ignoreMerges + "]";
    }
}
