package io.llmc4j.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFilesTest {
    @TempDir
    Path dir;

    private Path write(byte[] bytes) throws IOException {
        return Files.write(dir.resolve("f.yaml"), bytes);
    }

    private static byte[] concat(String before, int... raw) {
        byte[] text = before.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[text.length + raw.length];
        System.arraycopy(text, 0, out, 0, text.length);
        for (int i = 0; i < raw.length; i++) out[text.length + i] = (byte) raw[i];
        return out;
    }

    @Test
    void validUtf8IsReadWithMultiByteCharacters() throws IOException {
        String text = "a: \u00e9t\u00e9 \u4e2d \ud83d\ude00\nb: 1\n";
        assertEquals(text, TextFiles.readUtf8(write(text.getBytes(StandardCharsets.UTF_8)), "a recipe"));
    }

    @Test
    void theFirstBadByteIsNamedByLineAndColumn() throws IOException {
        Path file = write(concat("x: 1\n\u00e9y: ", 0xFF, 'z', '\n'));
        TextFiles.NotUtf8Exception e = assertThrows(TextFiles.NotUtf8Exception.class, () -> TextFiles.readUtf8(file, "a recipe"));
        assertEquals(file + ":2:6: not valid UTF-8 (byte 0xFF)", e.getMessage(), "column in bytes: the 2-byte é counts 2");
        assertEquals(2, e.line());
        assertEquals("line 2, column 6: not valid UTF-8 (byte 0xFF)", IoReasons.of(e));
    }

    @Test
    void aSequenceCutAtTheEndAndAnOverlongOneAreRefused() throws IOException {
        Path cut = write(concat("ok\n", 0xE4, 0xB8));
        assertTrue(assertThrows(TextFiles.NotUtf8Exception.class, () -> TextFiles.readUtf8(cut, "x")).getMessage()
                .startsWith(cut + ":2:1: not valid UTF-8"));
        Path overlong = write(concat("", 0xC0, 0xAF));
        assertTrue(assertThrows(TextFiles.NotUtf8Exception.class, () -> TextFiles.readUtf8(overlong, "x")).getMessage()
                .startsWith(overlong + ":1:1: not valid UTF-8"));
        Path latin1 = write("caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThrows(TextFiles.NotUtf8Exception.class, () -> TextFiles.requireUtf8(latin1));
    }

    @Test
    void aDirectoryIsRefusedAsSuch() {
        FileSystemException e = assertThrows(FileSystemException.class, () -> TextFiles.readUtf8(dir, "a recipe file"));
        assertEquals(dir.toString(), e.getFile());
        assertEquals("is a directory; expected a recipe file", e.getReason());
    }
}
