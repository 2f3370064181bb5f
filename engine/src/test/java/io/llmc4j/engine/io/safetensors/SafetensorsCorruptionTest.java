package io.llmc4j.engine.io.safetensors;

import static io.llmc4j.engine.io.safetensors.TestFiles.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each malformed file is built byte by byte here; opening it must fail with a message naming file, tensor and problem. */
class SafetensorsCorruptionTest {
    @TempDir
    Path dir;


    static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    static Stream<Arguments> corruptFiles() {
        return Stream.of(
                Arguments.of("empty file", new byte[0], null, "has 0 bytes; expected at least 10"),
                Arguments.of("file shorter than the length prefix", new byte[] {2, 0, 0}, null, "has 3 bytes"),
                Arguments.of("header length past end of file", TestFiles.withLength(1000, "{}".getBytes(StandardCharsets.UTF_8)), null,
                        "header length 1000 reaches past the end of the file; expected at most 2"),
                Arguments.of("header length with the top bit set", TestFiles.withLength(-1, "{}".getBytes(StandardCharsets.UTF_8)), null,
                        "header length 18446744073709551615 reaches past the end"),
                Arguments.of("header length below 2", TestFiles.withLength(1, "{}".getBytes(StandardCharsets.UTF_8)), null,
                        "header length 1 is too small; expected at least 2"),
                Arguments.of("header not UTF-8", TestFiles.withLength(4, new byte[] {'{', (byte) 0xC3, '(', '}'}), null,
                        "header is not valid UTF-8"),
                Arguments.of("header not JSON", file("{\"a\": {\"dtype\": ", new byte[0]), null, "header is not valid JSON"),
                Arguments.of("header not an object", file("[1, 2]", new byte[0]), null,
                        "header must be a JSON object starting with '{', found '[1, 2]'"),
                Arguments.of("garbage after the header object", file("{} x", new byte[0]), null, "header is not valid JSON"),
                Arguments.of("NUL padding instead of spaces", file("{}\0\0", new byte[0]), null, "header is not valid JSON"),
                Arguments.of("duplicate tensor name", file("{" + entry("w", "U8", "[1]", 0, 1) + "," + entry("w", "U8", "[1]", 1, 2) + "}",
                        new byte[2]), null, "Duplicate field 'w'"),
                Arguments.of("tensor entry not an object", file("{\"w\":[1,2]}", new byte[0]), "w",
                        "expected an object with dtype, shape and data_offsets, found a list [1,2]"),
                Arguments.of("missing dtype", file("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "w",
                        "dtype must be a string such as \"F32\", found nothing"),
                Arguments.of("unknown dtype", file("{" + entry("w", "F128", "[1]", 0, 16) + "}", new byte[16]), "w",
                        "unknown dtype 'F128', expected one of F64, F32, F16, BF16, F8_E4M3, F8_E5M2, I64, I32, I16, I8, U8, BOOL"),
                Arguments.of("shape not a list", file("{" + entry("w", "F32", "4", 0, 16) + "}", new byte[16]), "w",
                        "shape must be a list of non-negative integers, found the number 4"),
                Arguments.of("negative dimension", file("{" + entry("w", "F32", "[2,-1]", 0, 8) + "}", new byte[8]), "w",
                        "shape must be a list of non-negative integers, found [2,-1] (element 1 is the number -1)"),
                Arguments.of("fractional dimension", file("{" + entry("w", "F32", "[2.0]", 0, 8) + "}", new byte[8]), "w",
                        "(element 0 is the number 2.0)"),
                Arguments.of("dimension beyond a long", file("{" + entry("w", "F32", "[99999999999999999999]", 0, 8) + "}", new byte[8]), "w",
                        "shape must be a list of non-negative integers"),
                Arguments.of("element count overflow", file("{" + entry("w", "U8", "[4294967296,4294967296]", 0, 8) + "}", new byte[8]), "w",
                        "has more elements than fit in a long"),
                Arguments.of("byte count overflow", file("{" + entry("w", "F64", "[4611686018427387904]", 0, 8) + "}", new byte[8]), "w",
                        "needs more bytes than fit in a long"),
                Arguments.of("data_offsets of three numbers", file("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1,2]}}",
                        new byte[1]), "w", "data_offsets must be a list of 2 non-negative integers, found a list [0,1,2]"),
                Arguments.of("data_offsets begin after end", file("{" + entry("w", "U8", "[1]", 5, 4) + "}", new byte[5]), "w",
                        "data_offsets [5, 4] must be [begin, end] with begin <= end"),
                Arguments.of("data_offsets out of the data section", file("{" + entry("w", "F32", "[2]", 0, 8) + "}", new byte[4]), "w",
                        "data_offsets [0, 8] reach past the end of the data section, which has 4 bytes"),
                Arguments.of("byte length differs from shape times dtype", file("{" + entry("w", "F32", "[2,3]", 0, 20) + "}", new byte[20]), "w",
                        "data_offsets [0, 20] span 20 bytes, but F32[2, 3] needs 24 bytes"),
                Arguments.of("overlapping tensors", file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}",
                        new byte[12]), "b", "data_offsets [4, 12] overlap tensor 'a' at [0, 8]"),
                Arguments.of("hole between tensors", file("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 8, 12) + "}",
                        new byte[12]), "b", "data section bytes [4, 8) before this tensor belong to no tensor"),
                Arguments.of("hole at the start", file("{" + entry("a", "U8", "[2]", 2, 4) + "}", new byte[4]), "a",
                        "data section bytes [0, 2) before this tensor belong to no tensor; expected it to begin at 0"),
                Arguments.of("trailing bytes after the last tensor", file("{" + entry("a", "U8", "[2]", 0, 2) + "}", new byte[5]), null,
                        "data section bytes [2, 5) after the last tensor belong to no tensor"),
                Arguments.of("data but no tensors", file("{}", new byte[3]), null,
                        "data section bytes [0, 3) after the last tensor belong to no tensor"),
                Arguments.of("metadata not an object", file("{\"__metadata__\":[\"pt\"]}", new byte[0]), null,
                        "__metadata__ must be an object mapping strings to strings, found a list [\"pt\"]"),
                Arguments.of("metadata value not a string", file("{\"__metadata__\":{\"format\":\"pt\",\"step\":3}}", new byte[0]), null,
                        "__metadata__ must map strings to strings, but key 'step' holds the number 3"),
                Arguments.of("metadata null", file("{\"__metadata__\":null}", new byte[0]), null,
                        "__metadata__ must be an object mapping strings to strings, found null"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptFiles")
    void corruptFileIsRejectedWithAPreciseMessage(String kind, byte[] bytes, String tensor, String expectedProblem) {
        Path file = TestFiles.write(dir, "corrupt.safetensors", bytes);
        var e = assertThrows(SafetensorsException.class, () -> SafetensorsFile.open(file), kind);
        assertEquals(file, e.file(), kind);
        assertEquals(Optional.ofNullable(tensor), e.tensor(), kind + ": " + e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), kind + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(expectedProblem), kind + ": expected '" + expectedProblem + "' in: " + e.getMessage());
        if (tensor != null)
            assertTrue(e.getMessage().contains("tensor '" + tensor + "'"), kind + ": " + e.getMessage());
        var viaHeader = assertThrows(SafetensorsException.class, () -> SafetensorsHeader.read(file), kind);
        assertEquals(e.getMessage(), viaHeader.getMessage());
        try (Arena arena = Arena.ofConfined()) {
            assertThrows(SafetensorsException.class, () -> SafetensorsFile.open(file, arena), kind);
        }
    }

    @Test
    void headerLongerThanTheFormatLimitIsRejected() throws IOException {
        long length = HeaderReader.MAX_HEADER_BYTES + 1;
        Path file = dir.resolve("huge-header.safetensors");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(TestFiles.withLength(length, "{".getBytes(StandardCharsets.UTF_8))));
            ch.write(ByteBuffer.wrap(new byte[] {'}'}), 8 + length - 1);    // sparse: the file really is that long
        }
        var e = assertThrows(SafetensorsException.class, () -> SafetensorsFile.open(file));
        assertTrue(e.getMessage().contains("header length 100000001 exceeds the format's limit of 100000000 bytes"), e.getMessage());
    }

    @Test
    void paddedHeaderAndZeroSizedTensorsAtTheEndAreAccepted() {
        String header = "{" + entry("a", "U8", "[2]", 0, 2) + "," + entry("z", "F32", "[0]", 2, 2) + "}        ";
        Path file = TestFiles.write(dir, "ok.safetensors", file(header, new byte[2]));
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertEquals(0, st.get("z").elementCount());
        }
    }
}
