package io.llmc4j.engine.io.tokenizer;

/**
 * A span of text on its way to the model: what normalizers and pre-tokenizers produce.
 *
 * @param text        the (possibly rewritten) text
 * @param atTextStart whether the span begins at offset 0 of the caller's original text (Metaspace's
 *                    {@code prepend_scheme: first} prepends only there)
 */
record Piece(String text, boolean atTextStart) {
}
