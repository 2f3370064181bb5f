package io.llmc4j.gpu.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.llmc4j.engine.ops.accel.AcceleratorUnavailableException;
import org.junit.jupiter.api.Test;

class ClProgramTest {

    private static ClDevice deviceOrSkip() {
        try {
            return OpenClProvider.choose(false, System.getenv("LLMC_OPENCL_DEVICE"));
        } catch (AcceleratorUnavailableException e) {
            assumeTrue(false, "OpenCL unavailable: " + e.getMessage());
            throw new AssertionError(e);
        }
    }

    @Test
    void aFailedBuildReportsTheProgramTheStatusAndTheCompilerLog() {
        try (ClContext context = new ClContext(deviceOrSkip())) {
            ClException e = assertThrows(ClException.class,
                    () -> new ClProgram(context, "broken.cl", "__kernel void k(__global float *x) { x[0] = undefined_name; }", ""));
            assertEquals(-11, e.status());
            assertTrue(e.getMessage().startsWith("clBuildProgram(broken.cl) on "), e.getMessage());
            assertTrue(e.getMessage().contains("CL_BUILD_PROGRAM_FAILURE"), e.getMessage());
            assertTrue(e.getMessage().contains("undefined_name"), "the build log names the offending identifier: " + e.getMessage());
        }
    }

    @Test
    void aMissingKernelIsNamed() {
        try (ClContext context = new ClContext(deviceOrSkip());
             ClProgram program = new ClProgram(context, "one.cl", "__kernel void k(__global float *x) { x[0] = 1.0f; }", "")) {
            ClException e = assertThrows(ClException.class, () -> new ClKernel(program, "absent"));
            assertTrue(e.getMessage().contains("clCreateKernel(one.cl:absent)") && e.getMessage().contains("CL_INVALID_KERNEL_NAME"), e.getMessage());
        }
    }
}
