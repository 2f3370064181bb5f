package io.llmc4j.engine.io.npy;

import io.llmc4j.engine.tensor.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed header of a {@code .npy} array: format, shape, and where the data starts.
 *
 * <p>Layout (NumPy format versions 1.0, 2.0 and 3.0): the magic {@code \x93NUMPY}, a major and a
 * minor version byte, the header length (uint16 little-endian for 1.x, uint32 for 2.x/3.x), then a
 * Python dict literal such as {@code {'descr': '<f4', 'fortran_order': False, 'shape': (16, 64), }}
 * padded with spaces and ending in a newline. The raw data follows in C order.
 *
 * @param format the element type
 * @param shape the dimensions, outermost first, as written ({@code ()} is a rank-0 array of one element)
 * @param dataOffset byte offset of element 0 from the start of the file
 */
public record NpyHeader(NpyFormat format, Shape shape, int dataOffset) {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** Parses the header at the start of {@code bytes}; {@code source} names the file for errors. */
    public static NpyHeader parse(byte[] bytes, String source) {
        if (bytes.length < 10) throw new NpyException(source, "file of " + bytes.length + " bytes is too short for an npy header");
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) throw new NpyException(source, "not an npy file: missing the \\x93NUMPY magic");
        }
        int major = bytes[6] & 0xFF;
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength;
        int headerStart;
        switch (major) {
            case 1 -> {
                headerLength = buf.getShort(8) & 0xFFFF;
                headerStart = 10;
            }
            case 2, 3 -> {
                if (bytes.length < 12) throw new NpyException(source, "truncated npy " + major + ".x header");
                long length = buf.getInt(8) & 0xFFFFFFFFL;
                if (length > Integer.MAX_VALUE - 12) throw new NpyException(source, "header length " + length + " is too large");
                headerLength = (int) length;
                headerStart = 12;
            }
            default -> throw new NpyException(source, "unsupported npy format version " + major + "." + (bytes[7] & 0xFF) + ", expected 1.x, 2.x or 3.x");
        }
        if (headerStart + headerLength > bytes.length)
            throw new NpyException(source, "header of " + headerLength + " bytes runs past the end of the " + bytes.length + "-byte file");
        String text = new String(bytes, headerStart, headerLength, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict = new HeaderParser(text, source).parseDict();
        for (String key : List.of("descr", "fortran_order", "shape")) {
            if (!dict.containsKey(key)) throw new NpyException(source, "header " + text.strip() + " has no '" + key + "' entry");
        }
        if (!(dict.get("descr") instanceof String descr))
            throw new NpyException(source, "header 'descr' must be a string, found " + dict.get("descr"));
        if (!(dict.get("fortran_order") instanceof Boolean fortran))
            throw new NpyException(source, "header 'fortran_order' must be True or False, found " + dict.get("fortran_order"));
        if (fortran) throw new NpyException(source, "fortran_order True is not supported; save the array in C order");
        if (!(dict.get("shape") instanceof long[] dims))
            throw new NpyException(source, "header 'shape' must be a tuple of integers, found " + dict.get("shape"));
        NpyFormat format = NpyFormat.fromDescr(descr, source);
        return new NpyHeader(format, Shape.of(dims), headerStart + headerLength);
    }

    /** Recursive-descent parser for the small subset of Python literals npy headers use. */
    private static final class HeaderParser {
        private final String text;
        private final String source;
        private int pos;

        HeaderParser(String text, String source) {
            this.text = text;
            this.source = source;
        }

        Map<String, Object> parseDict() {
            skipSpace();
            expect('{');
            Map<String, Object> out = new LinkedHashMap<>();
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    break;
                }
                Object key = parseValue();
                if (!(key instanceof String name)) throw error("dict keys must be strings");
                skipSpace();
                expect(':');
                out.put(name, parseValue());
                skipSpace();
                if (peek() == ',') pos++;
                else if (peek() != '}') throw error("expected ',' or '}'");
            }
            return out;
        }

        private Object parseValue() {
            skipSpace();
            char c = peek();
            if (c == '\'' || c == '"') return parseString(c);
            if (c == '(') return parseTuple();
            if (text.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            if (Character.isDigit(c) || c == '-') return parseInteger();
            throw error("unexpected character '" + c + "'");
        }

        private String parseString(char quote) {
            int start = ++pos;
            while (pos < text.length() && text.charAt(pos) != quote) pos++;
            if (pos >= text.length()) throw error("unterminated string");
            return text.substring(start, pos++);
        }

        private long[] parseTuple() {
            expect('(');
            List<Long> values = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == ')') {
                    pos++;
                    break;
                }
                Object v = parseValue();
                if (!(v instanceof Long l)) throw error("shape entries must be integers");
                if (l < 0) throw error("negative dimension " + l);
                values.add(l);
                skipSpace();
                if (peek() == ',') pos++;
                else if (peek() != ')') throw error("expected ',' or ')'");
            }
            return values.stream().mapToLong(Long::longValue).toArray();
        }

        private Long parseInteger() {
            int start = pos;
            if (peek() == '-') pos++;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
            if (pos < text.length() && text.charAt(pos) == 'L') pos++;
            String digits = text.substring(start, pos).replace("L", "");
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw error("bad integer '" + digits + "'");
            }
        }

        private void expect(char c) {
            if (peek() != c) throw error("expected '" + c + "'");
            pos++;
        }

        private char peek() {
            if (pos >= text.length()) throw error("unexpected end of header");
            return text.charAt(pos);
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
        }

        private NpyException error(String what) {
            return new NpyException(source, "malformed npy header at offset " + pos + " (" + what + "): " + text.strip());
        }
    }
}
