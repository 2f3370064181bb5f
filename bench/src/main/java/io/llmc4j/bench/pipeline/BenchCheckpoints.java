package io.llmc4j.bench.pipeline;

import io.llmc4j.engine.models.ModelConfig;
import io.llmc4j.engine.models.SyntheticCheckpoint;
import io.llmc4j.engine.tensor.DType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Synthetic checkpoints for benches: written once into a directory, reused while its config.json exists. */
public final class BenchCheckpoints {
    private BenchCheckpoints() {
    }

    /** {@code directory}, written from {@code config} (BF16, seeded) unless it already holds a checkpoint. */
    public static Path cached(Path directory, ModelConfig config, long seed, long maxShardBytes) {
        if (Files.isRegularFile(directory.resolve(ModelConfig.FILE_NAME))) {
            System.out.println("Reusing checkpoint " + directory + " (" + gib(bytes(directory)) + ")");
            return directory;
        }
        long start = System.nanoTime();
        SyntheticCheckpoint.write(directory, config, seed, DType.BF16, maxShardBytes);
        System.out.printf("Wrote checkpoint %s (%s) in %.1f s%n", directory, gib(bytes(directory)), (System.nanoTime() - start) / 1e9);
        return directory;
    }

    /** Total bytes of the regular files in {@code directory}. */
    public static long bytes(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(p + ": " + e, e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(directory + ": " + e, e);
        }
    }

    /** Deletes {@code directory} and its files (one level, as a checkpoint is laid out). */
    public static void delete(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path p : files.toList()) Files.delete(p);
            Files.delete(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(directory + ": cannot delete: " + e, e);
        }
    }

    public static String gib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }
}
