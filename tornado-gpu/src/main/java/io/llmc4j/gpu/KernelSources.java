package io.llmc4j.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads kernel sources (.cl, .ptx) shipped as class-path resources. */
public final class KernelSources {
    private KernelSources() {
    }

    /** The text of resource {@code path} (absolute, e.g. {@code /io/llmc4j/gpu/opencl/kernels.cl}). */
    public static String read(String path) {
        try (InputStream in = KernelSources.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("kernel resource " + path + " is missing from the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading kernel resource " + path, e);
        }
    }

    /** The kernels' op code for {@code reduction}: 0 sum, 1 max, 2 min, 3 abs-max (as in the .cl and .cu sources). */
    public static int opCode(io.llmc4j.engine.ops.Reduction reduction) {
        return switch (reduction) {
            case SUM -> 0;
            case MAX -> 1;
            case MIN -> 2;
            case ABS_MAX -> 3;
        };
    }
}
