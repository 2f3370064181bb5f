package io.llmc4j.engine.io.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Small {@code tokenizer.json} documents built in the tests, in the two shapes real checkpoints use.
 *
 * <p>Byte-level (Llama 3 / GPT-2 shape): the vocabulary holds the 256 byte characters with id = byte
 * value ('a' = 97, 'Ġ' (space) = 32), then one id per merge result from 256 on:
 * <pre>
 *   rank 0 "Ġ t" -> Ġt 256     rank 3 "l l"    -> ll    259     rank 6 "hell o" -> hello 262
 *   rank 1 "h e" -> he 257     rank 4 "e ll"   -> ell   260     rank 7 "Ġ Ġ"    -> ĠĠ    263
 *   rank 2 "Ġt he" -> Ġthe 258 rank 5 "h ell"  -> hell  261     rank 8 "Ċ Ċ"    -> ĊĊ    264
 *   added: &lt;|begin_of_text|&gt; 265 (BOS via TemplateProcessing), &lt;|eot_id|&gt; 266 (both special)
 * </pre>
 *
 * <p>SentencePiece (Llama 2 shape): {@code <unk>} 0, {@code <s>} 1, {@code </s>} 2, {@code <0x00>}..{@code <0xFF>}
 * 3..258, then:
 * <pre>
 *   ▁ 259  h 260  e 261  l 262  o 263  w 264  r 265  d 266
 *   rank 0 "▁ h" -> ▁h 267    rank 3 "ll o" -> llo 270       rank 6 "o r" -> or 273      rank 9 "▁wor ld" -> ▁world 276
 *   rank 1 "l l" -> ll 268    rank 4 "▁he llo" -> ▁hello 271 rank 7 "▁w or" -> ▁wor 274
 *   rank 2 "▁h e" -> ▁he 269  rank 5 "▁ w" -> ▁w 272         rank 8 "l d" -> ld 275
 * </pre>
 */
final class TokenizerFixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String LLAMA3_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final int BOS3 = 265;
    static final int EOT3 = 266;
    static final int SP_BYTE0 = 3;

    static final List<String[]> BYTE_LEVEL_MERGES = List.of(
            new String[] {"Ġ", "t"}, new String[] {"h", "e"}, new String[] {"Ġt", "he"}, new String[] {"l", "l"},
            new String[] {"e", "ll"}, new String[] {"h", "ell"}, new String[] {"hell", "o"}, new String[] {"Ġ", "Ġ"},
            new String[] {"Ċ", "Ċ"});

    static final List<String> SP_PIECES = List.of("▁", "h", "e", "l", "o", "w", "r", "d");
    static final List<String[]> SP_MERGES = List.of(
            new String[] {"▁", "h"}, new String[] {"l", "l"}, new String[] {"▁h", "e"}, new String[] {"ll", "o"},
            new String[] {"▁he", "llo"}, new String[] {"▁", "w"}, new String[] {"o", "r"}, new String[] {"▁w", "or"},
            new String[] {"l", "d"}, new String[] {"▁wor", "ld"});

    private TokenizerFixtures() {
    }

    /** Llama 3 shape: Split(Llama 3 regex) then ByteLevel without regex, merges in list form. */
    static ObjectNode llama3() {
        ObjectNode root = byteLevelBase(true);
        ObjectNode pre = root.putObject("pre_tokenizer").put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        ObjectNode split = steps.addObject().put("type", "Split");
        split.putObject("pattern").put("Regex", LLAMA3_SPLIT);
        split.put("behavior", "Isolated").put("invert", false);
        steps.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true).put("use_regex", false);
        ObjectNode post = root.putObject("post_processor").put("type", "Sequence");
        ArrayNode processors = post.putArray("processors");
        processors.addObject().put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", false).put("use_regex", true);
        processors.add(template("<|begin_of_text|>", BOS3));
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", true).put("use_regex", true);
        return root;
    }

    /** GPT-2 shape: ByteLevel pre-tokenizer with its built-in regex, merges as "a b" strings, no post-processor. */
    static ObjectNode gpt2() {
        ObjectNode root = byteLevelBase(false);
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true).put("use_regex", true);
        root.putObject("decoder").put("type", "ByteLevel");
        ArrayNode merges = ((ObjectNode) root.get("model")).putArray("merges");
        BYTE_LEVEL_MERGES.forEach(m -> merges.add(m[0] + " " + m[1]));
        return root;
    }

    private static ObjectNode byteLevelBase(boolean ignoreMerges) {
        ObjectNode root = JSON.createObjectNode().put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        addedToken(added, BOS3, "<|begin_of_text|>");
        addedToken(added, EOT3, "<|eot_id|>");
        root.putNull("normalizer");
        ObjectNode model = root.putObject("model").put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.put("fuse_unk", false).put("byte_fallback", false).put("ignore_merges", ignoreMerges);
        ObjectNode vocab = model.putObject("vocab");
        for (int b = 0; b < 256; b++)
            vocab.put(String.valueOf(ByteLevelAlphabet.charOf(b)), b);
        int next = 256;
        ArrayNode merges = model.putArray("merges");
        for (String[] m : BYTE_LEVEL_MERGES) {
            vocab.put(m[0] + m[1], next++);
            merges.addArray().add(m[0]).add(m[1]);
        }
        return root;
    }

    /** Llama 2 shape: Prepend + Replace normalizer, no pre-tokenizer, byte fallback, BOS template. */
    static ObjectNode llama2() {
        ObjectNode root = sentencePieceBase();
        ObjectNode normalizer = root.putObject("normalizer").put("type", "Sequence");
        ArrayNode steps = normalizer.putArray("normalizers");
        steps.addObject().put("type", "Prepend").put("prepend", "▁");
        ObjectNode replace = steps.addObject().put("type", "Replace");
        replace.putObject("pattern").put("String", " ");
        replace.put("content", "▁");
        root.putNull("pre_tokenizer");
        ObjectNode decoder = root.putObject("decoder").put("type", "Sequence");
        ArrayNode decoders = decoder.putArray("decoders");
        ObjectNode back = decoders.addObject().put("type", "Replace");
        back.putObject("pattern").put("String", "▁");
        back.put("content", " ");
        decoders.addObject().put("type", "ByteFallback");
        decoders.addObject().put("type", "Fuse");
        decoders.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
        return root;
    }

    /** Newer SentencePiece shape: no normalizer, Metaspace pre-tokenizer and decoder. */
    static ObjectNode metaspace(String prependScheme, boolean split) {
        ObjectNode root = sentencePieceBase();
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "Metaspace").put("replacement", "▁")
                .put("prepend_scheme", prependScheme).put("split", split);
        root.putObject("decoder").put("type", "Metaspace").put("replacement", "▁")
                .put("prepend_scheme", prependScheme).put("split", split);
        return root;
    }

    private static ObjectNode sentencePieceBase() {
        ObjectNode root = JSON.createObjectNode().put("version", "1.0");
        ArrayNode added = root.putArray("added_tokens");
        addedToken(added, 0, "<unk>");
        addedToken(added, 1, "<s>");
        addedToken(added, 2, "</s>");
        root.set("post_processor", template("<s>", 1));
        ObjectNode model = root.putObject("model").put("type", "BPE");
        model.putNull("dropout");
        model.put("unk_token", "<unk>").put("fuse_unk", true).put("byte_fallback", true).put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        vocab.put("<unk>", 0).put("<s>", 1).put("</s>", 2);
        for (int b = 0; b < 256; b++)
            vocab.put(BpeModel.byteToken(b), SP_BYTE0 + b);
        int next = SP_BYTE0 + 256;
        for (String piece : SP_PIECES)
            vocab.put(piece, next++);
        ArrayNode merges = model.putArray("merges");
        for (String[] m : SP_MERGES) {
            vocab.put(m[0] + m[1], next++);
            merges.add(m[0] + " " + m[1]);
        }
        return root;
    }

    private static void addedToken(ArrayNode added, int id, String content) {
        added.addObject().put("id", id).put("content", content).put("single_word", false).put("lstrip", false)
                .put("rstrip", false).put("normalized", false).put("special", true);
    }

    /** TemplateProcessing that puts {@code token} (id) before sequence A. */
    static ObjectNode template(String token, int id) {
        ObjectNode post = JSON.createObjectNode().put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", token).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode entry = post.putObject("special_tokens").putObject(token);
        entry.put("id", token);
        entry.putArray("ids").add(id);
        entry.putArray("tokens").add(token);
        return post;
    }

    /** Writes {@code root} as {@code dir/tokenizer.json} and loads it. */
    static Tokenizer write(Path dir, ObjectNode root) {
        try {
            Path file = dir.resolve("tokenizer.json");
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            return Tokenizer.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads {@code root} from memory. */
    static Tokenizer load(ObjectNode root) {
        return Tokenizer.fromJson(root.toString(), "test tokenizer.json");
    }
}
