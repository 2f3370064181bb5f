package io.llmc4j.compress.pipelines.sequential;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.llmc4j.engine.tensor.Tensor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Test helpers: run subgraphs in order on one batch, compare tensors bit for bit. */
final class SubgraphRuns {
    private SubgraphRuns() {
    }

    /**
     * Runs {@code subgraphs} in order on {@code batch} with a plain map as the cache, checking after
     * each one that the map holds exactly the values produced so far that later subgraphs read;
     * returns the last outputs.
     */
    static Map<String, Tensor> runInOrder(List<Subgraph> subgraphs, Map<String, Tensor> batch) {
        Map<String, Tensor> cache = new HashMap<>();
        for (var e : batch.entrySet()) if (e.getValue() != null) cache.put(e.getKey(), e.getValue());
        Map<String, Tensor> last = Map.of();
        for (int i = 0; i < subgraphs.size(); i++) {
            Subgraph s = subgraphs.get(i);
            last = s.forward(cache);
            if (i == subgraphs.size() - 1) break;
            cache.putAll(last);
            cache.keySet().removeAll(s.consumedNames());
            assertEquals(expectedCache(subgraphs, batch.keySet(), i), cache.keySet(), "cache after subgraph " + i);
        }
        return new LinkedHashMap<>(last);
    }

    /**
     * What the cache must hold after subgraph {@code done}: the batch's names and the outputs of
     * subgraphs up to {@code done} that a later subgraph reads.
     */
    static Set<String> expectedCache(List<Subgraph> subgraphs, Set<String> batchNames, int done) {
        Set<String> available = new HashSet<>(batchNames);
        for (int j = 0; j <= done; j++) available.addAll(subgraphs.get(j).outputNames());
        Set<String> later = new HashSet<>();
        for (int j = done + 1; j < subgraphs.size(); j++) later.addAll(subgraphs.get(j).inputNames());
        later.retainAll(available);
        return later;
    }

    static void assertSameBits(Tensor expected, Tensor actual, String message) {
        assertEquals(expected.shape(), actual.shape(), message);
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++)
            assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), message + ": element " + i + " " + e[i] + " vs " + a[i]);
    }
}
