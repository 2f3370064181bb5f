package io.llmc4j.compress.recipe;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides which strings the recipe writer may leave unquoted: only those that every YAML 1.1 and
 * 1.2 loader reads back as the same string. A plain scalar must start with a letter or '_' and
 * hold only letters, digits and {@code _ . / -}, and must not be one of YAML 1.1's boolean or null
 * words (yes, No, ON, y, null, ...). Everything else (numbers, ".inf", "re:.*", "", words with
 * spaces or colons) is quoted. Stricter than Jackson's default check, which leaves ".inf" plain.
 */
final class PlainScalars extends StringQuotingChecker {
    private static final long serialVersionUID = 1L;
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_./-]*");
    private static final Set<String> RESERVED = Set.of("y", "n", "yes", "no", "true", "false", "on", "off", "null");

    static boolean isPlain(String text) {
        return PLAIN.matcher(text).matches() && !RESERVED.contains(text.toLowerCase(Locale.ROOT));
    }

    @Override
    public boolean needToQuoteName(String name) {
        return !isPlain(name);
    }

    @Override
    public boolean needToQuoteValue(String value) {
        return !isPlain(value);
    }
}
