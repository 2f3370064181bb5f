package io.llmc4j.compress.oneshot;

import io.llmc4j.compress.core.CompressionSession;
import io.llmc4j.compress.format.CompressedCheckpointWriter;
import io.llmc4j.compress.format.FormatInference;
import io.llmc4j.compress.format.OutputLock;
import io.llmc4j.compress.format.QuantizationConfigSpec;
import io.llmc4j.compress.format.QuantizedModuleRef;
import io.llmc4j.compress.format.SavedCheckpoint;
import io.llmc4j.compress.format.WriteOptions;
import io.llmc4j.compress.modifiers.Modifier;
import io.llmc4j.compress.modifiers.quantization.QuantizingModifier;
import io.llmc4j.compress.pipelines.ProgressSink;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.lifecycle.QuantizedModule;
import io.llmc4j.compress.recipe.Recipe;
import io.llmc4j.engine.models.LoadedModel;
import io.llmc4j.engine.nn.NonFiniteParameters;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.NonFiniteValuesException;
import io.llmc4j.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A whole {@code oneshot}: load a Hugging Face model directory, apply a recipe with calibration
 * batches ({@link Oneshot}), write a compressed-tensors checkpoint atomically. The source directory
 * is only read: the output is checked against it ({@link CompressedCheckpointWriter#checkOutput})
 * before the model is loaded; the run holds the output's lock and first recovers what an interrupted
 * run left beside it ({@link OutputLock}). NaN or Inf met while calibrating fails naming where it was seen and which
 * parameters hold such values ({@link NonFiniteParameters}).
 */
public final class OneshotJob {
    /** The outcome: where the checkpoint went, per-module errors, and how long each phase took. */
    public record Result(SavedCheckpoint checkpoint, List<ModuleReport> modules, List<String> ignored, double calibrationSeconds,
                         double saveSeconds) {
    }

    private OneshotJob() {
    }

    /**
     * @param recipeYaml the recipe as written into the checkpoint's {@code recipe.yaml}
     */
    public static Result run(Path modelDir, Ops ops, Recipe recipe, String recipeYaml, List<? extends Map<String, Tensor>> batches,
                             Oneshot.Options options, Path output, WriteOptions writeOptions, ProgressSink progress) {
        CompressedCheckpointWriter.checkOutput(modelDir, output, writeOptions);
        try (OutputLock lock = OutputLock.acquire(output, progress::line); LoadedModel loaded = openChecked(modelDir, ops, output, writeOptions)) {
            long start = System.nanoTime();
            CompressionSession session;
            try {
                session = Oneshot.run(loaded.model(), ops, recipe, batches, options, progress);
            } catch (RuntimeException e) {
                if (NonFiniteValuesException.in(e) == null) throw e;
                throw new NonFiniteValuesException(e.getMessage() + "; " + NonFiniteParameters.summary(loaded.model()), e);
            }
            double calibrationSeconds = (System.nanoTime() - start) / 1e9;
            QuantizingModifier quantization = quantizingModifier(session.lifecycle().modifiers());
            List<QuantizedModuleRef> refs = new ArrayList<>();
            List<ModuleReport> reports = new ArrayList<>();
            for (QuantizedModule module : quantization.quantizedModules()) {
                refs.add(new QuantizedModuleRef(module.name(), module.module(), module.scheme()));
                ModuleReport report = new ModuleReport(module.name(), FormatInference.forScheme(module.scheme()).value(),
                        quantization.originalWeightError(module.name()).orElseGet(() -> QuantizationError.relativeWeightError(module)));
                reports.add(report);
                progress.line(String.format(java.util.Locale.ROOT, "%-40s %-16s weight error %.5f", report.name(), report.format(), report.relativeWeightError()));
            }
            List<QuantizationScheme> groups = quantization.writtenConfigGroups();
            QuantizationConfigSpec spec = new QuantizationConfigSpec(groups, quantization.ignoredModules(), null);
            long saveStart = System.nanoTime();
            SavedCheckpoint saved = CompressedCheckpointWriter.save(loaded.model(), loaded.config(), modelDir, refs, spec, recipeYaml, output, writeOptions);
            double saveSeconds = (System.nanoTime() - saveStart) / 1e9;
            progress.line(String.format(java.util.Locale.ROOT, "Saved %s checkpoint to %s in %.2f s", saved.format().value(), saved.directory(), saveSeconds));
            return new Result(saved, reports, quantization.ignoredModules(), calibrationSeconds, saveSeconds);
        }
    }

    /** Opens the model once the output, after recovery ({@link OutputLock}), still passes the checks. */
    private static LoadedModel openChecked(Path modelDir, Ops ops, Path output, WriteOptions writeOptions) {
        CompressedCheckpointWriter.checkOutput(modelDir, output, writeOptions);
        return LoadedModel.open(modelDir, ops);
    }

    private static QuantizingModifier quantizingModifier(List<Modifier> modifiers) {
        List<QuantizingModifier> found = modifiers.stream().filter(QuantizingModifier.class::isInstance).map(QuantizingModifier.class::cast).toList();
        if (found.size() != 1)
            throw new IllegalArgumentException("the recipe must hold exactly one quantizing modifier (QuantizationModifier or GPTQModifier) to write a compressed-tensors checkpoint, found "
                    + found.size() + " among " + modifiers.stream().map(Modifier::typeName).toList());
        return found.getFirst();
    }
}
