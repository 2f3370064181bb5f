package io.llmc4j.engine.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The guard that keeps inputs read-only: an output (a file or directory about to be created, or
 * replaced as a whole) must not be an input, lie inside one, or contain one, as the file system sees
 * them — through symbolic links anywhere in either path, {@code ..}, bind mounts and hard-linked
 * directories, not as path text. Compared are real paths ({@link Path#toRealPath}) and file identity
 * (the {@linkplain BasicFileAttributes#fileKey() file key}, device and inode on Unix, else
 * {@link Files#isSameFile}):
 *
 * <ul>
 *   <li>inside (or the same as) an input: the nearest existing ancestor-or-self of the output, and each
 *       of its real ancestors, is compared with the input;</li>
 *   <li>containing an input: each real ancestor of the input is compared with the output;</li>
 *   <li>when the output exists and will be replaced, every directory under it (not following links,
 *       as deleting it would walk) is compared with the input and the input's ancestors, so a mount
 *       of the model inside the output is found too.</li>
 * </ul>
 *
 * <p>An input that does not exist is not checked (reading it fails later, naming it). Checks run
 * before any work, so a refused run has written nothing. Stateless.
 */
public final class InputOutputOverlap {
    /** One input: what it is (for messages, e.g. {@code "--model directory"}) and where. */
    public record Input(String role, Path path) {
        public Input {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(path, "path");
        }
    }

    private InputOutputOverlap() {
    }

    /**
     * Refuses {@code output} when it overlaps any of {@code inputs} (see the class comment).
     *
     * @param output       the file or directory to be written
     * @param outputRole   what it is, for the message (e.g. {@code "--output"})
     * @param replacesTree whether an existing output directory will be deleted as a whole (so its
     *                     subdirectories are checked too)
     * @throws OverlappingPathsException naming both paths and their real paths
     * @throws UncheckedIOException      when a path cannot be resolved
     */
    public static void requireApart(Path output, String outputRole, boolean replacesTree, List<Input> inputs) {
        Objects.requireNonNull(output, "output");
        for (Input input : inputs) {
            if (input == null || !Files.exists(input.path())) continue;
            Path absolute = output.toAbsolutePath();
            check(absolute, absolute, outputRole, replacesTree, input);
            if (!absolute.normalize().equals(absolute)) check(absolute, absolute.normalize(), outputRole, replacesTree, input);
        }
    }

    /** {@link #requireApart(Path, String, boolean, List)} for one input. */
    public static void requireApart(Path output, String outputRole, boolean replacesTree, String inputRole, Path input) {
        requireApart(output, outputRole, replacesTree, List.of(new Input(inputRole, input)));
    }

    /** Checks {@code output} (as given, absolute) spelled as {@code path} (itself, or normalized). */
    private static void check(Path output, Path path, String outputRole, boolean replacesTree, Input input) {
        try {
            Path realInput = input.path().toRealPath();
            Identity inputId = Identity.of(realInput);
            Path existing = nearestExisting(path);
            Path realExisting = existing.toRealPath();
            Path onDisk = realExisting.resolve(existing.relativize(path)).normalize();
            for (Path p = realExisting; p != null; p = p.getParent()) {
                if (!inputId.isSame(p)) continue;
                String relation = existing.equals(path) && p.equals(realExisting) ? "is" : "is inside";
                throw refuse(output, outputRole, relation, onDisk, input, realInput);
            }
            if (!existing.equals(path)) return;
            Identity outputId = Identity.of(realExisting);
            for (Path p = realInput.getParent(); p != null; p = p.getParent())
                if (outputId.isSame(p)) throw refuse(output, outputRole, "contains", onDisk, input, realInput);
            if (replacesTree && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) checkTree(output, path, outputRole, input, realInput);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compare " + outputRole + " " + output + " with " + input.role() + " " + input.path()
                    + ": " + e, e);
        }
    }

    /** Every directory under {@code output} (links not followed) against the input and its ancestors. */
    private static void checkTree(Path output, Path path, String outputRole, Input input, Path realInput) throws IOException {
        List<Identity> protectedIds = new ArrayList<>();
        for (Path p = realInput; p != null; p = p.getParent()) protectedIds.add(Identity.of(p));
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                for (Identity id : protectedIds)
                    if (id.isSame(dir, attrs))
                        throw refuse(output, outputRole, "contains (at " + dir + ")", path.toRealPath(), input, realInput);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static Path nearestExisting(Path absolute) {
        Path p = absolute;
        while (p != null && !Files.exists(p)) p = p.getParent();
        if (p == null) throw new UncheckedIOException(new IOException(absolute + ": no ancestor exists"));
        return p;
    }

    private static OverlappingPathsException refuse(Path output, String outputRole, String relation, Path realOutput, Input input,
                                                    Path realInput) {
        String outputText = outputRole + " " + output + (realOutput.equals(output) ? "" : " (on disk " + realOutput + ")");
        String inputText = input.role() + " " + input.path() + (realInput.equals(input.path()) ? "" : " (on disk " + realInput + ")");
        return new OverlappingPathsException(outputText + " " + relation + " the " + inputText
                + "; inputs are only read and never replaced: choose an output apart from them");
    }

    /** A file's identity: its file key where the file system has one, else the path for {@link Files#isSameFile}. */
    private record Identity(Path path, Object key) {
        static Identity of(Path path) throws IOException {
            return new Identity(path, Files.readAttributes(path, BasicFileAttributes.class).fileKey());
        }

        boolean isSame(Path other) throws IOException {
            return isSame(other, Files.readAttributes(other, BasicFileAttributes.class));
        }

        boolean isSame(Path other, BasicFileAttributes attrs) throws IOException {
            if (key != null && attrs.fileKey() != null) return key.equals(attrs.fileKey());
            return Files.isSameFile(path, other);
        }
    }
}
