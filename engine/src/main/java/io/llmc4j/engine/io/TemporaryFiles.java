package io.llmc4j.engine.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Temporary files and directories beside a target (same directory, so a rename onto the target stays
 * on one file system), named {@code .<target name>.<random>.tmp}. Unlike
 * {@link Files#createTempFile}, which makes owner-only files (0600), they get the permissions the
 * process's umask gives ordinary files and directories, so a checkpoint renamed into place is as
 * readable as any file the user writes (a server running as another user can load it). Stateless.
 */
public final class TemporaryFiles {
    private static final int ATTEMPTS = 100;

    private TemporaryFiles() {
    }

    /** A new empty file beside {@code target}. */
    public static Path createFileBeside(Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return Files.createFile(candidate(target));
            } catch (FileAlreadyExistsException e) {
                if (attempt == ATTEMPTS) throw e;
            }
        }
    }

    /** A new empty directory beside {@code target}. */
    public static Path createDirectoryBeside(Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return Files.createDirectory(candidate(target));
            } catch (FileAlreadyExistsException e) {
                if (attempt == ATTEMPTS) throw e;
            }
        }
    }

    private static Path candidate(Path target) {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        if (directory == null) throw new IllegalArgumentException(target + ": has no parent directory to write beside");
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        return directory.resolve("." + absolute.getFileName() + "." + HexFormat.of().formatHex(random) + ".tmp");
    }
}
