package io.llmc4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.incubator.vector.FloatVector;

/** One line describing the machine the numbers come from. */
final class Machine {
    private Machine() {
    }

    /** The first line a bench prints: its name, this machine, and how it measures. */
    static String banner(String bench, int threads, int warmupSeconds, int rounds, String per) {
        return bench + ": " + describe() + ", " + threads + " threads, " + warmupSeconds + " s warm-up, then " + rounds + " measured rounds per " + per;
    }

    static String describe() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
        } catch (IOException e) {
            cpu = "CPU unknown (" + e.getMessage() + ")";
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, JDK " + Runtime.version()
                + ", " + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors";
    }
}
