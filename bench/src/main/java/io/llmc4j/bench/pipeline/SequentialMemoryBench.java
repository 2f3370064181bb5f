package io.llmc4j.bench.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.compress.pipelines.CalibrationCallbacks;
import io.llmc4j.compress.pipelines.IntermediatesCache;
import io.llmc4j.compress.pipelines.IntermediatesCache.Offload;
import io.llmc4j.compress.pipelines.sequential.MappedWeights;
import io.llmc4j.compress.pipelines.sequential.SequentialPipeline;
import io.llmc4j.compress.pipelines.sequential.SubgraphListener;
import io.llmc4j.engine.models.LoadedModel;
import io.llmc4j.engine.models.ModelConfig;
import io.llmc4j.engine.nn.HookHandle;
import io.llmc4j.engine.nn.Linear;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.ops.KernelsFactory;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.ops.Reduction;
import io.llmc4j.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Peak memory of the {@link SequentialPipeline} over a memory-mapped BF16 checkpoint of Llama-3-8B
 * width (hidden 4096, intermediate 14336, 32 heads over 8 KV heads, vocab 128256, tied embeddings)
 * with DISK offload and observe-only hooks (a forward pre-hook on every Linear that keeps the
 * per-channel abs-max of its input, computed with the kernels' reduce).
 *
 * <p>The contract checked: peak RSS &lt; 2 × (largest subgraph's mapped weight bytes) + cache
 * working set + 1 GiB, where the cache working set is the peak of the cache's resident bytes plus
 * two batches of offloaded intermediates (the one computing and the one prefetched). The same run
 * then repeats the pipeline with mapped-weight releasing off (baseline) and prints the peak ratio.
 */
@Command(name = "sequential-memory", mixinStandardHelpOptions = true,
        description = "Peak RSS of the sequential pipeline over a mapped >= 8 GiB checkpoint, with and without releasing mapped weights")
public final class SequentialMemoryBench implements Callable<Integer> {
    private static final long GIB = 1L << 30;

    @Option(names = "--model-dir", description = "checkpoint directory (written once, reused); default bench/target/models/llama3-8b-width-L<layers>-bf16")
    Path modelDir;
    @Option(names = "--layers", defaultValue = "18", description = "decoder layers (18: 8.3 GiB with tied embeddings)")
    int layers;
    @Option(names = "--shard-bytes", defaultValue = "2147483648", description = "maximum bytes per safetensors shard")
    long shardBytes;
    @Option(names = "--samples", defaultValue = "4", description = "calibration samples (one batch each)")
    int samples;
    @Option(names = "--tokens", defaultValue = "64", description = "tokens per sample")
    int tokens;
    @Option(names = "--baseline-samples", defaultValue = "-1", description = "samples of the baseline run (releasing off); -1: as --samples, 0: no baseline")
    int baselineSamples;
    @Option(names = "--seed", defaultValue = "1234")
    long seed;
    @Option(names = "--cache-dir", defaultValue = "bench/target/sequential-cache", description = "DISK offload directory")
    Path cacheDir;
    @Option(names = "--kernels", defaultValue = "vector")
    String kernels;
    @Option(names = "--delete-checkpoint", description = "delete the checkpoint directory at the end")
    boolean deleteCheckpoint;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SequentialMemoryBench()).execute(args));
    }

    static ModelConfig config(int layers) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("model_type", "llama").put("hidden_size", 4096).put("intermediate_size", 14336).put("num_hidden_layers", layers)
                .put("num_attention_heads", 32).put("num_key_value_heads", 8).put("head_dim", 128).put("vocab_size", 128256)
                .put("max_position_embeddings", 8192).put("rms_norm_eps", 1e-5).put("rope_theta", 500000.0)
                .put("hidden_act", "silu").put("tie_word_embeddings", true).put("torch_dtype", "bfloat16")
                .put("bos_token_id", 128000).put("eos_token_id", 128001).put("attention_bias", false).put("mlp_bias", false);
        c.putArray("architectures").add("LlamaForCausalLM");
        return ModelConfig.fromJson(c, "Llama-3-8B-width bench model with " + layers + " layers");
    }

    /** One pipeline run's measurements. */
    record Row(int index, String modules, long weightBytes, double calibrateSeconds, double propagateSeconds, long released,
               long rss, long rssFile, long peakRss, long cacheResident, long cacheOffloaded) {
    }

    record RunResult(List<Row> rows, long peakRss, long largestSubgraph, long cacheWorkingSet, double seconds, boolean peakReset) {
    }

    @Override
    public Integer call() {
        if (modelDir == null) modelDir = Path.of("bench/target/models/llama3-8b-width-L" + layers + "-bf16");
        if (baselineSamples < 0) baselineSamples = samples;
        ModelConfig config = config(layers);
        System.out.printf(Locale.ROOT, "JVM: max heap %s, %d processors, %s%n", BenchCheckpoints.gib(Runtime.getRuntime().maxMemory()),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
        Path dir = BenchCheckpoints.cached(modelDir, config, seed, shardBytes);
        long checkpointBytes = BenchCheckpoints.bytes(dir);
        Ops ops = new Ops(KernelsFactory.create(kernels));

        System.out.printf(Locale.ROOT, "%nRun 1: releasing mapped weights ON, %d samples x %d tokens, DISK offload%n", samples, tokens);
        RunResult on = run(dir, ops, true, samples);
        print(on);
        long bound = 2 * on.largestSubgraph() + on.cacheWorkingSet() + GIB;
        boolean pass = on.peakRss() < bound;
        System.out.printf(Locale.ROOT, "Checkpoint %s; largest subgraph weights %s; cache working set %s; bound = 2 x %s + %s + 1 GiB = %s%n",
                BenchCheckpoints.gib(checkpointBytes), BenchCheckpoints.gib(on.largestSubgraph()), mib(on.cacheWorkingSet()),
                BenchCheckpoints.gib(on.largestSubgraph()), mib(on.cacheWorkingSet()), BenchCheckpoints.gib(bound));
        System.out.printf(Locale.ROOT, "Peak RSS (VmHWM) %s vs bound %s: %s%n", BenchCheckpoints.gib(on.peakRss()), BenchCheckpoints.gib(bound), pass ? "PASS" : "FAIL");

        if (baselineSamples > 0) {
            System.out.printf(Locale.ROOT, "%nRun 2 (baseline): releasing mapped weights OFF, %d samples x %d tokens, DISK offload%n", baselineSamples, tokens);
            RunResult off = run(dir, ops, false, baselineSamples);
            print(off);
            System.out.printf(Locale.ROOT, "Baseline peak RSS %s (bound %s: %s); peak ratio baseline/released = %.2fx%s%n",
                    BenchCheckpoints.gib(off.peakRss()), BenchCheckpoints.gib(bound), off.peakRss() < bound ? "within" : "over",
                    off.peakRss() / (double) on.peakRss(), off.peakReset() ? "" : " (VmHWM could not be reset: baseline peak includes run 1)");
        }
        if (deleteCheckpoint) {
            BenchCheckpoints.delete(dir);
            System.out.println("Deleted " + dir);
        }
        return pass ? 0 : 1;
    }

    private RunResult run(Path dir, Ops ops, boolean release, int sampleCount) {
        System.gc();
        boolean reset = ProcStatus.resetPeak();
        List<Row> rows = new ArrayList<>();
        long[] largest = {0};
        long[] cachePeak = {0};
        long[] perBatchOffloaded = {0};
        long start = System.nanoTime();
        try (LoadedModel loaded = LoadedModel.open(dir, ops)) {
            Module model = loaded.model();
            List<HookHandle> hooks = observeLinearInputs(model, ops);
            List<Map<String, Tensor>> batches = batches(loaded.config().vocabSize(), sampleCount);
            var options = new SequentialPipeline.Options(List.of(), List.of(), 1, new IntermediatesCache.Options(Offload.DISK, cacheDir, true))
                    .withReleaseMappedWeights(release);
            SubgraphListener listener = f -> {
                long weights = MappedWeights.mappedBytes(model, f.subgraph().modulesWithDescendants());
                largest[0] = Math.max(largest[0], weights);
                long resident = f.cache().bytesResident(), offloaded = f.cache().bytesOffloaded();
                cachePeak[0] = Math.max(cachePeak[0], resident);
                perBatchOffloaded[0] = Math.max(perBatchOffloaded[0], offloaded / Math.max(1, f.cache().batchCount()));
                rows.add(new Row(f.index(), String.join(",", f.subgraph().moduleNames()), weights, f.calibrateNanos() / 1e9, f.propagateNanos() / 1e9,
                        f.releasedBytes(), ProcStatus.rss(), ProcStatus.rssFile(), ProcStatus.peakRss(), resident, offloaded));
            };
            new SequentialPipeline(ops, options, line -> System.out.println("  " + line), listener)
                    .run(model, List.of("input_ids"), batches, CalibrationCallbacks.none());
            hooks.forEach(HookHandle::remove);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new RunResult(rows, ProcStatus.peakRss(), largest[0], cachePeak[0] + 2 * perBatchOffloaded[0], seconds, reset);
    }

    /** A forward pre-hook on every Linear keeping the per-input-channel abs-max (observes only). */
    private static List<HookHandle> observeLinearInputs(Module model, Ops ops) {
        List<HookHandle> handles = new ArrayList<>();
        Map<Module, float[]> maxima = new HashMap<>();
        for (Module m : model.namedModules().values()) {
            if (!(m instanceof Linear linear)) continue;
            float[] max = new float[(int) linear.inFeatures()];
            maxima.put(m, max);
            handles.add(m.registerForwardPreHook((module, inputs) -> {
                Tensor x = inputs[0];
                long in = x.shape().last();
                Tensor rows = ops.reshape(x, x.elementCount() / in, in);
                float[] batchMax = ops.reduce(Reduction.ABS_MAX, rows, 0).toFloatArray();
                for (int i = 0; i < max.length; i++) max[i] = Math.max(max[i], batchMax[i]);
                return null;
            }));
        }
        return handles;
    }

    private List<Map<String, Tensor>> batches(int vocab, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Map<String, Tensor>> out = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            long[] ids = new long[tokens];
            for (int t = 0; t < tokens; t++) ids[t] = random.nextInt(vocab);
            Map<String, Tensor> batch = new HashMap<>();
            batch.put("input_ids", Tensor.ofLongs(ids, 1, tokens));
            out.add(batch);
        }
        return out;
    }

    private static void print(RunResult r) {
        System.out.printf(Locale.ROOT, "%4s %-28s %9s %8s %8s %9s %9s %9s %9s %9s %9s%n",
                "sub", "modules", "weights", "pass1 s", "pass2 s", "released", "VmRSS", "RssFile", "VmHWM", "cacheRes", "cacheOff");
        for (Row row : r.rows()) {
            String modules = row.modules().length() > 28 ? row.modules().substring(0, 25) + "..." : row.modules();
            System.out.printf(Locale.ROOT, "%4d %-28s %9s %8.2f %8.2f %9s %9s %9s %9s %9s %9s%n", row.index() + 1, modules, mib(row.weightBytes()),
                    row.calibrateSeconds(), row.propagateSeconds(), mib(row.released()), mib(row.rss()), mib(row.rssFile()), mib(row.peakRss()),
                    mib(row.cacheResident()), mib(row.cacheOffloaded()));
        }
        System.out.printf(Locale.ROOT, "Total %.1f s; peak RSS (VmHWM) %s%n", r.seconds(), BenchCheckpoints.gib(r.peakRss()));
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0fM", bytes / (double) (1L << 20));
    }
}
