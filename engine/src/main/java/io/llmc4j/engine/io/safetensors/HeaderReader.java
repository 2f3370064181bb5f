package io.llmc4j.engine.io.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads the length prefix and the header of a safetensors file through a {@link FileChannel} (no
 * mapping), checks the header length against the file size and the format's 100,000,000-byte limit,
 * then hands the bytes to {@link HeaderParser} and the entries to {@link HeaderValidator}.
 */
final class HeaderReader {
    /** The header size limit of the reference implementation (huggingface/safetensors MAX_HEADER_SIZE). */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    /** The smallest header: "{}". */
    static final long MIN_HEADER_BYTES = 2;

    private HeaderReader() {
    }

    static SafetensorsHeader read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8 + MIN_HEADER_BYTES)
            throw new SafetensorsException(file, "file has " + fileSize + " bytes; expected at least " + (8 + MIN_HEADER_BYTES)
                    + " (an 8-byte header length and a header of at least 2 bytes)");
        long headerSize = readFully(file, channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String length = Long.toUnsignedString(headerSize);
        if (headerSize < 0 || headerSize > fileSize - 8)
            throw new SafetensorsException(file, "header length " + length + " reaches past the end of the file; expected at most "
                    + (fileSize - 8) + " for a file of " + fileSize + " bytes");
        if (headerSize < MIN_HEADER_BYTES)
            throw new SafetensorsException(file, "header length " + length + " is too small; expected at least "
                    + MIN_HEADER_BYTES + " (\"{}\")");
        if (headerSize > MAX_HEADER_BYTES)
            throw new SafetensorsException(file, "header length " + length + " exceeds the format's limit of " + MAX_HEADER_BYTES + " bytes");
        byte[] headerBytes = readFully(file, channel, 8, (int) headerSize).array();
        HeaderParser.ParsedHeader parsed = HeaderParser.parse(file, headerBytes);
        long dataSize = fileSize - 8 - headerSize;
        var tensors = HeaderValidator.validate(file, parsed.tensors(), dataSize);
        return new SafetensorsHeader(parsed.metadata(), tensors, headerSize, fileSize);
    }

    private static ByteBuffer readFully(Path file, FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0)
                throw new SafetensorsException(file, "file ended after " + (position + buffer.position()) + " bytes while reading "
                        + length + " bytes at offset " + position + " (was it truncated while being read?)");
        }
        return buffer.flip();
    }
}
