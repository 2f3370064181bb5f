package io.llmc4j.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.accel.Accelerator;
import io.llmc4j.engine.ops.accel.Accelerators;
import io.llmc4j.engine.ops.accel.CpuAccelerator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Device selection through the service providers: a device that cannot open falls back to the CPU with one log line. */
class AcceleratorsTest {

    @Test
    void bothProvidersAreRegistered() {
        assertTrue(Accelerators.provider("opencl").isPresent());
        assertTrue(Accelerators.provider("cuda").isPresent());
    }

    @Test
    void eachDeviceEitherOpensOrFallsBackWithOneLineSayingWhy() {
        try (Parallel parallel = new Parallel(1)) {
            for (String device : List.of("cpu", "opencl", "cuda", "auto")) {
                List<String> log = new ArrayList<>();
                try (Accelerator accelerator = Accelerators.open(device, parallel, log::add)) {
                    if (accelerator instanceof CpuAccelerator && !device.equals("cpu")) {
                        assertEquals(1, log.size(), device + ": " + log);
                        assertTrue(log.getFirst().startsWith("device " + device + " unavailable (") && log.getFirst().endsWith("); using cpu"), log.getFirst());
                    } else {
                        assertEquals(List.of(), log, device);
                        if (!device.equals("cpu") && !device.equals("auto")) assertTrue(accelerator.name().startsWith(device + ":"), accelerator.name());
                    }
                }
            }
            assertThrows(IllegalArgumentException.class, () -> Accelerators.open("tpu", parallel, s -> { }));
        }
    }

    @Test
    void cudaWithoutItsDriverNamesTheLibrary() {
        try (Parallel parallel = new Parallel(1)) {
            List<String> log = new ArrayList<>();
            try (Accelerator accelerator = Accelerators.open("cuda", parallel, log::add)) {
                if (accelerator instanceof CpuAccelerator) assertTrue(log.getFirst().contains("cuda: "), log.toString());
                else assertInstanceOf(DeviceAccelerator.class, accelerator);
            }
        }
    }
}
