package io.llmc4j.compress.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationPresets;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.QuantizationStrategy;
import io.llmc4j.compress.quantization.QuantizationType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatInferenceTest {
    private static final List<String> LINEAR = List.of("Linear");

    /** compressed-tensors 0.18.1's choice for every preset (README rule 8 and the golden compressed cases). */
    @ParameterizedTest
    @CsvSource({
            "W8A16, pack-quantized", "W4A16, pack-quantized", "W4A16_ASYM, pack-quantized",
            "W8A8, int-quantized", "INT8, int-quantized", "W4A8, int-quantized", "W4AFP8, int-quantized",
            "FP8, float-quantized", "FP8_DYNAMIC, float-quantized", "FP8_BLOCK, float-quantized",
            "NVFP4A16, nvfp4-pack-quantized", "NVFP4, nvfp4-pack-quantized",
            "MXFP4A16, mxfp4-pack-quantized", "MXFP4, mxfp4-pack-quantized",
            "MXFP8A16, mxfp8-quantized", "MXFP8, mxfp8-quantized", "UNQUANTIZED, dense"})
    void presets(String preset, String format) {
        assertEquals(format, FormatInference.forScheme(QuantizationPresets.scheme(preset, LINEAR)).value());
    }

    @Test
    void weightOnlyIntOfAnyWidthUpToEightBitsPacks() {
        for (int bits = 1; bits <= 8; bits++) {
            var scheme = new QuantizationScheme(LINEAR, QuantizationArgs.builder().numBits(bits).strategy(QuantizationStrategy.CHANNEL).build(), null, null, null);
            assertEquals(CompressionFormat.PACK_QUANTIZED, FormatInference.forScheme(scheme), bits + " bits");
        }
        var int16 = new QuantizationScheme(LINEAR, QuantizationArgs.builder().numBits(16).strategy(QuantizationStrategy.CHANNEL).build(), null, null, null);
        assertEquals(CompressionFormat.NAIVE_QUANTIZED, FormatInference.forScheme(int16));
        var fp8WeightOnly = new QuantizationScheme(LINEAR, QuantizationArgs.builder().numBits(8).type(QuantizationType.FLOAT)
                .strategy(QuantizationStrategy.CHANNEL).build(), null, null, null);
        assertEquals(CompressionFormat.NAIVE_QUANTIZED, FormatInference.forScheme(fp8WeightOnly));
    }

    @Test
    void anExplicitFormatWins() {
        var s = QuantizationPresets.scheme("W4A16", LINEAR);
        var forced = new QuantizationScheme(s.targets(), s.weights(), null, null, "naive-quantized");
        assertEquals(CompressionFormat.NAIVE_QUANTIZED, FormatInference.forScheme(forced));
        assertEquals(CompressionFormat.PACK_QUANTIZED, FormatInference.infer(forced));
    }

    @Test
    void summaries() {
        assertEquals(CompressionFormat.DENSE, FormatInference.summarize(List.of()));
        assertEquals(CompressionFormat.DENSE, FormatInference.summarize(List.of(CompressionFormat.DENSE)));
        assertEquals(CompressionFormat.PACK_QUANTIZED, FormatInference.summarize(List.of(CompressionFormat.PACK_QUANTIZED, CompressionFormat.DENSE,
                CompressionFormat.PACK_QUANTIZED)));
        assertEquals(CompressionFormat.MIXED_PRECISION, FormatInference.summarize(List.of(CompressionFormat.PACK_QUANTIZED, CompressionFormat.INT_QUANTIZED)));
        assertThrows(IllegalArgumentException.class, () -> FormatInference.summarize(List.of(CompressionFormat.MIXED_PRECISION)));
    }

    @Test
    void unknownFormatNamesListTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> CompressionFormat.parse("marlin-24"));
        assertEquals("unknown compression format 'marlin-24', expected one of dense, naive-quantized, int-quantized, float-quantized, "
                + "pack-quantized, nvfp4-pack-quantized, mxfp4-pack-quantized, mxfp8-quantized, mixed-precision", e.getMessage());
    }
}
