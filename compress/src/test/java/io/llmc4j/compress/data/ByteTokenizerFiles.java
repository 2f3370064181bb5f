package io.llmc4j.compress.data;

import java.io.IOException;
import java.nio.file.Path;

/** Public access to the tiny byte-level tokenizer.json of the data tests, for other test packages. */
public final class ByteTokenizerFiles {
    private ByteTokenizerFiles() {
    }

    /** Writes {@code tokenizer.json} (bytes 0..255, BOS {@code <s>} = 256) into {@code dir}. */
    public static Path write(Path dir) throws IOException {
        return ByteTokenizer.write(dir);
    }
}
