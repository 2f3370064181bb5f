package io.llmc4j.compress.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.compress.modelfree.ModelFreeQuantizer;
import io.llmc4j.compress.quantization.QuantizationPresets;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code llmc quantize-files}: LLM Compressor's {@code model_free_ptq}, a data-free scheme applied shard by shard without a model definition. */
@Command(name = "quantize-files", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Quantize every safetensors shard of a Hugging Face model directory with a data-free scheme, tensor by tensor, "
                + "without loading the model (any architecture): LLM Compressor's model_free_ptq.",
                "Targets and ignore match module names (a tensor MODULE.weight): exact names or re:regex; 'Linear' selects every 2-D "
                        + "weight except embeddings and norms. Fused 3-D experts (gate_up_proj, down_proj) are split per expert; q/k/v and "
                        + "gate/up share NVFP4 global scales across shards.",
                "The output is written to a temporary directory beside --output and moved into place when complete."},
        footer = {"", "Examples:", "  llmc quantize-files --model MODEL --scheme FP8_DYNAMIC --output out/MODEL-FP8-DYNAMIC --workers 2",
                "  llmc quantize-files --model MODEL --scheme NVFP4A16 --ignore 'lm_head,re:.*mlp.gate$' --output out/MODEL-NVFP4A16"})
final class QuantizeFilesCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", defaultValue = DefaultResources.DEFAULT,
            description = "Model directory, or 'default' (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--scheme", paramLabel = "NAME", required = true,
            description = "Preset scheme without calibrated activations: W4A16, W4A16_ASYM, W8A16, W8A8, W4A8, FP8_DYNAMIC, FP8_BLOCK, NVFP4A16, "
                    + "MXFP4A16, MXFP4, MXFP8A16, MXFP8.")
    String scheme;

    @Option(names = "--targets", paramLabel = "PATTERN", split = ",", defaultValue = "Linear",
            description = "Modules whose weight is quantized: Linear, exact names or re:regex (default: ${DEFAULT-VALUE}).")
    List<String> targets;

    @Option(names = "--ignore", paramLabel = "PATTERN", split = ",", defaultValue = "lm_head",
            description = "Modules left alone: exact names or re:regex (default: ${DEFAULT-VALUE}).")
    List<String> ignore;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1", description = "Shards processed in parallel (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--output", paramLabel = "DIR", required = true, description = "Directory of the quantized checkpoint.")
    Path output;

    @Option(names = "--overwrite", description = "Replace a non-empty --output (only after the new checkpoint is complete).")
    boolean overwrite;

    @Option(names = "--json", description = "Print the result as one JSON object on standard output.")
    boolean json;

    @ParentCommand
    Llmc root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DefaultResources defaults = new DefaultResources(root.environment(), err);
        Path modelDir = defaults.model(model);
        Path outputDir = root.environment().resolve(output.toString());
        var options = new ModelFreeQuantizer.Options(List.of(QuantizationPresets.scheme(scheme, targets)), ignore, workers, overwrite);
        ModelFreeQuantizer.Result result = ModelFreeQuantizer.run(modelDir, options, outputDir, new StderrProgress(err));
        if (json) {
            ObjectNode report = new ObjectMapper().createObjectNode();
            report.put("model", modelDir.toString());
            report.put("output", result.directory().toString());
            report.put("format", result.format().value());
            report.put("quantized_tensors", result.quantizedTensors());
            report.put("seconds", result.seconds());
            report.put("peak_rss_bytes", ProcessMemory.peakResidentBytes());
            report.putPOJO("files", result.files());
            out.println(new ObjectMapper().writeValueAsString(report));
        } else {
            out.printf(Locale.ROOT, "Wrote %s (%s, %d tensors quantized) in %.1f s, peak RSS %.2f GiB%n", result.directory(), result.format().value(),
                    result.quantizedTensors(), result.seconds(), ProcessMemory.peakResidentBytes() / (double) (1L << 30));
        }
        return 0;
    }
}
