package io.llmc4j.engine.io.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * GPT-2's byte-to-unicode table: every byte value gets a printable character, so that byte-level
 * BPE vocabularies can be stored as strings. Bytes {@code '!'..'~'}, {@code 0xA1..0xAC} and
 * {@code 0xAE..0xFF} map to the character with the same code; the other 68 bytes map, in increasing
 * byte order, to U+0100, U+0101, ... (so the space 0x20 becomes 'Ġ' U+0120 and '\n' becomes 'Ċ').
 * Matches {@code bytes_char} in Hugging Face tokenizers' ByteLevel. Immutable; thread-safe.
 */
final class ByteLevelAlphabet {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = (char) (printable ? b : next++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevelAlphabet() {
    }

    /** The character standing for byte {@code value} (0..255). */
    static char charOf(int value) {
        return BYTE_TO_CHAR[value & 0xFF];
    }

    /** The byte that {@code c} stands for, or -1 when {@code c} is not in the alphabet. */
    static int byteOf(int c) {
        return c >= 0 && c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** {@code text}'s UTF-8 bytes, each written as its alphabet character. */
    static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++)
            out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        return new String(out);
    }

    /**
     * Appends the bytes {@code token} stands for. A token with any character outside the alphabet
     * (an added token such as {@code <|eot_id|>} whose text is not byte-level encoded) is taken
     * verbatim as UTF-8, as Hugging Face's ByteLevel decoder does.
     */
    static void appendBytes(String token, ByteArrayOutputStream out) {
        byte[] bytes = new byte[token.length()];
        for (int i = 0; i < token.length(); i++) {
            int b = byteOf(token.charAt(i));
            if (b < 0) {
                out.writeBytes(token.getBytes(StandardCharsets.UTF_8));
                return;
            }
            bytes[i] = (byte) b;
        }
        out.writeBytes(bytes);
    }
}
