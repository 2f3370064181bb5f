package io.llmc4j.compress.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.engine.io.TextFiles;
import io.llmc4j.engine.io.safetensors.SafetensorsCheckpoint;
import io.llmc4j.engine.io.safetensors.TensorInfo;
import io.llmc4j.engine.tensor.DType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code llmc inspect DIR}: architecture, tensor dtypes and sizes, quantization config. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a model directory's architecture, tensor dtypes and sizes, and quantization config.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "Hugging Face model directory (config.json + *.safetensors).")
    Path model;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path configFile = model.resolve("config.json");
        if (!Files.isRegularFile(configFile)) throw new IllegalArgumentException(configFile + ": not found (a model directory needs config.json)");
        JsonNode config = readConfig(configFile);
        out.printf("model:        %s%n", model.toAbsolutePath().normalize());
        out.printf("architecture: %s (model_type %s)%n", config.path("architectures").path(0).asText("?"), config.path("model_type").asText("?"));
        out.printf("layers:       %s, hidden %s, intermediate %s, heads %s (kv %s), vocab %s%n",
                config.path("num_hidden_layers").asText("?"), config.path("hidden_size").asText("?"),
                config.path("intermediate_size").asText("?"), config.path("num_attention_heads").asText("?"),
                config.path("num_key_value_heads").asText(config.path("num_attention_heads").asText("?")),
                config.path("vocab_size").asText("?"));
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(model)) {
            Map<DType, long[]> byDtype = new TreeMap<>();
            for (String name : checkpoint.names()) {
                TensorInfo info = checkpoint.info(name);
                long[] acc = byDtype.computeIfAbsent(info.dtype(), d -> new long[3]);
                acc[0]++;
                acc[1] += info.shape().elementCount();
                acc[2] += info.byteSize();
            }
            out.printf("tensors:      %d in %d file(s)%n", checkpoint.names().size(), checkpoint.files().size());
            for (var e : byDtype.entrySet())
                out.printf("  %-8s %6d tensors %,15d elements %,15d bytes%n", e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]);
        }
        JsonNode quantization = config.path("quantization_config");
        if (quantization.isMissingNode()) {
            out.println("quantization: none");
        } else {
            out.printf("quantization: %s, format %s, status %s%n", quantization.path("quant_method").asText("?"),
                    quantization.path("format").asText("?"), quantization.path("quantization_status").asText("?"));
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(quantization));
        }
        return 0;
    }

    /** config.json as a tree, whatever its model type; errors name the file (and line and column). */
    private static JsonNode readConfig(Path configFile) throws IOException {
        JsonNode config;
        try {
            config = new ObjectMapper().readTree(TextFiles.readUtf8(configFile, "config.json"));
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new IllegalArgumentException(configFile + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
                    + ": is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!(config instanceof ObjectNode))
            throw new IllegalArgumentException(configFile + ": expected a JSON object, found " + (config == null ? "nothing" : config.getNodeType()));
        return config;
    }
}
