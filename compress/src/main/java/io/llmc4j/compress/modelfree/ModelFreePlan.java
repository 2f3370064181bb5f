package io.llmc4j.compress.modelfree;

import io.llmc4j.compress.format.CompressionFormat;
import io.llmc4j.compress.format.FormatException;
import io.llmc4j.compress.format.QuantizationConfig;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.QuantizationStrategy;
import io.llmc4j.engine.tensor.DType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * What a model-free run will do to each tensor, decided before anything is written (LLM Compressor's
 * {@code validate_file} pass, then the fused global scales): every targeted weight with its scheme,
 * format and, for a fused tensor_group set, the set's largest absolute value. Every targeted tensor is
 * checked first (floating point, 2-D, group size dividing its columns), so a tensor that cannot be
 * quantized stops the run before any output exists, naming the tensor and its file. Immutable once built.
 */
final class ModelFreePlan {
    /** A weight to quantize: its module name, scheme, format, and the fused set's absmax (null when not fused). */
    record Target(String module, QuantizationScheme scheme, CompressionFormat format, Float fusedAbsMax) {
    }

    private final Map<String, Target> targets;

    private ModelFreePlan(Map<String, Target> targets) {
        this.targets = targets;
    }

    /** The target for output tensor {@code name}, or null when it is copied as it is. */
    Target target(String name) {
        return targets.get(name);
    }

    int size() {
        return targets.size();
    }

    /**
     * Plans {@code shards} under {@code config} (groups with formats) and {@code selection}; fused absmax
     * values are computed on {@code workers}.
     */
    static ModelFreePlan build(List<ShardTensors> shards, QuantizationConfig config, TensorSelection selection, ExecutorService workers)
            throws Exception {
        List<String> groupNames = List.copyOf(config.configGroups().keySet());
        Map<String, ShardTensors.Item> targeted = new LinkedHashMap<>();
        Map<String, Integer> groupOf = new HashMap<>();
        List<String> allNames = new ArrayList<>();
        for (ShardTensors shard : shards) {
            for (ShardTensors.Item item : shard.items()) {
                allNames.add(item.name());
                int group = selection.groupOf(item.name(), item.shape().rank());
                if (group < 0) continue;
                check(item, selection.group(group).weights());
                if (targeted.put(item.name(), item) != null)
                    throw new FormatException("tensor '" + item.name() + "' appears twice in the checkpoint (" + item.file().path() + ")");
                groupOf.put(item.name(), group);
            }
        }
        Map<String, List<String>> fusedMembers = new LinkedHashMap<>();
        FusedSets.of(allNames).forEach((name, set) -> {
            Integer group = groupOf.get(name);
            if (group != null && selection.group(group).weights().strategy() == QuantizationStrategy.TENSOR_GROUP)
                fusedMembers.computeIfAbsent(set, k -> new ArrayList<>()).add(name);
        });
        Map<String, Float> setAbsMax = fusedAbsMax(fusedMembers, targeted, groupOf, selection, workers);
        Map<String, String> setOfName = new HashMap<>();
        fusedMembers.forEach((set, names) -> names.forEach(n -> setOfName.put(n, set)));
        Map<String, Target> targets = new LinkedHashMap<>();
        for (var e : targeted.entrySet()) {
            String name = e.getKey();
            int group = groupOf.get(name);
            String set = setOfName.get(name);
            targets.put(name, new Target(TensorSelection.moduleOf(name), selection.group(group), config.formatOf(groupNames.get(group)),
                    set == null ? null : setAbsMax.get(set)));
        }
        return new ModelFreePlan(targets);
    }

    private static Map<String, Float> fusedAbsMax(Map<String, List<String>> sets, Map<String, ShardTensors.Item> items,
                                                  Map<String, Integer> groupOf, TensorSelection selection, ExecutorService workers) throws Exception {
        Map<String, Future<Float>> pending = new LinkedHashMap<>();
        for (var set : sets.entrySet()) {
            pending.put(set.getKey(), workers.submit(() -> {
                float max = 0f;
                for (String name : set.getValue()) {
                    QuantizationArgs args = selection.group(groupOf.get(name)).weights();
                    max = Math.max(max, WeightQuantizer.absMax(items.get(name).read(), args));
                }
                return max;
            }));
        }
        Map<String, Float> out = new HashMap<>();
        for (var p : pending.entrySet()) out.put(p.getKey(), ModelFreeQuantizer.await(p.getValue()));
        return out;
    }

    private static void check(ShardTensors.Item item, QuantizationArgs args) {
        DType dtype = item.dtype();
        if (dtype != DType.F32 && dtype != DType.BF16 && dtype != DType.F16)
            throw new FormatException(item.where() + " is " + dtype + "; only F32, BF16 and F16 weights can be quantized (ignore it with --ignore)");
        if (item.shape().rank() != 2)
            throw new FormatException("Unable to quantize " + item.where() + ": expected a 2-D linear weight, but got shape " + item.shape());
        Integer g = args.groupSize();
        boolean grouped = args.strategy() == QuantizationStrategy.GROUP || args.strategy() == QuantizationStrategy.TENSOR_GROUP;
        if (grouped && g != null && g > 0 && item.shape().dim(1) % g != 0)
            throw new FormatException("Unable to quantize " + item.where() + " " + item.shape() + ": group_size " + g + " does not divide its "
                    + item.shape().dim(1) + " columns (ignore it with --ignore, or choose another scheme)");
    }
}
