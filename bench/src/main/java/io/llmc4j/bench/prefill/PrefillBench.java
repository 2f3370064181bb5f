package io.llmc4j.bench.prefill;

import io.llmc4j.bench.pipeline.BenchCheckpoints;
import io.llmc4j.engine.models.LoadedModel;
import io.llmc4j.engine.models.ModelConfig;
import io.llmc4j.engine.models.SyntheticModels;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.nn.Linear;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.ops.KernelsFactory;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Prefill throughput: one forward of a {@code --tokens}-token sequence through a synthetic model
 * (default preset llama-3.2-1b, BF16, mmapped from a cached checkpoint) with the chosen kernels.
 * Prints tokens/s and GFLOPS, counting 2·(Linear weight elements)·tokens (lm_head included) plus
 * causal attention 2·layers·tokens²·(heads·head_dim) (QKᵀ and PV over the lower triangle).
 *
 * <p>Baseline in the same run: the GEMM-only time, i.e. the sum over every Linear of the model of
 * X·Wᵀ for X [tokens, in] F32 with the same kernels and the same mapped weights; the ratio
 * forward / GEMM-only is the non-GEMM overhead (norms, rope, attention, activations, copies).
 */
@Command(name = "prefill", mixinStandardHelpOptions = true, description = "Prefill tokens/s and GFLOPS vs the GEMM-only time of the same Linear layers")
public final class PrefillBench implements Callable<Integer> {
    @Option(names = "--preset", defaultValue = SyntheticModels.LLAMA_3_2_1B)
    String preset;
    @Option(names = "--model-dir", description = "checkpoint directory (written once, reused); default bench/target/models/<preset>-bf16")
    Path modelDir;
    @Option(names = "--tokens", defaultValue = "512")
    int tokens;
    @Option(names = "--warmup", defaultValue = "1")
    int warmup;
    @Option(names = "--runs", defaultValue = "3")
    int runs;
    @Option(names = "--seed", defaultValue = "7")
    long seed;
    @Option(names = "--kernels", defaultValue = KernelsFactory.VECTOR)
    String kernels;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PrefillBench()).execute(args));
    }

    @Override
    public Integer call() {
        if (modelDir == null) modelDir = Path.of("bench/target/models/" + preset + "-bf16");
        ModelConfig config = SyntheticModels.preset(preset);
        BenchCheckpoints.cached(modelDir, config, seed, 2L << 30);
        Ops ops = new Ops(KernelsFactory.create(kernels));
        try (LoadedModel loaded = LoadedModel.open(modelDir, ops)) {
            CausalLM model = loaded.model();
            List<Linear> linears = new ArrayList<>();
            long linearParams = 0;
            for (Module m : model.namedModules().values()) {
                if (m instanceof Linear l) {
                    linears.add(l);
                    linearParams += l.parameter("weight").elementCount();
                }
            }
            ModelConfig c = loaded.config();
            long attnWidth = (long) c.numAttentionHeads() * c.headDim();
            double flops = 2.0 * linearParams * tokens + 2.0 * c.numHiddenLayers() * (double) tokens * tokens * attnWidth;
            double gemmFlops = 2.0 * linearParams * tokens;

            SplittableRandom random = new SplittableRandom(seed);
            long[] ids = new long[tokens];
            for (int t = 0; t < tokens; t++) ids[t] = random.nextInt(c.vocabSize());
            Tensor input = Tensor.ofLongs(ids, 1, tokens);
            System.out.printf(Locale.ROOT, "%s: %d Linear layers, %.3f G Linear params, %d tokens, kernels %s, %d processors, max heap %.1f GiB%n",
                    preset, linears.size(), linearParams / 1e9, tokens, kernels, Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() / (double) (1L << 30));

            List<Tensor> inputs = new ArrayList<>();
            for (Linear l : linears) inputs.add(randomRows(random, tokens, l.inFeatures()));

            double[] forward = new double[runs];
            double[] gemm = new double[runs];
            for (int r = -warmup; r < runs; r++) {
                long start = System.nanoTime();
                Tensor logits = model.logits(input, null);
                double f = (System.nanoTime() - start) / 1e9;
                if (logits.dim(1) != tokens) throw new IllegalStateException("logits " + logits.shape() + " for " + tokens + " tokens");
                start = System.nanoTime();
                for (int i = 0; i < linears.size(); i++) ops.linear(inputs.get(i), linears.get(i).parameter("weight"), null);
                double g = (System.nanoTime() - start) / 1e9;
                String tag = r < 0 ? "warm-up" : "run " + (r + 1);
                System.out.printf(Locale.ROOT, "  %-8s forward %.3f s (%.1f tok/s, %.1f GFLOPS)   GEMM-only %.3f s (%.1f GFLOPS)   forward/GEMM %.3f%n",
                        tag, f, tokens / f, flops / f / 1e9, g, gemmFlops / g / 1e9, f / g);
                if (r >= 0) {
                    forward[r] = f;
                    gemm[r] = g;
                }
            }
            double f = median(forward), g = median(gemm);
            System.out.printf(Locale.ROOT, "Median of %d: forward %.3f s = %.1f tokens/s, %.1f GFLOPS (%.1f GFLOP); GEMM-only %.3f s = %.1f GFLOPS (%.1f GFLOP); "
                            + "forward/GEMM-only = %.3f (non-GEMM overhead %.1f%%)%n",
                    runs, f, tokens / f, flops / f / 1e9, flops / 1e9, g, gemmFlops / g / 1e9, gemmFlops / 1e9, f / g, 100 * (f - g) / f);
        }
        return 0;
    }

    private static Tensor randomRows(SplittableRandom random, int rows, long columns) {
        float[] data = new float[Math.toIntExact(Math.multiplyExact(rows, columns))];
        for (int i = 0; i < data.length; i++) data[i] = (float) (random.nextDouble() * 2 - 1);
        return Tensor.of(data, rows, columns);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
