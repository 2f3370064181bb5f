package io.llmc4j.compress.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A tiny tokenizer.json for data tests. */
final class ByteTokenizer {
    private ByteTokenizer() {
    }

    /** A byte-level tokenizer.json: the 256 byte characters as ids 0..255, no merges, BOS {@code <s>} = 256. */
    static Path write(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.putArray("added_tokens").addObject().put("id", 256).put("content", "<s>").put("special", true).put("normalized", false);
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false).put("use_regex", true);
        root.putObject("decoder").put("type", "ByteLevel");
        ObjectNode post = root.putObject("post_processor").put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        post.putObject("special_tokens").putObject("<s>").put("id", "<s>").putArray("ids").add(256);
        ObjectNode model = root.putObject("model").put("type", "BPE");
        ObjectNode vocab = model.putObject("vocab");
        for (int b = 0; b < 256; b++)
            vocab.put(byteLevelChar(b), b);
        model.putArray("merges");
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, root.toString());
        return file;
    }

    /** GPT-2's byte-to-unicode character for byte {@code b}, written out independently of the engine. */
    private static String byteLevelChar(int b) {
        int shifted = 0;
        for (int x = 0; x < b; x++)
            if (!(x >= '!' && x <= '~' || x >= 0xA1 && x <= 0xAC || x >= 0xAE))
                shifted++;
        boolean printable = b >= '!' && b <= '~' || b >= 0xA1 && b <= 0xAC || b >= 0xAE;
        return Character.toString(printable ? b : 256 + shifted);
    }
}
