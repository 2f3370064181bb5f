package io.llmc4j.engine.io.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code decoder} of a {@code tokenizer.json}: turns the token strings of a sequence back into
 * text. Like Hugging Face's {@code decode_chain}, each step maps a list of token strings to a new
 * list; the caller joins the final list. Supported types: {@code ByteLevel}, {@code Metaspace},
 * {@code Replace}, {@code ByteFallback}, {@code Fuse}, {@code Strip}, {@code Sequence}. Immutable;
 * thread-safe.
 */
sealed interface TokenDecoder {
    List<String> decodeChain(List<String> tokens);

    /** Byte-level tokens back to their bytes, the whole sequence decoded as UTF-8 (invalid bytes become U+FFFD). */
    record ByteLevel() implements TokenDecoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (String token : tokens)
                ByteLevelAlphabet.appendBytes(token, bytes);
            return List.of(bytes.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * Metaspace's replacement character back to a space; in the first token it is removed instead
     * (the prefix the pre-tokenizer prepended) unless the prepend scheme is {@code never}.
     */
    record Metaspace(String replacement, boolean stripFirst) implements TokenDecoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++)
                out.add(tokens.get(i).replace(replacement, i == 0 && stripFirst ? "" : " "));
            return out;
        }
    }

    /** Replaces every match of {@code pattern} by {@code content} in each token. */
    record Replace(Pattern pattern, String content) implements TokenDecoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            String replacement = Matcher.quoteReplacement(content);
            return tokens.stream().map(t -> pattern.matcher(t).replaceAll(replacement)).toList();
        }
    }

    /**
     * Runs of {@code <0xNN>} tokens back to the string their bytes spell in UTF-8; a run that is not
     * valid UTF-8 gives one U+FFFD per byte.
     */
    record ByteFallback() implements TokenDecoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            ByteArrayOutputStream run = new ByteArrayOutputStream();
            for (String token : tokens) {
                int b = byteOf(token);
                if (b >= 0) {
                    run.write(b);
                    continue;
                }
                flush(run, out);
                out.add(token);
            }
            flush(run, out);
            return out;
        }

        private static int byteOf(String token) {
            if (token.length() != 6 || !token.startsWith("<0x") || token.charAt(5) != '>')
                return -1;
            int hi = Character.digit(token.charAt(3), 16);
            int lo = Character.digit(token.charAt(4), 16);
            return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
        }

        private static void flush(ByteArrayOutputStream run, List<String> out) {
            if (run.size() == 0)
                return;
            byte[] bytes = run.toByteArray();
            run.reset();
            try {
                out.add(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
            } catch (CharacterCodingException e) {
                out.add("\uFFFD".repeat(bytes.length));
            }
        }
    }

    /** Joins all tokens into one. */
    record Fuse() implements TokenDecoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            return List.of(String.join("", tokens));
        }
    }

    /** Removes up to {@code start} leading and {@code stop} trailing {@code content} characters from each token. */
    record Strip(int content, int start, int stop) implements TokenDecoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (String token : tokens) {
                int[] cps = token.codePoints().toArray();
                int from = 0;
                while (from < start && from < cps.length && cps[from] == content)
                    from++;
                int to = cps.length;
                while (cps.length - to < stop && to > from && cps[to - 1] == content)
                    to--;
                out.add(new String(cps, from, to - from));
            }
            return out;
        }
    }

    /** The decoders applied in order. */
    record Chain(List<TokenDecoder> steps) implements TokenDecoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            for (TokenDecoder step : steps)
                tokens = step.decodeChain(tokens);
            return tokens;
        }
    }

    /** Reads the {@code decoder} key; null when absent (tokens are then joined with spaces). */
    static TokenDecoder parse(JsonField field) {
        if (field.isAbsent())
            return null;
        JsonField type = field.get("type");
        return switch (type.text()) {
            case "Sequence" -> new Chain(field.get("decoders").elements().stream().map(TokenDecoder::parse).toList());
            case "ByteLevel" -> new ByteLevel();
            case "Metaspace" -> new Metaspace(PreTokenizer.replacement(field.get("replacement")),
                    PreTokenizer.prependScheme(field) != PreTokenizer.PrependScheme.NEVER);
            case "Replace" -> new Replace(RegexPatterns.stringOrRegex(field.get("pattern")), field.get("content").text());
            case "ByteFallback" -> new ByteFallback();
            case "Fuse" -> new Fuse();
            case "Strip" -> new Strip(PreTokenizer.replacement(field.get("content")).codePointAt(0),
                    field.get("start").nonNegativeInt(), field.get("stop").nonNegativeInt());
            default -> throw type.unsupported("Sequence, ByteLevel, Metaspace, Replace, ByteFallback, Fuse, Strip");
        };
    }
}
