package io.llmc4j.compress.cli;

import io.llmc4j.compress.oneshot.PipelineKind;
import io.llmc4j.compress.quantization.QuantizationPresets;
import io.llmc4j.engine.ops.KernelsFactory;
import io.llmc4j.engine.ops.accel.Accelerators;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converters that check an option's value where picocli parses it, so a value that is wrong on its
 * own (out of range, not one of the choices) is bad usage: exit 2, with picocli's
 * {@code Invalid value for option '--batch-size': ...} naming the flag, before any work.
 */
final class OptionValues {
    private OptionValues() {
    }

    /** An integer of at least 1. */
    static final class Positive implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n = integer(value);
            if (n < 1) throw new TypeConversionException("'" + value + "' must be a positive integer (1 or more)");
            return n;
        }
    }

    /** An integer of at least 0. */
    static final class NonNegative implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n = integer(value);
            if (n < 0) throw new TypeConversionException("'" + value + "' must be a non-negative integer (0 or more)");
            return n;
        }
    }

    /** A finite number of at least 0. */
    static final class NonNegativeNumber implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double x;
            try {
                x = Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a number");
            }
            if (!(x >= 0) || Double.isInfinite(x)) throw new TypeConversionException("'" + value + "' must be a finite number, 0 or more");
            return x;
        }
    }

    /** One of {@link PipelineKind}'s names, case-insensitive. */
    static final class Pipeline implements ITypeConverter<PipelineKind> {
        @Override
        public PipelineKind convert(String value) {
            try {
                return PipelineKind.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a pipeline; expected one of auto, sequential, basic, datafree");
            }
        }
    }

    /** Where activations wait between subgraphs ({@code --offload}). */
    enum Offload { NONE, OFF_HEAP, DISK }

    /** none, off-heap (or offheap) or disk, case-insensitive. */
    static final class OffloadChoice implements ITypeConverter<Offload> {
        @Override
        public Offload convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "none" -> Offload.NONE;
                case "off-heap", "offheap" -> Offload.OFF_HEAP;
                case "disk" -> Offload.DISK;
                default -> throw new TypeConversionException("'" + value + "' is not an offload place; expected none, off-heap or disk");
            };
        }
    }

    /** A registered kernels backend name ({@link KernelsFactory#names()}). */
    static final class Kernels implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!KernelsFactory.names().contains(value))
                throw new TypeConversionException("'" + value + "' is not a kernels backend; expected one of " + KernelsFactory.names());
            return value;
        }
    }

    /** A device name ({@link Accelerators#DEVICES}). */
    static final class Device implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!Accelerators.DEVICES.contains(value))
                throw new TypeConversionException("'" + value + "' is not a device; expected one of " + Accelerators.DEVICES);
            return value;
        }
    }

    /** A preset scheme name ({@link QuantizationPresets#names()}). */
    static final class Scheme implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!QuantizationPresets.isPreset(value))
                throw new TypeConversionException("'" + value + "' is not a preset scheme; expected one of " + QuantizationPresets.names());
            return value;
        }
    }

    private static int integer(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not an integer");
        }
    }
}
