package io.llmc4j.compress.cli;

import java.net.URISyntaxException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the CLI runs: the directory relative paths resolve against, the repository the launcher
 * runs from (to find the {@code shared/} folder beside it), and the cache for generated defaults.
 * Tests build one over temporary directories; {@link #fromSystem()} reads the real process.
 *
 * @param workingDirectory an absolute directory
 * @param launcherRoot     the repository root holding the running classes, when known
 * @param cacheDirectory   where generated defaults are kept ({@code $XDG_CACHE_HOME/llmc4j}, or
 *                         {@code ~/.cache/llmc4j})
 */
public record CliEnvironment(Path workingDirectory, Optional<Path> launcherRoot, Path cacheDirectory) {
    public CliEnvironment {
        workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory").toAbsolutePath().normalize();
        Objects.requireNonNull(launcherRoot, "launcherRoot");
        cacheDirectory = Objects.requireNonNull(cacheDirectory, "cacheDirectory").toAbsolutePath().normalize();
    }

    /** The process's working directory, the repository of the running classes, and the user's cache. */
    public static CliEnvironment fromSystem() {
        return new CliEnvironment(Path.of("").toAbsolutePath(), repositoryOf(Llmc.class), cacheDirectory(System.getenv(), Path.of(System.getProperty("user.home"))));
    }

    /** {@code $XDG_CACHE_HOME/llmc4j} when that is an absolute path, else {@code <home>/.cache/llmc4j}. */
    static Path cacheDirectory(Map<String, String> environment, Path home) {
        String xdg = environment.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".cache");
        return base.resolve("llmc4j");
    }

    /** The nearest ancestor of {@code type}'s class folder or jar that holds the {@code llmc} launcher. */
    static Optional<Path> repositoryOf(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) return Optional.empty();
        Path location;
        try {
            location = Path.of(source.getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | IllegalArgumentException | FileSystemNotFoundException e) {
            return Optional.empty();
        }
        for (Path p = location; p != null; p = p.getParent())
            if (Files.isRegularFile(p.resolve("llmc"))) return Optional.of(p);
        return Optional.empty();
    }

    /** {@code path} resolved against the working directory. */
    public Path resolve(String path) {
        return workingDirectory.resolve(path).normalize();
    }
}
