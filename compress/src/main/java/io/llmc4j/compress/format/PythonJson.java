package io.llmc4j.compress.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * JSON text exactly as Python's {@code json.dumps(obj, indent=2, sort_keys=True)} writes it (how
 * transformers and compressed-tensors write {@code config.json}): two-space indentation, items
 * ending with {@code ","} and a newline, {@code ": "} after keys, keys sorted by code point,
 * characters outside printable ASCII escaped as {@code \}{@code uXXXX}, empty containers as {@code {}} / {@code []},
 * floats as Python's {@code repr} ({@code 1e-05}, {@code 10000.0}, {@code 1e+16}), NaN and infinities
 * as {@code NaN}/{@code Infinity}. No trailing newline. Stateless.
 */
public final class PythonJson {
    private PythonJson() {
    }

    /** {@code node} as {@code json.dumps(node, indent=2, sort_keys=True)}. */
    public static String dumps(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(out, node, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, JsonNode node, int level) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                if (node.isEmpty()) {
                    out.append("{}");
                    return;
                }
                List<String> keys = new ArrayList<>();
                node.fieldNames().forEachRemaining(keys::add);
                keys.sort(PythonJson::compare);
                out.append("{\n");
                for (int i = 0; i < keys.size(); i++) {
                    indent(out, level + 1);
                    string(out, keys.get(i));
                    out.append(": ");
                    write(out, node.get(keys.get(i)), level + 1);
                    out.append(i + 1 < keys.size() ? ",\n" : "\n");
                }
                indent(out, level);
                out.append('}');
            }
            case ARRAY -> {
                if (node.isEmpty()) {
                    out.append("[]");
                    return;
                }
                out.append("[\n");
                for (int i = 0; i < node.size(); i++) {
                    indent(out, level + 1);
                    write(out, node.get(i), level + 1);
                    out.append(i + 1 < node.size() ? ",\n" : "\n");
                }
                indent(out, level);
                out.append(']');
            }
            case STRING -> string(out, node.textValue());
            case NUMBER -> out.append(node.isFloatingPointNumber() ? pythonFloat(node.doubleValue()) : node.bigIntegerValue().toString());
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException("cannot write a " + node.getNodeType() + " JSON node");
        }
    }

    /** Python's {@code repr(float)}: the shortest round-tripping digits, fixed notation for exponents −4..15. */
    static String pythonFloat(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
        if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
        BigDecimal exact = shortest(d);
        String digits = exact.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - exact.scale();
        String sign = d < 0 ? "-" : "";
        if (exponent >= -4 && exponent < 16) {
            String plain = exact.abs().toPlainString();
            return sign + (plain.indexOf('.') >= 0 ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        int magnitude = Math.abs(exponent);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (magnitude < 10 ? "0" : "") + magnitude;
    }

    /** The fewest significant digits (the closest such decimal) that read back as {@code d}. */
    private static BigDecimal shortest(double d) {
        BigDecimal value = new BigDecimal(d);
        for (int digits = 1; digits < 17; digits++) {
            BigDecimal candidate = value.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == d) return candidate.stripTrailingZeros();
        }
        return value.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7E) out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }

    private static void indent(StringBuilder out, int level) {
        out.append("  ".repeat(level));
    }

    private static int compare(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i), cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
