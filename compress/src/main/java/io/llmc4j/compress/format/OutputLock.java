package io.llmc4j.compress.format;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One writer per output at a time, and what an interrupted writer left beside the output put right.
 * A run that writes {@code OUT} holds an exclusive lock on {@code .OUT.lock} beside it from its first
 * check to its commit; a second run for the same {@code OUT} is refused while the lock is held.
 * Holding the lock, a run first recovers what a killed run left (only a run holding the lock can
 * tell that nobody else is writing them):
 *
 * <ul>
 *   <li>{@code .OUT.<hex>.tmp}: a half-written checkpoint, deleted;</li>
 *   <li>{@code .OUT.old-<n>}: the previous checkpoint, set aside by an {@code --overwrite} swap
 *       ({@link OutputDirectory#commit}). When {@code OUT} is missing the swap was cut between its two
 *       renames: the newest one is renamed back to {@code OUT}; when {@code OUT} exists the swap was
 *       complete and it is deleted.</li>
 * </ul>
 *
 * <p>Each recovery is reported to the notes sink with the path and its size. Closing deletes the
 * lock file and releases the lock. Not thread-safe; one instance per run.
 */
public final class OutputLock implements AutoCloseable {
    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(Path lockFile, FileChannel channel, FileLock lock) {
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code output} (creating its parent directory when missing) and recovers what an
     * interrupted run left beside it.
     *
     * @throws FormatException naming the output and the lock file when another run holds it, or
     *                         when the lock cannot be created
     */
    public static OutputLock acquire(Path output, Consumer<String> notes) {
        Path target = output.toAbsolutePath().normalize();
        Path lockFile = target.resolveSibling("." + target.getFileName() + ".lock");
        FileChannel channel = null;
        try {
            Files.createDirectories(target.getParent());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null)
                throw new FormatException("output " + target + " is being written by another run (it holds " + lockFile
                        + "); wait for it to finish or stop it");
            OutputLock held = new OutputLock(lockFile, channel, lock);
            InterruptCleanup.register(lockFile);
            try {
                recover(target, notes);
            } catch (IOException | RuntimeException e) {
                held.close();
                throw e;
            }
            return held;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new FormatException("cannot lock or recover output " + target + " (lock file " + lockFile + "): " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** Deletes the lock file, then releases the lock. */
    @Override
    public void close() {
        InterruptCleanup.forget(lockFile);
        try {
            Files.deleteIfExists(lockFile);
        } catch (IOException ignored) {
            // an empty lock file left behind is harmless: the next run takes it over
        }
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }

    private static void recover(Path target, Consumer<String> notes) throws IOException {
        String name = target.getFileName().toString();
        Pattern temporary = Pattern.compile("\\." + Pattern.quote(name) + "\\.[0-9a-f]+\\.tmp");
        Pattern old = Pattern.compile("\\." + Pattern.quote(name) + "\\.old-\\d+");
        List<Path> olds = new ArrayList<>();
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(target.getParent())) {
            for (Path p : siblings) {
                String n = p.getFileName().toString();
                if (temporary.matcher(n).matches()) {
                    long bytes = size(p);
                    OutputDirectory.deleteRecursively(p);
                    notes.accept("removed " + p + " (" + human(bytes) + "), left by an interrupted run");
                } else if (old.matcher(n).matches()) {
                    olds.add(p);
                }
            }
        }
        olds.sort(Comparator.comparing(OutputLock::modified).reversed());
        if (!olds.isEmpty() && !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Path newest = olds.removeFirst();
            Files.move(newest, target, StandardCopyOption.ATOMIC_MOVE);
            notes.accept("restored " + target + " from " + newest + ": an interrupted --overwrite had set it aside");
        }
        for (Path p : olds) {
            long bytes = size(p);
            OutputDirectory.deleteRecursively(p);
            notes.accept("removed " + p + " (" + human(bytes) + "), the previous output of a completed --overwrite");
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static long size(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static String human(long bytes) {
        return bytes < 1 << 20 ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0) : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
