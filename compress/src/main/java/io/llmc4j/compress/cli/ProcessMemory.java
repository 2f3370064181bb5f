package io.llmc4j.compress.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process from {@code /proc/self/status} (Linux); -1 where unavailable. */
final class ProcessMemory {
    private ProcessMemory() {
    }

    /** Current resident set size in bytes (VmRSS). */
    static long residentBytes() {
        return statusKilobytes("VmRSS:") * 1024;
    }

    /** Peak resident set size in bytes (VmHWM). */
    static long peakResidentBytes() {
        return statusKilobytes("VmHWM:") * 1024;
    }

    private static long statusKilobytes(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
