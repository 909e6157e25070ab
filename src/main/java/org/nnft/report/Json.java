package org.nnft.report;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tiny JSON writer and parser without dependencies.
 *
 * <h2>Writing</h2>
 * {@link #of(Object)} gives compact JSON, {@link #pretty(Object)} the same with 2-space indentation. Supported
 * values:
 * <ul>
 *   <li>{@code null}, {@link Boolean};</li>
 *   <li>{@link Number}: a {@code Double}/{@code Float} that is NaN or infinite becomes {@code null}; an integral
 *       double with |x| &lt; 1e15 is written without fraction or exponent ({@code 3}, {@code 1000000}), except
 *       negative zero, written {@code -0.0} so that its sign survives; any other double uses the round-trip
 *       form of {@link Double#toString} with a lower-case {@code e} ({@code 0.1}, {@code 1.0e-7},
 *       {@code 1.5e20}), so {@code Double.parseDouble} or Python's {@code float} give back the same bits.
 *       Integer types and {@link BigInteger}/{@link BigDecimal} are written exactly;</li>
 *   <li>{@link CharSequence}, {@link Character} and {@link Enum} (its name) as strings. Strings are escaped per
 *       RFC 8259: {@code "} and {@code \} and the control characters (as {@code \n}, {@code \t} ... or
 *       {@code \}{@code u00XX}), and every non-ASCII character as {@code \}{@code uXXXX} (UTF-16 units, so
 *       characters outside the BMP become surrogate pairs). The output is therefore pure ASCII and can be
 *       written in any charset;</li>
 *   <li>arrays of any type ({@code double[]}, {@code double[][]}, {@code int[]}, {@code Object[]} ...),
 *       {@link Iterable}s (e.g. {@link List}) as JSON arrays;</li>
 *   <li>{@link Map}s as JSON objects in iteration order (so {@link LinkedHashMap} order is kept); keys are
 *       converted with {@link String#valueOf(Object)}.</li>
 * </ul>
 * Anything else, and cyclic structures, throw {@link IllegalArgumentException}.
 *
 * <h2>Parsing</h2>
 * {@link #parse(String)} accepts strict RFC 8259 JSON and returns {@code null}, {@link Boolean}, {@link Double}
 * (for every number), {@link String}, {@link List} ({@link ArrayList}) and {@link Map} ({@link LinkedHashMap},
 * later duplicate keys win). Malformed input throws {@link IllegalArgumentException} naming the offset.
 */
public final class Json {

    private static final String INDENT = "  ";

    private Json() {
    }

    /** Compact JSON for {@code o} (no whitespace). */
    public static String of(Object o) {
        StringBuilder sb = new StringBuilder();
        new Writer(sb, false).value(o, 0);
        return sb.toString();
    }

    /**
     * Indented JSON for {@code o}: 2 spaces per level, {@code "key": value}. Arrays holding only scalars (numbers,
     * strings, booleans, nulls) stay on one line ({@code [1, 2, 3]}), so a matrix prints one row per line; empty
     * containers print as {@code []} and {@code {}}.
     */
    public static String pretty(Object o) {
        StringBuilder sb = new StringBuilder();
        new Writer(sb, true).value(o, 0);
        return sb.toString();
    }

    /** The JSON text of a single double, as used by {@link #of(Object)} ({@code null} for NaN and infinities). */
    public static String number(double x) {
        if (!Double.isFinite(x)) {
            return "null";
        }
        if (x == 0.0) {
            return (Double.doubleToRawLongBits(x) < 0) ? "-0.0" : "0";
        }
        if (x == Math.rint(x) && Math.abs(x) < 1e15) {
            return Long.toString((long) x);
        }
        return Double.toString(x).replace('E', 'e');
    }

    /** Escapes {@code s} as a JSON string literal, quotes included. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        appendQuoted(sb, s);
        return sb.toString();
    }

    private static void appendQuoted(StringBuilder sb, CharSequence s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c >= 0x7f) {
                        sb.append("\\u");
                        String hex = Integer.toHexString(c);
                        for (int k = hex.length(); k < 4; k++) {
                            sb.append('0');
                        }
                        sb.append(hex);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    // ------------------------------------------------------------------------------------------ writer

    private static final class Writer {
        private final StringBuilder sb;
        private final boolean pretty;
        private final Set<Object> open = Collections.newSetFromMap(new IdentityHashMap<>());

        Writer(StringBuilder sb, boolean pretty) {
            this.sb = sb;
            this.pretty = pretty;
        }

        void value(Object o, int depth) {
            if (o == null) {
                sb.append("null");
            } else if (o instanceof Boolean b) {
                sb.append(b.booleanValue() ? "true" : "false");
            } else if (o instanceof Number n) {
                numberValue(n);
            } else if (o instanceof CharSequence cs) {
                appendQuoted(sb, cs);
            } else if (o instanceof Character c) {
                appendQuoted(sb, String.valueOf(c.charValue()));
            } else if (o instanceof Enum<?> e) {
                appendQuoted(sb, e.name());
            } else if (o instanceof Map<?, ?> m) {
                enter(o);
                object(m, depth);
                open.remove(o);
            } else if (o instanceof Iterable<?> it) {
                enter(o);
                List<Object> items = new ArrayList<>();
                for (Object x : it) {
                    items.add(x);
                }
                array(items, depth);
                open.remove(o);
            } else if (o.getClass().isArray()) {
                enter(o);
                int n = Array.getLength(o);
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(Array.get(o, i));
                }
                array(items, depth);
                open.remove(o);
            } else {
                throw new IllegalArgumentException("cannot write a " + o.getClass().getName() + " as JSON");
            }
        }

        private void enter(Object o) {
            if (!open.add(o)) {
                throw new IllegalArgumentException("cyclic structure cannot be written as JSON");
            }
        }

        private void numberValue(Number n) {
            if (n instanceof Double d) {
                sb.append(number(d));
            } else if (n instanceof Float f) {
                float x = f;
                if (!Float.isFinite(x)) {
                    sb.append("null");
                } else if (x == 0.0f || (x == Math.rint(x) && Math.abs(x) < 1e15)) {
                    sb.append(number(x)); // exact: integral floats are exactly representable as doubles
                } else {
                    sb.append(Float.toString(x).replace('E', 'e'));
                }
            } else if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                    || n instanceof BigInteger) {
                sb.append(n.toString());
            } else if (n instanceof BigDecimal bd) {
                sb.append(bd.toString().replace('E', 'e'));
            } else {
                sb.append(number(n.doubleValue()));
            }
        }

        private void object(Map<?, ?> m, int depth) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                newline(depth + 1);
                appendQuoted(sb, String.valueOf(e.getKey()));
                sb.append(pretty ? ": " : ":");
                value(e.getValue(), depth + 1);
            }
            newline(depth);
            sb.append('}');
        }

        private void array(List<Object> items, int depth) {
            if (items.isEmpty()) {
                sb.append("[]");
                return;
            }
            boolean inline = !pretty || items.stream().allMatch(Writer::isScalar);
            sb.append('[');
            boolean first = true;
            for (Object x : items) {
                if (!first) {
                    sb.append(',');
                    if (inline && pretty) {
                        sb.append(' ');
                    }
                }
                first = false;
                if (!inline) {
                    newline(depth + 1);
                }
                value(x, depth + 1);
            }
            if (!inline) {
                newline(depth);
            }
            sb.append(']');
        }

        private static boolean isScalar(Object o) {
            return o == null || o instanceof Boolean || o instanceof Number || o instanceof CharSequence
                    || o instanceof Character || o instanceof Enum<?>;
        }

        private void newline(int depth) {
            if (pretty) {
                sb.append('\n');
                for (int i = 0; i < depth; i++) {
                    sb.append(INDENT);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ parser

    /**
     * Parses strict JSON text. Returns {@code null}, {@link Boolean}, {@link Double}, {@link String},
     * {@link ArrayList} or {@link LinkedHashMap}.
     *
     * @throws IllegalArgumentException if {@code json} is not valid JSON (the message gives the offset)
     */
    public static Object parse(String json) {
        if (json == null) {
            throw new IllegalArgumentException("JSON text is null");
        }
        Parser p = new Parser(json);
        p.skipWhitespace();
        Object v = p.value(0);
        p.skipWhitespace();
        if (p.pos != json.length()) {
            throw p.error("unexpected trailing content");
        }
        return v;
    }

    private static final class Parser {
        private static final int MAX_DEPTH = 10_000;
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        IllegalArgumentException error(String message) {
            return new IllegalArgumentException("invalid JSON at offset " + pos + ": " + message);
        }

        void skipWhitespace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pos++;
                } else {
                    break;
                }
            }
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nesting too deep");
            }
            if (pos >= s.length()) {
                throw error("unexpected end of input");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{':
                    return object(depth);
                case '[':
                    return array(depth);
                case '"':
                    return string();
                case 't':
                    literal("true");
                    return Boolean.TRUE;
                case 'f':
                    literal("false");
                    return Boolean.FALSE;
                case 'n':
                    literal("null");
                    return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw error("unexpected character '" + printable(c) + "'");
            }
        }

        private static String printable(char c) {
            return c < 0x20 || c >= 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
        }

        private void literal(String word) {
            if (!s.startsWith(word, pos)) {
                throw error("expected '" + word + "'");
            }
            pos += word.length();
        }

        private Map<String, Object> object(int depth) {
            pos++; // '{'
            Map<String, Object> m = new LinkedHashMap<>();
            skipWhitespace();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return m;
            }
            while (true) {
                skipWhitespace();
                if (pos >= s.length() || s.charAt(pos) != '"') {
                    throw error("expected a string key");
                }
                String key = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                m.put(key, value(depth + 1));
                skipWhitespace();
                if (pos >= s.length()) {
                    throw error("unterminated object");
                }
                char c = s.charAt(pos++);
                if (c == '}') {
                    return m;
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or '}'");
                }
            }
        }

        private List<Object> array(int depth) {
            pos++; // '['
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                return list;
            }
            while (true) {
                skipWhitespace();
                list.add(value(depth + 1));
                skipWhitespace();
                if (pos >= s.length()) {
                    throw error("unterminated array");
                }
                char c = s.charAt(pos++);
                if (c == ']') {
                    return list;
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or ']'");
                }
            }
        }

        private void expect(char c) {
            if (pos >= s.length() || s.charAt(pos) != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private String string() {
            pos++; // opening quote
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c < 0x20) {
                    pos--;
                    throw error("unescaped control character in string");
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (pos >= s.length()) {
                    throw error("unterminated escape");
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw error("truncated \\u escape");
                        }
                        int code = 0;
                        for (int k = 0; k < 4; k++) {
                            int d = Character.digit(s.charAt(pos + k), 16);
                            if (d < 0) {
                                throw error("bad hex digit in \\u escape");
                            }
                            code = code * 16 + d;
                        }
                        pos += 4;
                        sb.append((char) code);
                    }
                    default -> {
                        pos--;
                        throw error("bad escape '\\" + printable(e) + "'");
                    }
                }
            }
        }

        private Double number() {
            int start = pos;
            if (s.charAt(pos) == '-') {
                pos++;
            }
            if (pos >= s.length()) {
                throw error("truncated number");
            }
            char c = s.charAt(pos);
            if (c == '0') {
                pos++;
            } else if (c >= '1' && c <= '9') {
                digits();
            } else {
                throw error("bad number");
            }
            if (pos < s.length() && s.charAt(pos) == '.') {
                pos++;
                if (digits() == 0) {
                    throw error("digit expected after '.'");
                }
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    pos++;
                }
                if (digits() == 0) {
                    throw error("digit expected in exponent");
                }
            }
            return Double.parseDouble(s.substring(start, pos));
        }

        private int digits() {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                pos++;
            }
            return pos - start;
        }
    }
}
