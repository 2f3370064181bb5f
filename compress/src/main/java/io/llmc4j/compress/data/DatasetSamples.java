package io.llmc4j.compress.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.engine.io.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Turns dataset records into token sequences as LLM Compressor's preprocessing does: the sample
 * column ({@link SampleColumns}) is read as token ids, as text (encoded with the model's tokenizer,
 * special tokens added as {@code tokenizer(text)} adds them), or as a conversation (rendered with the
 * model's chat template, then encoded without adding special tokens, as LLM Compressor's examples
 * call {@code tokenizer(text, add_special_tokens=False)} on the rendered text). Then either each
 * sample is truncated to {@code maxSeqLength} (the default collator: no padding), or, with
 * {@code concatenate}, all samples are joined and cut into blocks of exactly {@code maxSeqLength}
 * tokens, the incomplete tail dropped ({@code group_text}). Conversations in ShareGPT form
 * ({@code {"from": "human"|"gpt"|"system", "value": ...}}) are read as role/content. Errors name the
 * file, the line and the column. Stateless.
 */
public final class DatasetSamples {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param columns      the sample column, given or detected
     * @param maxSeqLength truncation length (required with {@code concatenate})
     * @param concatenate  pack samples into full-length blocks
     */
    public record Preprocessing(SampleColumns columns, OptionalInt maxSeqLength, boolean concatenate) {
        public Preprocessing {
            if (concatenate && maxSeqLength.isEmpty())
                throw new IllegalArgumentException("--concatenate needs --max-seq-len: blocks are that many tokens long");
        }
    }

    private DatasetSamples() {
    }

    /**
     * Tokenizes {@code records}.
     *
     * @param tokenizer the model's tokenizer, or null when the data holds token ids
     * @param chat      the model's chat template, or null when there is none
     */
    public static CalibrationDataset tokenize(List<DatasetRecord> records, Preprocessing preprocessing, Tokenizer tokenizer, ChatRenderer chat,
                                              ModelLimits limits) {
        if (records.isEmpty()) throw new IllegalArgumentException("the dataset holds no records");
        SampleColumns.Resolved column = preprocessing.columns().resolve(records.getFirst());
        List<TokenSequence> out = new ArrayList<>();
        List<int[]> joined = new ArrayList<>();
        for (DatasetRecord record : records) {
            int[] ids;
            int[] mask = null;
            JsonNode value = record.columns().get(column.column());
            if (value == null || value.isNull())
                throw record.error(column.column(), "missing in this record (columns: " + fieldNames(record.columns()) + ")");
            SequenceChecks checks = new SequenceChecks(record.file(), limits, preprocessing.concatenate() ? OptionalInt.empty() : preprocessing.maxSeqLength());
            switch (column.kind()) {
                case TOKEN_IDS -> {
                    ObjectNode holder = JSON.createObjectNode();
                    holder.set(column.column(), value.isTextual() ? parseArray(record, column.column(), value.textValue()) : value);
                    ids = checks.intArray(holder, column.column(), record.line());
                    JsonNode m = record.columns().get("attention_mask");
                    if (m != null && !m.isNull()) {
                        holder.set("attention_mask", m.isTextual() ? parseArray(record, "attention_mask", m.textValue()) : m);
                        mask = checks.intArray(holder, "attention_mask", record.line());
                    }
                }
                case TEXT -> {
                    if (!value.isTextual()) throw record.error(column.column(), "expected a string, found " + JsonlRecords.shown(value));
                    ids = requireTokenizer(record, column, tokenizer).encode(value.textValue());
                }
                case MESSAGES -> {
                    if (chat == null)
                        throw record.error(column.column(), "holds a conversation, but the model has no chat_template (tokenizer_config.json or "
                                + "chat_template.jinja); give a text column with --text-column");
                    String text;
                    try {
                        text = chat.render(messages(record, column.column(), value));
                    } catch (RuntimeException e) {
                        throw record.error(column.column(), "the chat template cannot render this conversation: " + e.getMessage());
                    }
                    ids = requireTokenizer(record, column, tokenizer).encode(text, false);
                }
                default -> throw new IllegalStateException(column.kind().toString());
            }
            if (preprocessing.concatenate()) joined.add(ids);
            else out.add(checks.sequence(ids, mask, record.line(), "column \"" + column.column() + "\""));
        }
        if (preprocessing.concatenate()) out = concatenate(records.getFirst(), joined, preprocessing.maxSeqLength().getAsInt(), limits);
        return new CalibrationDataset(out);
    }

    /** All samples joined and cut into blocks of {@code length} tokens; the incomplete tail is dropped. */
    static List<TokenSequence> concatenate(DatasetRecord first, List<int[]> samples, int length, ModelLimits limits) {
        long total = samples.stream().mapToLong(a -> a.length).sum();
        long blocks = total / length;
        if (blocks == 0)
            throw new DatasetFormatException(first.file(), 0, "--concatenate: the dataset holds " + total + " tokens, fewer than one block of "
                    + length + " (--max-seq-len)");
        int[] all = new int[(int) Math.min(total, Integer.MAX_VALUE - 8)];
        int at = 0;
        for (int[] s : samples) {
            int n = Math.min(s.length, all.length - at);
            System.arraycopy(s, 0, all, at, n);
            at += n;
        }
        SequenceChecks checks = new SequenceChecks(first.file(), limits, OptionalInt.empty());
        List<TokenSequence> out = new ArrayList<>();
        for (int b = 0; b < blocks; b++)
            out.add(checks.sequence(Arrays.copyOfRange(all, b * length, (b + 1) * length), null, 0, "concatenated block " + b));
        return out;
    }

    private static Tokenizer requireTokenizer(DatasetRecord record, SampleColumns.Resolved column, Tokenizer tokenizer) {
        if (tokenizer == null)
            throw record.error(column.column(), "holds text, which needs the model's tokenizer.json; none was found beside the model");
        return tokenizer;
    }

    private static JsonNode parseArray(DatasetRecord record, String column, String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null && node.isArray()) return node;
        } catch (JsonProcessingException e) {
            // reported below
        }
        throw record.error(column, "expected a list of integers such as [1, 2, 3], found " + JsonlRecords.shown(JSON.getNodeFactory().textNode(text)));
    }

    /** The messages of a conversation as role/content maps (other keys kept); ShareGPT from/value mapped. */
    static List<Map<String, Object>> messages(DatasetRecord record, String column, JsonNode value) {
        JsonNode array = value;
        if (value.isTextual()) array = parseArray(record, column, value.textValue());
        if (!array.isArray()) throw record.error(column, "expected a list of messages, found " + JsonlRecords.shown(value));
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode m = array.get(i);
            if (!m.isObject()) throw record.error(column, "expected message " + i + " to be an object with role and content, found " + JsonlRecords.shown(m));
            Map<String, Object> message = JSON.convertValue(m, JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class));
            if (!message.containsKey("role") && message.containsKey("from")) {
                String from = String.valueOf(message.remove("from"));
                message.put("role", switch (from) {
                    case "human", "user" -> "user";
                    case "gpt", "assistant", "model" -> "assistant";
                    default -> from;
                });
                message.put("content", message.remove("value"));
            }
            if (!(message.get("role") instanceof String))
                throw record.error(column, "expected message " + i + " to have a string \"role\", found " + JsonlRecords.shown(m));
            if (!message.containsKey("content"))
                throw record.error(column, "expected message " + i + " to have a \"content\", found " + JsonlRecords.shown(m));
            out.add(message);
        }
        return out;
    }

    private static String fieldNames(ObjectNode record) {
        StringBuilder names = new StringBuilder();
        record.fieldNames().forEachRemaining(n -> names.append(names.isEmpty() ? "" : ", ").append(n));
        return names.isEmpty() ? "none" : names.toString();
    }
}
