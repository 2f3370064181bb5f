package io.llmc4j.compress.cli;

import static io.llmc4j.compress.cli.CliTesting.run;
import static io.llmc4j.compress.cli.CliTesting.tinyModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.cli.CliTesting.CliResult;
import io.llmc4j.engine.ops.accel.Accelerators;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --device}: a device runs Linear with the CPU's results, a missing one falls back saying why, a bad name is a usage error. */
class DeviceOptionTest {
    @TempDir
    static Path shared;
    static Path model;

    @TempDir
    Path root;

    @BeforeAll
    static void writeModel() {
        model = tinyModel(shared.resolve("tiny"));
    }

    private CliResult generate(String device) {
        return run(CliTesting.isolated(root), "generate", "--model", model.toString(), "--prompt-ids", "1,40,41",
                "--max-new-tokens", "5", "--ignore-eos", "--device", device);
    }

    private static String generated(CliResult result) {
        return result.out().lines().filter(l -> l.startsWith("generated ids:")).findFirst().orElseThrow(() -> new AssertionError(result));
    }

    @Test
    void everyDeviceGeneratesTheCpuTokensOrFallsBackWithOneLine() {
        CliResult cpu = generate("cpu");
        assertEquals(0, cpu.exitCode(), cpu::toString);
        assertTrue(cpu.err().lines().noneMatch(l -> l.startsWith("llmc: ")), cpu::toString);
        for (String device : new String[] {"opencl", "cuda", "auto"}) {
            CliResult result = generate(device);
            assertEquals(0, result.exitCode(), result::toString);
            assertEquals(generated(cpu), generated(result), device);
            long notes = result.err().lines().filter(l -> l.startsWith("llmc: ")).count();
            assertEquals(1, notes, device + ": one line, either the device used or why not: " + result.err());
            assertTrue(result.err().contains("llmc: linear and matmul on " + device + ":")
                    || result.err().contains("llmc: device " + device + " unavailable (") || device.equals("auto"), result::toString);
        }
    }

    @Test
    void anUnknownDeviceIsAUsageError() {
        CliResult result = generate("tpu");
        assertEquals(2, result.exitCode(), result::toString);
        assertTrue(result.err().contains("'tpu' is not a device; expected one of " + Accelerators.DEVICES), result::toString);
    }
}
