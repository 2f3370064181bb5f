package io.llmc4j.compress.cli;

import io.llmc4j.compress.data.SampleColumns;
import picocli.CommandLine.Option;

/** The dataset column and packing options shared by {@code oneshot} and {@code eval}. */
final class DataOptions {
    @Option(names = "--text-column", paramLabel = "NAME",
            description = "Column holding plain text, encoded with the model's tokenizer.json (default: detected: input_ids, messages, conversations, text).")
    String textColumn;

    @Option(names = "--messages-column", paramLabel = "NAME",
            description = "Column holding conversations ([{role, content}, ...]), rendered with the model's chat_template, then encoded.")
    String messagesColumn;

    @Option(names = "--concatenate", description = "Join all samples and cut them into blocks of exactly --max-seq-len tokens (LLM Compressor's concatenate_data).")
    boolean concatenate;

    SampleColumns columns() {
        if (textColumn != null && messagesColumn != null)
            throw new IllegalArgumentException("--text-column and --messages-column exclude each other; give one");
        return new SampleColumns(textColumn, messagesColumn);
    }

    /** Whether anything here asks for more than token ids from a JSON Lines file. */
    boolean isDefault() {
        return textColumn == null && messagesColumn == null && !concatenate;
    }
}
