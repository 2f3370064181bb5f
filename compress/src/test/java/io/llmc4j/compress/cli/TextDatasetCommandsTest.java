package io.llmc4j.compress.cli;

import static io.llmc4j.compress.cli.CliTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmc4j.compress.data.ByteTokenizerFiles;
import io.llmc4j.engine.testing.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** oneshot and eval on text and chat datasets, with the model's tokenizer.json and chat template (zoo llama, vocab 512). */
class TextDatasetCommandsTest {
    @TempDir
    Path root;

    private Path modelWithTokenizer() throws Exception {
        Path source = SharedFiles.require("models/zoo/llama");
        Path model = Files.createDirectories(root.resolve("llama"));
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.toList()) Files.copy(f, model.resolve(f.getFileName()));
        }
        ByteTokenizerFiles.write(model);
        Files.writeString(model.resolve("tokenizer_config.json"), "{\"bos_token\": \"<s>\", \"chat_template\": "
                + "\"{{ bos_token }}{% for m in messages %}[{{ m['role'] }}] {{ m['content'] }}\\n{% endfor %}\"}");
        return model;
    }

    @Test
    void oneshotAndEvalReadChatAndTextFiles() throws Exception {
        Path model = modelWithTokenizer();
        Path chat = Files.writeString(root.resolve("chat.json"), "[{\"messages\": [{\"role\": \"user\", \"content\": \"Once upon a time\"}, "
                + "{\"role\": \"assistant\", \"content\": \"there was a cat.\"}]}, {\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}]");
        Path output = root.resolve("W8A8");
        var result = run(CliTesting.isolated(root), "oneshot", "--model", model.toString(), "--dataset", chat.toString(), "--scheme", "W8A8",
                "--output", output.toString(), "--json");
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(2, new ObjectMapper().readTree(result.out()).get("calibration_batches").asInt());

        Path text = Files.writeString(root.resolve("eval.txt"), "The cat sat on the mat.\nA dog ran.\n");
        var eval = run(CliTesting.isolated(root), "eval", "--model", output.toString(), "--reference", model.toString(), "--dataset", text.toString(), "--json");
        assertEquals(0, eval.exitCode(), eval::toString);
        JsonNode report = new ObjectMapper().readTree(eval.out());
        assertEquals(2, report.get("sequences").asInt());
        assertEquals(24 + 11 - 2, report.get("tokens").asInt(), "BOS + bytes per line, minus the first position of each: " + report);

        var packed = run(CliTesting.isolated(root), "eval", "--model", model.toString(), "--dataset", text.toString(), "--concatenate",
                "--max-seq-len", "8", "--json");
        assertEquals(0, packed.exitCode(), packed::toString);
        assertEquals(4, new ObjectMapper().readTree(packed.out()).get("sequences").asInt(), "35 tokens make 4 blocks of 8");
    }

    @Test
    void badRecordsNameFileLineAndColumn() throws Exception {
        Path model = modelWithTokenizer();
        Path bad = Files.writeString(root.resolve("bad.jsonl"), "{\"text\": \"fine\"}\n{\"text\": [1]}\n");
        var result = run(CliTesting.isolated(root), "oneshot", "--model", model.toString(), "--dataset", bad.toString(), "--scheme", "W8A8",
                "--output", root.resolve("out").toString());
        assertEquals(Llmc.EXIT_BAD_INPUT, result.exitCode(), result::toString);
        assertTrue(result.err().contains(bad + ":2: column \"text\": expected a string"), result::toString);
    }
}
