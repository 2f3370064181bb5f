package io.llmc4j.compress.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Running out of Java heap is reported in one line that says how to get by, never as a stack trace. */
class OutOfMemoryMessageTest {

    @Test
    void theMessageNamesTheCommandTheHeapLimitAndTheWaysOut() {
        String line = Llmc.outOfMemory("oneshot", new OutOfMemoryError("Java heap space"), 2048L << 20);
        assertTrue(line.startsWith("llmc oneshot: out of memory (Java heap space)"), line);
        assertTrue(line.contains("heap limit of 2048 MiB"), line);
        assertTrue(line.contains("--offload off-heap|disk") && line.contains("LLMC_JAVA_OPTS=-Xmx"), line);
        assertFalse(line.contains("\n"), "one line: " + line);
    }

    @Test
    void anErrorWithoutAMessageStillSaysWhatRanOut() {
        String line = Llmc.outOfMemory("eval", new OutOfMemoryError(), 256L << 20);
        assertTrue(line.startsWith("llmc eval: out of memory (memory) with a Java heap limit of 256 MiB"), line);
        assertEquals(1, line.lines().count());
    }
}
