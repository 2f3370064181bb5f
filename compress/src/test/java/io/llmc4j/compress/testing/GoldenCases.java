package io.llmc4j.compress.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmc4j.engine.io.npy.NpzReader;
import io.llmc4j.engine.testing.SharedFiles;
import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test-side access to {@code shared/golden}: the case index {@code cases.json} and the {@code .npz}
 * arrays it points to (compressed-tensors 0.18.1 / llm-compressor ab1ba3e return values; see the folder's
 * README). {@link #all()} skips the calling test (JUnit assumption) when {@code shared/} is absent.
 *
 * <p>Arrays are decoded on first use and cached; archives stay open for the life of the test JVM.
 * Thread-safe.
 */
public final class GoldenCases {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, NpzReader> ARCHIVES = new ConcurrentHashMap<>();
    private static final Map<String, Tensor> ARRAYS = new ConcurrentHashMap<>();
    private static volatile List<GoldenCase> cases;

    private GoldenCases() {
    }

    /** The golden folder; skips the test when it is absent. */
    public static Path folder() {
        return SharedFiles.require("golden/cases.json").getParent();
    }

    /** Every case record present, in file order. */
    public static List<GoldenCase> all() {
        Path dir = folder();
        List<GoldenCase> local = cases;
        if (local == null) {
            synchronized (GoldenCases.class) {
                if (cases == null) cases = load(dir);
                local = cases;
            }
        }
        return local;
    }

    /** The cases of {@code family} ({@code int_qparams}, {@code fp8}, {@code fp4}, {@code edge}, {@code bf16}, {@code observers}, ...). */
    public static List<GoldenCase> family(String family) {
        return all().stream().filter(c -> c.family().equals(family)).toList();
    }

    /** The case {@code id}, failing when it is not present. */
    public static GoldenCase byId(String id) {
        return all().stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no golden case '" + id + "' in " + folder().resolve("cases.json")));
    }

    /** The raw array {@code key} of archive {@code file} (as stored: bit patterns stay integers). */
    static Tensor array(String file, String key) {
        return ARRAYS.computeIfAbsent(file + "|" + key, k -> archive(file).get(key));
    }

    private static NpzReader archive(String file) {
        return ARCHIVES.computeIfAbsent(file, f -> NpzReader.open(folder().resolve(f)));
    }

    private static List<GoldenCase> load(Path dir) {
        try {
            JsonNode root = JSON.readTree(dir.resolve("cases.json").toFile());
            List<GoldenCase> out = new ArrayList<>();
            for (JsonNode node : root.get("cases")) out.add(new GoldenCase(node));
            return Collections.unmodifiableList(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve("cases.json"), e);
        }
    }

    static ObjectMapper json() {
        return JSON;
    }
}
