package io.llmc4j.compress.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ClosestMatchTest {

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({"kitten, sitting, 3", "flaw, lawn, 2", "targts, targets, 1", "abc, abc, 0", "'', abc, 3", "abc, '', 3",
            "QuantizationModifer, QuantizationModifier, 1", "ab, ba, 2"})
    void distanceIsTheEditDistance(String a, String b, int expected) {
        assertEquals(expected, ClosestMatch.distance(a, b));
        assertEquals(expected, ClosestMatch.distance(b, a));
    }

    @Test
    void closestPrefersTheSmallestDistanceThenTheFirst() {
        assertEquals(Optional.of("targets"), ClosestMatch.of("targts", List.of("ignore", "targets", "scheme")));
        assertEquals(Optional.of("ab"), ClosestMatch.of("a", List.of("ab", "ac")));
        assertEquals(Optional.empty(), ClosestMatch.of("a", List.of()));
        assertEquals("", ClosestMatch.hint("a", List.of()));
    }
}
