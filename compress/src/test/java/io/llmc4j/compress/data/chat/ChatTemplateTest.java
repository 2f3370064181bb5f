package io.llmc4j.compress.data.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Chat templates of the model families llmc4j loads, as their tokenizer_config.json publish them
 * (Meta-Llama-3-8B-Instruct, Qwen2.5-7B-Instruct without the tools branch's details, gemma-2-9b-it,
 * Mistral-7B-Instruct-v0.2), rendered with add_generation_prompt false and true; the expected strings
 * are those transformers' apply_chat_template gives for these conversations, worked out by hand from
 * the templates.
 */
class ChatTemplateTest {
    static final String LLAMA3 = "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + "
            + "message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = "
            + "bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

    static final String QWEN25 = "{%- if tools %}\n    {{- '<|im_start|>system\\n' }}\n    {%- if messages[0]['role'] == 'system' %}\n"
            + "        {{- messages[0]['content'] }}\n    {%- else %}\n        {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}\n"
            + "    {%- endif %}\n    {{- \"<|im_end|>\\n\" }}\n{%- else %}\n    {%- if messages[0]['role'] == 'system' %}\n"
            + "        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}\n    {%- else %}\n"
            + "        {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}\n    {%- endif %}\n{%- endif %}\n"
            + "{%- for message in messages %}\n    {%- if (message.role == \"user\") or (message.role == \"system\" and not loop.first) or "
            + "(message.role == \"assistant\" and not message.tool_calls) %}\n"
            + "        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}\n"
            + "    {%- elif message.role == \"assistant\" %}\n        {{- '<|im_start|>' + message.role }}\n        {%- if message.content %}\n"
            + "            {{- '\\n' + message.content }}\n        {%- endif %}\n        {{- '<|im_end|>\\n' }}\n    {%- endif %}\n{%- endfor %}\n"
            + "{%- if add_generation_prompt %}\n    {{- '<|im_start|>assistant\\n' }}\n{%- endif %}\n";

    static final String GEMMA = "{{ bos_token }}{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}"
            + "{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must "
            + "alternate user/assistant/user/assistant/...') }}{% endif %}{% if (message['role'] == 'assistant') %}{% set role = 'model' %}{% else %}"
            + "{% set role = message['role'] %}{% endif %}{{ '<start_of_turn>' + role + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}"
            + "{% endfor %}{% if add_generation_prompt %}{{'<start_of_turn>model\\n'}}{% endif %}";

    static final String MISTRAL = "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
            + "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if message['role'] == 'user' %}"
            + "{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}"
            + "{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}";

    static final List<Map<String, Object>> CHAT = List.of(Map.of("role", "user", "content", " What is 2+2? "),
            Map.of("role", "assistant", "content", "4."), Map.of("role", "user", "content", "And 3+3?"));

    static final List<Map<String, Object>> WITH_SYSTEM = List.of(Map.of("role", "system", "content", "Be brief."),
            Map.of("role", "user", "content", "Hi"), Map.of("role", "assistant", "content", "Hello!"));

    @Test
    void llama3() {
        ChatTemplate t = new ChatTemplate(LLAMA3, "<|begin_of_text|>", "<|eot_id|>", "llama3");
        assertEquals("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>", t.render(WITH_SYSTEM));
        assertEquals("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n4.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nAnd 3+3?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n", t.render(CHAT, true));
    }

    @Test
    void qwen25() {
        ChatTemplate t = new ChatTemplate(QWEN25, null, "<|im_end|>", "qwen2.5");
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n",
                t.render(WITH_SYSTEM));
        assertEquals("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
                + "<|im_start|>user\n What is 2+2? <|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n"
                + "<|im_start|>assistant\n", t.render(CHAT, true));
    }

    @Test
    void gemma() {
        ChatTemplate t = new ChatTemplate(GEMMA, "<bos>", "<eos>", "gemma");
        assertEquals("<bos><start_of_turn>user\nWhat is 2+2?<end_of_turn>\n<start_of_turn>model\n4.<end_of_turn>\n"
                + "<start_of_turn>user\nAnd 3+3?<end_of_turn>\n<start_of_turn>model\n", t.render(CHAT, true));
        var e = assertThrows(ChatTemplate.TemplateException.class, () -> t.render(WITH_SYSTEM));
        assertTrue(e.getMessage().contains("System role not supported"), e.getMessage());
    }

    @Test
    void mistral() {
        ChatTemplate t = new ChatTemplate(MISTRAL, "<s>", "</s>", "mistral");
        assertEquals("<s>[INST]  What is 2+2?  [/INST]4.</s>[INST] And 3+3? [/INST]", t.render(CHAT));
        var e = assertThrows(ChatTemplate.TemplateException.class, () -> t.render(List.of(Map.of("role", "assistant", "content", "x"))));
        assertTrue(e.getMessage().contains("Conversation roles must alternate"), e.getMessage());
    }
}
