package io.llmc4j.compress.data;

import java.util.List;
import java.util.Map;

/**
 * Renders a conversation to the text a model was trained on (transformers'
 * {@code apply_chat_template(messages, tokenize=False)}). Each message has at least {@code role} and
 * {@code content}.
 */
@FunctionalInterface
public interface ChatRenderer {
    /**
     * @throws IllegalArgumentException saying why the template cannot render these messages
     */
    String render(List<Map<String, Object>> messages);
}
