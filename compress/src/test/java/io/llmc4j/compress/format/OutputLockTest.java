package io.llmc4j.compress.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a killed run leaves beside its output is recovered by the next run, which holds the output's lock. */
class OutputLockTest {
    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private Path checkpoint(String name, String content) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(d.resolve("config.json"), content);
        return d;
    }

    @Test
    void halfWrittenTemporariesAndACompletedSwapsOldCopyAreRemoved() throws IOException {
        Path out = checkpoint("out", "new");
        checkpoint(".out.0123456789ab.tmp", "half");
        checkpoint(".out.old-42", "previous");
        checkpoint(".other.0123456789ab.tmp", "someone else's");
        List<String> notes = new ArrayList<>();
        try (OutputLock ignored = OutputLock.acquire(out, notes::add)) {
            assertEquals(List.of(".other.0123456789ab.tmp", ".out.lock", "out"), listing());
        }
        assertEquals(List.of(".other.0123456789ab.tmp", "out"), listing(), "the lock file goes with the lock");
        assertEquals("new", Files.readString(out.resolve("config.json")));
        assertEquals(2, notes.size(), notes::toString);
        assertTrue(notes.get(0).startsWith("removed " + dir.resolve(".out.0123456789ab.tmp") + " ("), notes::toString);
        assertTrue(notes.get(1).contains(".out.old-42") && notes.get(1).contains("completed --overwrite"), notes::toString);
    }

    @Test
    void aSwapCutBetweenItsRenamesIsUndone() throws IOException {
        checkpoint(".out.old-7", "previous");
        Path out = dir.resolve("out");
        List<String> notes = new ArrayList<>();
        OutputLock.acquire(out, notes::add).close();
        assertEquals(List.of("out"), listing());
        assertEquals("previous", Files.readString(out.resolve("config.json")));
        assertEquals(List.of("restored " + out + " from " + dir.resolve(".out.old-7") + ": an interrupted --overwrite had set it aside"), notes);
    }

    @Test
    void aSecondRunForTheSameOutputIsRefusedWhileTheFirstHoldsTheLock() throws IOException {
        Path out = dir.resolve("out");
        try (OutputLock first = OutputLock.acquire(out, n -> { })) {
            FormatException e = assertThrows(FormatException.class, () -> OutputLock.acquire(out, n -> { }));
            assertTrue(e.getMessage().contains("is being written by another run") && e.getMessage().contains(".out.lock"), e.getMessage());
            OutputLock.acquire(dir.resolve("other"), n -> { }).close();
        }
        OutputLock.acquire(out, n -> { }).close();
        assertFalse(Files.exists(dir.resolve(".out.lock")));
    }
}
