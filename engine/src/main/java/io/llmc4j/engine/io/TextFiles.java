package io.llmc4j.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading a whole UTF-8 text file (recipes, config.json) with errors that name the file: a directory
 * is refused as such, and a byte sequence that is not UTF-8 is reported at its line and column
 * (counted from 1; the column in bytes), where the JDK says only {@code Input length = 1}. Stateless.
 */
public final class TextFiles {
    private TextFiles() {
    }

    /** Thrown for a file that is not valid UTF-8; the message is {@code <file>:<line>:<column>: not valid UTF-8 (...)}. */
    public static final class NotUtf8Exception extends IOException {
        private final long line;
        private final String where;

        NotUtf8Exception(Path file, long line, long column, String detail) {
            super(file + ":" + line + ":" + column + ": not valid UTF-8 (" + detail + ")");
            this.line = line;
            this.where = "line " + line + ", column " + column + ": not valid UTF-8 (" + detail + ")";
        }

        /** The 1-based line of the first bad byte. */
        public long line() {
            return line;
        }

        /** The message without the file: {@code line L, column C: not valid UTF-8 (...)}. */
        public String withoutFile() {
            return where;
        }
    }

    /**
     * The text of {@code file}.
     *
     * @param what what the file should be, for the message when it is a directory (e.g. "a recipe file")
     * @throws FileSystemException naming the file when it is a directory (reason "is a directory; expected ...")
     * @throws NotUtf8Exception    at the first byte sequence that is not UTF-8
     * @throws IOException         as {@link Files#readAllBytes} (e.g. {@link java.nio.file.NoSuchFileException})
     */
    public static String readUtf8(Path file, String what) throws IOException {
        requireNotDirectory(file, what);
        return decode(Files.readAllBytes(file), file);
    }

    /**
     * Throws the {@link NotUtf8Exception} locating the first bad byte of {@code file}, for a reader
     * that streamed the file and met a {@link java.nio.charset.CharacterCodingException} (where a
     * buffered reader met it says nothing about the line); returns normally if the file is valid.
     */
    public static void requireUtf8(Path file) throws IOException {
        decode(Files.readAllBytes(file), file);
    }

    /** Refuses a directory where a file is expected, naming it. */
    public static void requireNotDirectory(Path file, String what) throws FileSystemException {
        if (Files.isDirectory(file)) throw new FileSystemException(file.toString(), null, "is a directory; expected " + what);
    }

    /** {@code bytes} decoded as UTF-8, or a {@link NotUtf8Exception} naming {@code file}, line and column. */
    static String decode(byte[] bytes, Path file) throws NotUtf8Exception {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        if (result.isError()) {
            int at = in.position();
            long line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            StringBuilder shown = new StringBuilder();
            for (int i = at; i < Math.min(bytes.length, at + result.length()); i++)
                shown.append(shown.isEmpty() ? "" : " ").append(String.format("0x%02X", bytes[i] & 0xFF));
            throw new NotUtf8Exception(file, line, at - lineStart + 1, (result.length() == 1 ? "byte " : "bytes ") + shown);
        }
        return out.flip().toString();
    }
}
