package io.llmc4j.compress.testing;

import java.util.List;

/** Arguments of the test-only modifier types: every kind of value a recipe can hold. */
public record RecordingArgs(List<String> targets, List<String> ignore, String scheme, int numBits, double dampeningFrac,
                            boolean symmetric, Strategy strategy, ObserverArgs observer, Integer groupSize) {

    public static final RecordingArgs DEFAULTS = new RecordingArgs(List.of("Linear"), List.of(), "W8A8", 8, 0.01, true,
            Strategy.TENSOR, new ObserverArgs("minmax", 1), null);

    public RecordingArgs {
        if (numBits < 1 || numBits > 16) throw new IllegalArgumentException("num_bits must be in 1..16, got " + numBits);
    }

    public enum Strategy { TENSOR, CHANNEL, GROUP }

    /** A nested argument record. */
    public record ObserverArgs(String name, int averagingWindow) {
    }

    public RecordingArgs withScheme(String newScheme) {
        return new RecordingArgs(targets, ignore, newScheme, numBits, dampeningFrac, symmetric, strategy, observer, groupSize);
    }
}
