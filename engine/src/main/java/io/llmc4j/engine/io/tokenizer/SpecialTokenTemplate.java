package io.llmc4j.engine.io.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The special tokens the {@code post_processor} of a {@code tokenizer.json} puts around a single
 * sequence: {@code prefix} ids before it (Llama's BOS {@code <s>} / {@code <|begin_of_text|>}) and
 * {@code suffix} ids after it. Read from {@code TemplateProcessing} (its {@code single} template and
 * {@code special_tokens}), {@code BertProcessing}/{@code RobertaProcessing} ({@code cls}, {@code sep});
 * {@code ByteLevel} adds nothing; a {@code Sequence} nests its processors in order. Immutable.
 */
record SpecialTokenTemplate(int[] prefix, int[] suffix) {
    static final SpecialTokenTemplate NONE = new SpecialTokenTemplate(new int[0], new int[0]);

    SpecialTokenTemplate {
        prefix = prefix.clone();
        suffix = suffix.clone();
    }

    @Override
    public int[] prefix() {
        return prefix.clone();
    }

    @Override
    public int[] suffix() {
        return suffix.clone();
    }

    /** This template applied around {@code inner}: our prefix, inner's prefix, ..., inner's suffix, ours. */
    SpecialTokenTemplate around(SpecialTokenTemplate inner) {
        return new SpecialTokenTemplate(concat(prefix, inner.prefix), concat(inner.suffix, suffix));
    }

    static SpecialTokenTemplate parse(JsonField field) {
        if (field.isAbsent())
            return NONE;
        JsonField type = field.get("type");
        return switch (type.text()) {
            case "TemplateProcessing" -> parseTemplate(field);
            case "BertProcessing", "RobertaProcessing" -> new SpecialTokenTemplate(
                    new int[] {pairId(field.get("cls"))}, new int[] {pairId(field.get("sep"))});
            case "ByteLevel" -> NONE;
            case "Sequence" -> {
                SpecialTokenTemplate result = NONE;
                for (JsonField processor : field.get("processors").elements())
                    result = parse(processor).around(result);
                yield result;
            }
            default -> throw type.unsupported("TemplateProcessing, BertProcessing, RobertaProcessing, ByteLevel, Sequence");
        };
    }

    private static SpecialTokenTemplate parseTemplate(JsonField field) {
        JsonField specials = field.get("special_tokens");
        List<Integer> prefix = new ArrayList<>();
        List<Integer> suffix = new ArrayList<>();
        boolean sequenceSeen = false;
        for (JsonField item : field.get("single").elements()) {
            if (item.has("Sequence")) {
                JsonField id = item.get("Sequence").get("id");
                if (!id.text().equals("A") || sequenceSeen)
                    throw id.fail("expected the single template to hold sequence \"A\" exactly once");
                sequenceSeen = true;
            } else if (item.has("SpecialToken")) {
                JsonField name = item.get("SpecialToken").get("id");
                JsonField entry = specials.get(name.text());
                if (entry.isAbsent())
                    throw name.fail("expected a name listed in " + specials.path());
                for (JsonField id : entry.get("ids").elements())
                    (sequenceSeen ? suffix : prefix).add(id.nonNegativeInt());
            } else {
                throw item.fail("expected {\"SpecialToken\": ...} or {\"Sequence\": ...}");
            }
        }
        if (!sequenceSeen)
            throw field.get("single").fail("expected a template holding sequence \"A\"");
        return new SpecialTokenTemplate(toArray(prefix), toArray(suffix));
    }

    /** {@code ["<s>", 0]}: the id. */
    private static int pairId(JsonField pair) {
        List<JsonField> parts = pair.elements();
        if (parts.size() != 2)
            throw pair.fail("expected [token, id]");
        return parts.get(1).nonNegativeInt();
    }

    private static int[] toArray(List<Integer> ids) {
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpecialTokenTemplate t && Arrays.equals(prefix, t.prefix) && Arrays.equals(suffix, t.suffix);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(prefix) + Arrays.hashCode(suffix);
    }

    @Override
    public String toString() {
        return "SpecialTokenTemplate[prefix=" + Arrays.toString(prefix) + ", suffix=" + Arrays.toString(suffix) + "]";
    }
}
