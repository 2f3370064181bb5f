package io.llmc4j.compress.cli;

import static io.llmc4j.compress.cli.CliTesting.editConfig;
import static io.llmc4j.compress.cli.CliTesting.listing;
import static io.llmc4j.compress.cli.CliTesting.run;
import static io.llmc4j.compress.cli.CliTesting.tinyModel;
import static io.llmc4j.compress.cli.CliTesting.tokens;
import static io.llmc4j.compress.cli.CliTesting.writeString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.llmc4j.compress.cli.CliTesting.CliResult;
import io.llmc4j.engine.io.safetensors.SafetensorsCheckpoint;
import io.llmc4j.engine.io.safetensors.SafetensorsWriter;
import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad model directory and bad dataset, through every command that reads it: exit code
 * 3, exactly one error line that names the file (and key, tensor or line), and nothing left where
 * the output would go.
 */
class BadInputTest {
    @TempDir
    Path root;

    /** A broken model directory: how to break a fresh tiny model, and what the error must say. */
    record ModelCase(String name, Consumer<Path> breakModel, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ModelCase> modelCases() {
        return Stream.of(
                new ModelCase("missing directory", dir -> delete(dir), "{model}: model directory does not exist"),
                new ModelCase("a file, not a directory", dir -> {
                    delete(dir);
                    writeString(dir, "not a directory");
                }, "{model}: expected a model directory"),
                new ModelCase("no config.json", dir -> deleteFile(dir.resolve("config.json")), "{model}/config.json: not found"),
                new ModelCase("config.json not JSON", dir -> writeString(dir.resolve("config.json"), "{\"model_type\": "),
                        "{model}/config.json: is not valid JSON"),
                new ModelCase("unknown model_type", dir -> editConfig(dir, c -> c.put("model_type", "gpt2")),
                        "{model}/config.json: 'model_type' \"gpt2\" is not supported"),
                new ModelCase("missing required key", dir -> editConfig(dir, c -> c.remove("hidden_size")),
                        "{model}/config.json: 'hidden_size'"),
                new ModelCase("tensor missing", dir -> rewriteWeights(dir, w -> w.remove("model.layers.1.mlp.up_proj.weight")),
                        "tensor 'model.layers.1.mlp.up_proj.weight' is missing from safetensors checkpoint {model}"),
                new ModelCase("shape mismatch vs config", dir -> editConfig(dir, c -> c.put("intermediate_size", 128)),
                        "tensor 'model.layers.0.mlp.gate_proj.weight' in safetensors checkpoint {model} has shape [172, 64]; the config expects [128, 64]"),
                new ModelCase("truncated safetensors", dir -> truncate(dir.resolve("model.safetensors"), 1000),
                        "{model}/model.safetensors: "),
                new ModelCase("safetensors header not JSON", dir -> corruptHeader(dir.resolve("model.safetensors")),
                        "{model}/model.safetensors: "),
                new ModelCase("no weights", dir -> deleteFile(dir.resolve("model.safetensors")), "{model}: found no model.safetensors.index.json"),
                new ModelCase("compressed-tensors config without config_groups", dir -> editConfig(dir, c -> c.putObject("quantization_config")
                                .put("quant_method", "compressed-tensors").put("format", "int-quantized")),
                        "{model}/config.json: quantization_config.config_groups must be an object of schemes"),
                new ModelCase("other quant_method", dir -> editConfig(dir, c -> c.putObject("quantization_config").put("quant_method", "gptq")),
                        "{model}/config.json: 'quantization_config' has quant_method \"gptq\""));
    }

    static Stream<Arguments> modelCasesByCommand() {
        List<Arguments> out = new ArrayList<>();
        for (String command : List.of("logits", "eval", "generate"))
            modelCases().forEach(c -> out.add(Arguments.of(command, c)));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("modelCasesByCommand")
    void aBrokenModelDirectoryGivesOneErrorNamingItAndExitCode3(String command, ModelCase broken) throws IOException {
        Path model = tinyModel(root.resolve("model"));
        broken.breakModel().accept(model);
        Path data = tokens(root.resolve("ids.jsonl"), new long[] {1, 2, 3, 4}, new long[] {1, 5, 6, 7});
        Path out = Files.createDirectory(root.resolve("out"));
        CliResult result = run(CliTesting.isolated(root), commandLine(command, model, data, out));
        assertOneError(result, command, broken.expected().replace("{model}", model.toString()));
        assertEquals(List.of(), listing(out), "nothing is written where the output would go");
    }

    /** A broken dataset: its text, and what the error must say ({file} is its path). */
    record DatasetCase(String name, String text, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<DatasetCase> datasetCases() {
        return Stream.of(
                new DatasetCase("a line that is not JSON", "{\"input_ids\": [1, 2, 3]}\n{input_ids: [1, 2]\n",
                        "{file}:2: expected a JSON object, found text that is not JSON"),
                new DatasetCase("a line that is a JSON array", "[1, 2, 3]\n", "{file}:1: expected a JSON object, found [1,2,3]"),
                new DatasetCase("a record without input_ids", "{\"input_ids\": [1, 2, 3]}\n{\"text\": \"hello\"}\n",
                        "{file}:2: expected a field \"input_ids\", found none (fields: text)"),
                new DatasetCase("ids that are not integers", "{\"input_ids\": [1, \"two\", 3]}\n", "{file}:1: expected input_ids[1] to be an integer"),
                new DatasetCase("an id outside the vocabulary", "{\"input_ids\": [1, 2, 3]}\n{\"input_ids\": [1, 256, 3]}\n",
                        "{file}:2: token id 256 at position 1 of input_ids is not below the vocabulary size 256"),
                new DatasetCase("a sequence longer than the model allows", "{\"input_ids\": [1, 2, 3]}\n{\"input_ids\": " + Arrays.toString(new int[600]) + "}\n",
                        "{file}:2: sequence of 600 tokens is longer than the model's maximum of 512 positions"),
                new DatasetCase("an empty file", "\n", "{file}:0: expected at least one record, found none"));
    }

    static Stream<Arguments> datasetCasesByCommand() {
        List<Arguments> out = new ArrayList<>();
        for (String command : List.of("logits", "eval"))
            datasetCases().forEach(c -> out.add(Arguments.of(command, c)));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("datasetCasesByCommand")
    void aBrokenDatasetGivesOneErrorNamingTheFileAndLineAndExitCode3(String command, DatasetCase broken) throws IOException {
        Path model = tinyModel(root.resolve("model"));
        Path data = writeString(root.resolve("ids.jsonl"), broken.text());
        Path out = Files.createDirectory(root.resolve("out"));
        CliResult result = run(CliTesting.isolated(root), commandLine(command, model, data, out));
        assertOneError(result, command, broken.expected().replace("{file}", data.toString()));
        assertEquals(List.of(), listing(out));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void aMissingDatasetFileIsNamed(String command) throws IOException {
        Path model = tinyModel(root.resolve("model"));
        Path out = Files.createDirectory(root.resolve("out"));
        CliResult result = run(CliTesting.isolated(root), commandLine(command, model, root.resolve("absent.jsonl"), out));
        assertOneError(result, command, "no such file: " + root.resolve("absent.jsonl"));
        assertEquals(List.of(), listing(out));
    }

    static Stream<String> commands() {
        return Stream.of("logits", "eval");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void aDatasetThatIsNotUtf8OrADirectoryIsNamed(String command) throws IOException {
        Path model = tinyModel(root.resolve("model"));
        Path out = Files.createDirectory(root.resolve("out"));
        byte[] text = "{\"input_ids\": [1, 2, 3]}\n{\"input_ids\": [1, 2], \"note\": \"x\"}\n".getBytes(StandardCharsets.UTF_8);
        text[text.length - 4] = (byte) 0xFF;
        Path data = Files.write(root.resolve("ids.jsonl"), text);
        assertOneError(run(CliTesting.isolated(root), commandLine(command, model, data, out)), command,
                data + ":2:32: not valid UTF-8 (byte 0xFF)");
        Path directory = Files.createDirectory(root.resolve("ids-dir"));
        assertOneError(run(CliTesting.isolated(root), commandLine(command, model, directory, out)), command,
                directory + ": is a directory; expected a JSON Lines file");
        assertEquals(List.of(), listing(out));
    }

    @Test
    void aRecipeThatIsNotUtf8OrADirectoryIsNamed() throws IOException {
        Path model = tinyModel(root.resolve("model"));
        Path data = tokens(root.resolve("ids.jsonl"), new long[] {1, 2, 3, 4});
        byte[] text = "QuantizationModifier:\n  scheme: W8A8\n  ignore: [lm_head]  # caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        Path recipe = Files.write(root.resolve("r.yaml"), text);
        Path out = root.resolve("out");
        assertOneError(run(CliTesting.isolated(root), "oneshot", "--model", model.toString(), "--dataset", data.toString(), "--recipe",
                recipe.toString(), "--output", out.toString()), "oneshot", recipe + ":3:27: not valid UTF-8 (byte 0xE9)");
        Path directory = Files.createDirectory(root.resolve("recipe-dir"));
        assertOneError(run(CliTesting.isolated(root), "oneshot", "--model", model.toString(), "--dataset", data.toString(), "--recipe",
                directory.toString(), "--output", out.toString()), "oneshot", directory + ": is a directory; expected a recipe file");
        assertFalse(Files.exists(out));
    }

    @Test
    void inspectNamesABadConfigJson() throws IOException {
        Path model = tinyModel(root.resolve("model"));
        Path config = model.resolve("config.json");
        writeString(config, "{\"model_type\": \"llama\",\n  \"hidden_size\": }\n");
        assertOneError(run(CliTesting.isolated(root), "inspect", model.toString()), "inspect", config + ":2:18: is not valid JSON");
        writeString(config, "[1, 2]");
        assertOneError(run(CliTesting.isolated(root), "inspect", model.toString()), "inspect", config + ": expected a JSON object, found ARRAY");
        Files.write(config, "{\"model_type\": \"ll\u00e4ma\"}".getBytes(StandardCharsets.ISO_8859_1));
        assertOneError(run(CliTesting.isolated(root), "inspect", model.toString()), "inspect", config + ":1:19: not valid UTF-8 (byte 0xE4)");
        Path data = tokens(root.resolve("ids.jsonl"), new long[] {1, 2, 3, 4});
        assertOneError(run(CliTesting.isolated(root), "eval", "--model", model.toString(), "--dataset", data.toString()), "eval",
                config + ": cannot be read: line 1, column 19: not valid UTF-8 (byte 0xE4)");
    }

    @Test
    void anUnreadableModelDirectoryIsNamed() throws IOException {
        Path model = tinyModel(root.resolve("model"));
        Files.setPosixFilePermissions(model, PosixFilePermissions.fromString("-wx------"));
        try {
            assumeFalse(Files.isReadable(model), "running with privileges that read any directory (root); skipping");
            CliResult result = run(CliTesting.isolated(root), "eval", "--model", model.toString(), "--dataset",
                    tokens(root.resolve("ids.jsonl"), new long[] {1, 2}).toString());
            assertOneError(result, "eval", model + ": model directory is not readable");
        } finally {
            Files.setPosixFilePermissions(model, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static String[] commandLine(String command, Path model, Path data, Path out) {
        return switch (command) {
            case "logits" -> new String[] {"logits", "--model", model.toString(), "--tokens", data.toString(), "--out", out.resolve("l.npy").toString()};
            case "eval" -> new String[] {"eval", "--model", model.toString(), "--dataset", data.toString(), "--json"};
            case "generate" -> new String[] {"generate", "--model", model.toString(), "--max-new-tokens", "2"};
            default -> throw new IllegalArgumentException(command);
        };
    }

    static void assertOneError(CliResult result, String command, String expected) {
        assertEquals(Llmc.EXIT_BAD_INPUT, result.exitCode(), result::toString);
        assertEquals(1, result.errLines().size(), result::toString);
        String line = result.errLines().getFirst();
        assertTrue(line.startsWith("llmc " + command + ": "), result::toString);
        assertTrue(line.contains(expected), () -> "expected the error to contain\n  " + expected + "\n" + result);
        assertEquals("", result.out(), result::toString);
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteFile(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void truncate(Path file, int bytesRemoved) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(bytes, bytes.length - bytesRemoved));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void corruptHeader(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            bytes[8] = '[';
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void rewriteWeights(Path model, Consumer<Map<String, Tensor>> edit) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(model)) {
            for (String name : checkpoint.names()) copy.put(name, checkpoint.get(name).copy());
        }
        edit.accept(copy);
        SafetensorsWriter.write(model.resolve("model.safetensors"), copy, Map.of());
    }
}
