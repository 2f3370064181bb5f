package io.llmc4j.bench.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's memory from {@code /proc/self/status} (Linux): VmRSS, VmHWM (peak RSS), RssFile
 * (file-backed resident pages, i.e. mapped weights). Values in bytes, -1 where unavailable.
 * {@link #resetPeak()} resets VmHWM to the current RSS (writes 5 to {@code /proc/self/clear_refs}).
 */
public final class ProcStatus {
    private ProcStatus() {
    }

    public static long rss() {
        return kilobytes("VmRSS:") * 1024;
    }

    public static long peakRss() {
        return kilobytes("VmHWM:") * 1024;
    }

    public static long rssFile() {
        return kilobytes("RssFile:") * 1024;
    }

    /** Resets VmHWM; returns false when the kernel refused (then peaks are measured from the process start). */
    public static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static long kilobytes(String key) {
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
