package vfiowb.workbench.json;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vfiowb.workbench.io.InputLimits;
import vfiowb.workbench.io.Printable;

/**
 * JSON for the workbench's reports, transcripts and the serve protocol, on Jackson's streaming
 * parser and generator (jackson-core).
 *
 * <p>Values are plain Java objects: {@link Map} with {@code String} keys (objects, insertion
 * order kept), {@link List} (arrays), {@link String}, {@link Number}, {@link Boolean} and
 * {@code null}. The parser gives {@link LinkedHashMap}, {@link ArrayList}, {@code Long} for an
 * integer that fits 64 bits, {@link BigInteger} for a larger one, {@link BigDecimal} for a
 * number with a fraction or exponent. Duplicate keys are refused.
 *
 * <p>Parsing is bounded by {@link InputLimits}, the bounds of every untrusted input: nesting,
 * number length and text length are Jackson's {@link StreamReadConstraints}, so a hostile
 * document is refused as written, never expanded ({@code 1e100000000} stays a short
 * {@link BigDecimal} that {@link #toLong} refuses by its exponent) or recursed into past the
 * limit.
 *
 * <p>64-bit quantities travel as {@code "0x..."} strings ({@link #hex}), since many JSON readers
 * keep numbers as doubles and lose precision past 2<sup>53</sup>; {@link #toLong} reads either
 * form back.
 */
public final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(InputLimits.MAX_NESTING)
                    .maxNumberLength(InputLimits.MAX_NUMBER_CHARS)
                    .maxStringLength(InputLimits.MAX_LINE_BYTES)
                    .build())
            .errorReportConfiguration(ErrorReportConfiguration.builder()
                    .maxErrorTokenLength(32).maxRawContentLength(0).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** The largest integer part a number that fits 64 bits can have, in decimal digits. */
    private static final int MAX_INTEGER_DIGITS = 20;

    private Json() {}

    /** {@code "0x1f"}: the unsigned 64-bit value in lower-case hex. */
    public static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    /**
     * Reads an integer given as a JSON number or as a {@code "0x..."} (or decimal) string, as
     * an unsigned or signed 64-bit pattern. A number with an exponent or fraction is taken when
     * it is a whole number in range, judged from its digits and exponent without expanding it.
     *
     * @throws JsonException if it is neither, or does not fit 64 bits
     */
    public static long toLong(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger) {
            BigInteger b = (BigInteger) v;
            if (b.signum() >= 0 && b.bitLength() <= 64) {
                return b.longValue();
            }
            throw new JsonException("integer out of 64-bit range: " + excerpt(b.toString()));
        }
        if (v instanceof BigDecimal) {
            BigDecimal d = (BigDecimal) v;
            if (d.signum() == 0) {
                return 0;
            }
            if ((long) d.precision() - d.scale() > MAX_INTEGER_DIGITS) {
                throw new JsonException("integer out of 64-bit range: " + excerpt(d.toString()));
            }
            BigDecimal whole = d.stripTrailingZeros();
            if (whole.scale() > 0) {
                throw new JsonException("not an integer: " + excerpt(d.toString()));
            }
            return toLong(whole.toBigIntegerExact());
        }
        if (v instanceof String) {
            String s = ((String) v).trim();
            try {
                if (s.length() > InputLimits.MAX_NUMBER_CHARS) {
                    throw new NumberFormatException();
                }
                if (s.startsWith("0x") || s.startsWith("0X")) {
                    return Long.parseUnsignedLong(s.substring(2), 16);
                }
                if (s.startsWith("-")) {
                    return Long.parseLong(s);
                }
                return Long.parseUnsignedLong(s);
            } catch (NumberFormatException e) {
                throw new JsonException("not an integer: \"" + excerpt((String) v) + "\"");
            }
        }
        throw new JsonException("not an integer: " + (v == null ? "null" : typeName(v)));
    }

    /** One line, no spaces: a JSON-lines record. */
    public static String write(Object value) {
        return generate(value, null);
    }

    /** Indented by two spaces per level, arrays of scalars on one line, for people and files. */
    public static String pretty(Object value) {
        return generate(value, new Pretty());
    }

    /** An object builder that keeps insertion order. */
    public static Obj obj() {
        return new Obj();
    }

    /** Fluent insertion-ordered object: {@code Json.obj().put("a", 1).put("b", "x")}. */
    public static final class Obj extends LinkedHashMap<String, Object> {
        private static final long serialVersionUID = 1L;

        public Obj put(String key, Object value) {
            super.put(key, value);
            return this;
        }
    }

    private static String generate(Object value, Pretty pretty) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            if (pretty != null) {
                g.setPrettyPrinter(pretty);
            }
            write(g, value, pretty, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void write(JsonGenerator g, Object v, Pretty pretty, int depth) throws IOException {
        if (depth > 256) {
            throw new JsonException("value nested deeper than 256");
        }
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String) {
            g.writeString((String) v);
        } else if (v instanceof Boolean) {
            g.writeBoolean((Boolean) v);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new JsonException("JSON has no " + d);
            }
            g.writeNumber(d);
        } else if (v instanceof BigDecimal) {
            g.writeNumber((BigDecimal) v);
        } else if (v instanceof BigInteger) {
            g.writeNumber((BigInteger) v);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    throw new JsonException("object key is not a string: " + e.getKey());
                }
                g.writeFieldName((String) e.getKey());
                write(g, e.getValue(), pretty, depth + 1);
            }
            g.writeEndObject();
        } else if (v instanceof Iterable) {
            List<Object> items = new ArrayList<>();
            ((Iterable<?>) v).forEach(items::add);
            if (pretty != null) {
                pretty.inline.push(items.stream().noneMatch(x -> x instanceof Map || x instanceof Iterable));
            }
            g.writeStartArray();
            for (Object x : items) {
                write(g, x, pretty, depth + 1);
            }
            g.writeEndArray();
            if (pretty != null) {
                pretty.inline.pop();
            }
        } else {
            throw new JsonException("no JSON form for " + v.getClass().getSimpleName() + " " + v);
        }
    }

    /**
     * The pretty form: {@code "key": value} one per line, two spaces per level; an array of
     * scalars on one line ({@code [1, 2]}), an array holding objects or arrays one item per line.
     */
    private static final class Pretty implements PrettyPrinter {
        final Deque<Boolean> inline = new ArrayDeque<>();
        private int level;

        private void newline(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
            for (int i = 0; i < level; i++) {
                g.writeRaw("  ");
            }
        }

        @Override
        public void writeRootValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
        }

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            g.writeRaw('{');
            level++;
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) throws IOException {
            newline(g);
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            newline(g);
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            level--;
            if (entries > 0) {
                newline(g);
            }
            g.writeRaw('}');
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            g.writeRaw('[');
            level++;
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            if (!inlineArray()) {
                newline(g);
            }
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            if (inlineArray()) {
                g.writeRaw(' ');
            } else {
                newline(g);
            }
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            level--;
            if (values > 0 && !inlineArray()) {
                newline(g);
            }
            g.writeRaw(']');
        }

        private boolean inlineArray() {
            return !inline.isEmpty() && inline.peek();
        }
    }

    /**
     * Parses one JSON text (surrounding whitespace allowed, nothing else), within
     * {@link InputLimits}.
     *
     * @throws JsonException naming the 1-based column (and line, for multi-line text) of the
     *     first problem, without echoing more than a few characters of the input
     */
    public static Object parse(String text) {
        JsonParser p;
        try {
            p = FACTORY.createParser(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (p) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new JsonException("column 1: no JSON value (an empty line)");
            }
            Object v = value(p, t);
            if (p.nextToken() != null) {
                throw error(p, "unexpected " + describe(p) + " after the value");
            }
            return v;
        } catch (StreamConstraintsException e) {
            throw new JsonException(position(p.currentLocation().getLineNr(),
                    p.currentLocation().getColumnNr()) + "over the input limits: " + limit(e));
        } catch (JsonProcessingException e) {
            throw new JsonException(position(e) + Printable.of(firstSentence(e.getOriginalMessage())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Which of {@link InputLimits} a constraint exception names, in the limits' words. */
    private static String limit(StreamConstraintsException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.contains("Number value length")) {
            return "a number longer than " + InputLimits.MAX_NUMBER_CHARS + " characters";
        }
        if (m.contains("nesting depth")) {
            return "nested deeper than " + InputLimits.MAX_NESTING;
        }
        if (m.contains("String value length")) {
            return "a string longer than " + InputLimits.bytes(InputLimits.MAX_LINE_BYTES);
        }
        return Printable.of(firstSentence(m));
    }

    /** Parses a JSON object; anything else is refused. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new JsonException("expected a JSON object, got "
                    + (v == null ? "null" : v instanceof List ? "an array" : "a " + typeName(v)));
        }
        return (Map<String, Object>) v;
    }

    /** {@code "string"}, {@code "number"}, ... for messages. */
    public static String typeName(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Number) {
            return "number";
        }
        if (v instanceof Boolean) {
            return "boolean";
        }
        if (v instanceof Map) {
            return "object";
        }
        if (v instanceof List) {
            return "array";
        }
        return v.getClass().getSimpleName();
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String key = p.currentName();
                    m.put(key, value(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                    l.add(value(p, v));
                }
                return l;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue()
                        : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDecimalValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw error(p, "unexpected " + describe(p));
        }
    }

    private static JsonException error(JsonParser p, String what) {
        return new JsonException(position(p.currentTokenLocation().getLineNr(),
                p.currentTokenLocation().getColumnNr()) + what);
    }

    private static String describe(JsonParser p) throws IOException {
        return "'" + excerpt(Printable.of(p.getText())) + "'";
    }

    private static String position(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : position(e.getLocation().getLineNr(), e.getLocation().getColumnNr());
    }

    private static String position(int line, int column) {
        return (line > 1 ? "line " + line + " " : "") + (column > 0 ? "column " + column + ": " : "");
    }

    /** Jackson's message, short: without its list of what was expected or a second line. */
    private static String firstSentence(String m) {
        if (m == null) {
            return "malformed";
        }
        for (String cut : new String[] {"\n", ": expected a valid value", ": was expecting",
            " (JSON String"}) {
            int at = m.indexOf(cut);
            if (at > 0) {
                m = m.substring(0, at);
            }
        }
        return m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }

    private static String excerpt(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
