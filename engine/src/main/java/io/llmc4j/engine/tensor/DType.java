package io.llmc4j.engine.tensor;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Element types, named as safetensors names them. Each constant carries its size in bytes and
 * whether it holds floating-point values.
 */
public enum DType {
    F64(8, true),
    F32(4, true),
    F16(2, true),
    BF16(2, true),
    F8_E4M3(1, true),
    F8_E5M2(1, true),
    I64(8, false),
    I32(4, false),
    I16(2, false),
    I8(1, false),
    U8(1, false),
    BOOL(1, false);

    private final int byteSize;
    private final boolean floatingPoint;

    DType(int byteSize, boolean floatingPoint) {
        this.byteSize = byteSize;
        this.floatingPoint = floatingPoint;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** Bytes needed for {@code elementCount} elements; throws on overflow. */
    public long byteSizeFor(long elementCount) {
        return Math.multiplyExact(elementCount, (long) byteSize);
    }

    /** The name used in safetensors headers (identical to {@link #name()}). */
    public String safetensorsName() {
        return name();
    }

    /**
     * Parses a safetensors dtype name.
     *
     * @throws IllegalArgumentException naming the valid names when {@code name} is unknown
     */
    public static DType fromSafetensors(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) return t;
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "', expected one of "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
}
