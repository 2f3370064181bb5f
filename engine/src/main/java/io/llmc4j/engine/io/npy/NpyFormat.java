package io.llmc4j.engine.io.npy;

import io.llmc4j.engine.tensor.DType;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The NumPy {@code .npy} dtype strings ({@code descr}) this reader and writer understand, and their
 * {@link DType}. Only little-endian ({@code <}) and byte-sized ({@code |}) types exist here.
 *
 * <p>{@code <u2} has no unsigned 16-bit {@link DType}; it is stored as {@link DType#I16} (same bits),
 * which is how files carry bfloat16 bit patterns. A caller that knows the array holds bf16 bits
 * reinterprets it with {@link NpzReader#get(String, DType)} or {@link NpyReader#reinterpret}.
 */
public enum NpyFormat {
    F8("<f8", DType.F64),
    F4("<f4", DType.F32),
    F2("<f2", DType.F16),
    I8("<i8", DType.I64),
    I4("<i4", DType.I32),
    I2("<i2", DType.I16),
    U2("<u2", DType.I16),
    I1("|i1", DType.I8),
    U1("|u1", DType.U8),
    B1("|b1", DType.BOOL);

    private final String descr;
    private final DType dtype;

    NpyFormat(String descr, DType dtype) {
        this.descr = descr;
        this.dtype = dtype;
    }

    public String descr() {
        return descr;
    }

    /** The tensor dtype the array is loaded as. */
    public DType dtype() {
        return dtype;
    }

    /** The format for {@code descr}; {@code source} names the file or key for the error message. */
    public static NpyFormat fromDescr(String descr, String source) {
        for (NpyFormat f : values()) {
            if (f.descr.equals(descr)) return f;
        }
        throw new NpyException(source, "unsupported dtype descr '" + descr + "', expected one of "
                + Arrays.stream(values()).map(NpyFormat::descr).collect(Collectors.joining(", ")));
    }

    /**
     * The descr used to write {@code dtype}. Narrow float types without a NumPy equivalent are written
     * as their bit patterns: BF16 as {@code <u2}, FP8 as {@code |u1}.
     */
    public static NpyFormat forDType(DType dtype) {
        return switch (dtype) {
            case F64 -> F8;
            case F32 -> F4;
            case F16 -> F2;
            case BF16 -> U2;
            case F8_E4M3, F8_E5M2, U8 -> U1;
            case I64 -> I8;
            case I32 -> I4;
            case I16 -> I2;
            case I8 -> I1;
            case BOOL -> B1;
        };
    }
}
