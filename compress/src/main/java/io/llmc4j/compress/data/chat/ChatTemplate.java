package io.llmc4j.compress.data.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import io.llmc4j.compress.data.ChatRenderer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A model's chat template (the Jinja {@code chat_template} of {@code tokenizer_config.json}, or
 * {@code chat_template.jinja}) rendered with HubSpot's Jinjava, with the variables transformers'
 * {@code apply_chat_template} passes: {@code messages}, {@code add_generation_prompt} (false: calibration
 * text is the whole conversation), {@code bos_token}, {@code eos_token}, {@code tools} (none), and the
 * function {@code raise_exception(message)}, which fails the rendering with that message.
 * Whitespace as transformers renders it: {@code trim_blocks} and {@code lstrip_blocks}.
 * Immutable; {@link #render} is thread-safe.
 */
public final class ChatTemplate implements ChatRenderer {
    /** A template error raised by {@code raise_exception} or by Jinjava. */
    public static final class TemplateException extends IllegalArgumentException {
        TemplateException(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String template;
    private final String bosToken;
    private final String eosToken;
    private final String origin;
    private final Jinjava jinjava;

    public ChatTemplate(String template, String bosToken, String eosToken, String origin) {
        this.template = template;
        this.bosToken = bosToken == null ? "" : bosToken;
        this.eosToken = eosToken == null ? "" : eosToken;
        this.origin = origin;
        // Jinja2's behaviour where Jinjava keeps its own by default: {{- ... -}} trims, operators bind as in Python
        LegacyOverrides jinja2 = LegacyOverrides.newBuilder().withUseTrimmingForNotesAndExpressions(true).withUseNaturalOperatorPrecedence(true)
                .withParseWhitespaceControlStrictly(true).withKeepNullableLoopValues(true).build();
        this.jinjava = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true).withLegacyOverrides(jinja2).build());
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception", ChatTemplate.class, "raiseException", String.class));
    }

    /**
     * The chat template of the model in {@code modelDir}: {@code chat_template.jinja} if present, else
     * {@code tokenizer_config.json}'s {@code chat_template} (a string, or the entry named "default" of a
     * list); null when there is none.
     */
    public static ChatTemplate load(Path modelDir) throws IOException {
        Path config = modelDir.resolve("tokenizer_config.json");
        JsonNode tree = Files.isRegularFile(config) ? JSON.readTree(config.toFile()) : JSON.createObjectNode();
        String bos = token(tree.get("bos_token")), eos = token(tree.get("eos_token"));
        Path jinja = modelDir.resolve("chat_template.jinja");
        if (Files.isRegularFile(jinja)) return new ChatTemplate(Files.readString(jinja, StandardCharsets.UTF_8), bos, eos, jinja.toString());
        JsonNode t = tree.get("chat_template");
        if (t == null || t.isNull()) return null;
        if (t.isTextual()) return new ChatTemplate(t.textValue(), bos, eos, config + " chat_template");
        if (t.isArray()) {
            for (JsonNode entry : t) {
                if ("default".equals(entry.path("name").asText()))
                    return new ChatTemplate(entry.path("template").asText(), bos, eos, config + " chat_template[default]");
            }
        }
        throw new IllegalArgumentException(config + ": chat_template must be a string or a list with a \"default\" entry, found " + t.getNodeType());
    }

    private static String token(JsonNode node) {
        if (node == null || node.isNull()) return null;
        if (node.isTextual()) return node.textValue();
        return node.path("content").isTextual() ? node.path("content").textValue() : null;
    }

    /** Where the template came from. */
    public String origin() {
        return origin;
    }

    @Override
    public String render(List<Map<String, Object>> messages) {
        return render(messages, false);
    }

    /** The conversation rendered, with the assistant prompt appended when {@code addGenerationPrompt}. */
    public String render(List<Map<String, Object>> messages, boolean addGenerationPrompt) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("messages", messages);
        variables.put("add_generation_prompt", addGenerationPrompt);
        variables.put("bos_token", bosToken);
        variables.put("eos_token", eosToken);
        variables.put("tools", null);
        RenderResult result = jinjava.renderForResult(template, variables);
        List<TemplateError> fatal = result.getErrors().stream().filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL).toList();
        if (!fatal.isEmpty()) {
            String why = fatal.stream().map(e -> raised(e).orElse(e.getMessage() + (e.getLineno() > 0 ? " (template line " + e.getLineno() + ")" : "")))
                    .collect(Collectors.joining("; "));
            throw new TemplateException(origin + ": " + why);
        }
        return result.getOutput();
    }

    private static java.util.Optional<String> raised(TemplateError e) {
        Throwable t = e.getException();
        while (t != null) {
            if (t instanceof TemplateException raised) return java.util.Optional.of("raise_exception: " + raised.getMessage());
            t = t.getCause();
        }
        return java.util.Optional.empty();
    }

    /** {@code raise_exception(message)} as transformers defines it for templates. */
    public static String raiseException(String message) {
        throw new TemplateException(message);
    }
}
