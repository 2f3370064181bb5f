package io.llmc4j.engine.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the read-only {@code shared/} folder that sits beside the repository (models, data, golden
 * vectors). Tests that need it call {@link #require(String)}, which skips the test cleanly when the
 * folder or the file is absent.
 */
public final class SharedFiles {
    private SharedFiles() {
    }

    /** The shared folder: {@code <repo root>/../shared}, where the repo root holds {@code .ci/run}. */
    public static Optional<Path> root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(".ci/run")) || Files.isRegularFile(p.resolve("llmc"))) {
                Path shared = p.resolveSibling("shared");
                return Files.isDirectory(shared) ? Optional.of(shared) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** {@code shared/<relative>}, or the test is skipped (with the reason) when it is missing. */
    public static Path require(String relative) {
        Optional<Path> root = root();
        assumeTrue(root.isPresent(), "shared/ folder not found beside the repository; skipping");
        Path path = root.get().resolve(relative);
        assumeTrue(Files.exists(path), "shared/" + relative + " not found; skipping");
        return path;
    }
}
