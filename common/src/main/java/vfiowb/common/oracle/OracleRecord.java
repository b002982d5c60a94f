package vfiowb.common.oracle;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One line of a transcript: what the probe did and what Linux answered. Accessors are strict:
 * a missing or mistyped field is an {@link IllegalArgumentException} naming the record, so a
 * transcript of another format fails loudly instead of replaying half.
 */
public final class OracleRecord {
    private final String file;
    private final Map<String, Object> fields;

    OracleRecord(String file, Map<String, Object> fields) {
        this.file = file;
        this.fields = fields;
        seq();
        op();
    }

    public long seq() {
        return integer("seq");
    }

    public String op() {
        return string("op");
    }

    public boolean has(String key) {
        return fields.containsKey(key);
    }

    /** The probe's name for the call ({@code case}), or empty. */
    public Optional<String> caseName() {
        return has("case") ? Optional.of(string("case")) : Optional.empty();
    }

    public String string(String key) {
        return typed(key, String.class);
    }

    public long integer(String key) {
        return typed(key, Long.class);
    }

    public boolean bool(String key) {
        return typed(key, Boolean.class);
    }

    /** A 64-bit value written as a {@code "0x..."} string (as unsigned, so it may be negative). */
    public long hex(String key) {
        return parseHex(string(key), key);
    }

    /** A byte string written as plain hex ({@code "55aa94e9"}); empty for {@code ""}. */
    public byte[] bytes(String key) {
        String s = string(key);
        try {
            return HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException e) {
            throw bad(key, "not a hex byte string: " + s);
        }
    }

    /** A nested object. */
    public OracleRecord object(String key) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = typed(key, Map.class);
        Map<String, Object> withSeq = new java.util.LinkedHashMap<>(m);
        withSeq.putIfAbsent("seq", seq());
        withSeq.putIfAbsent("op", op() + "." + key);
        return new OracleRecord(file, withSeq);
    }

    /** A list of nested objects. */
    public List<OracleRecord> objects(String key) {
        List<?> list = typed(key, List.class);
        return list.stream().map(o -> {
            if (!(o instanceof Map)) {
                throw bad(key, "expected a list of objects");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = new java.util.LinkedHashMap<>((Map<String, Object>) o);
            m.putIfAbsent("seq", seq());
            m.putIfAbsent("op", op() + "." + key);
            return new OracleRecord(file, m);
        }).toList();
    }

    /** The errno the call failed with, 0 on success; checks {@code ret} agrees. */
    public int errno() {
        long errno = integer("errno");
        long ret = integer("ret");
        if ((errno == 0) == (ret < 0)) {
            throw bad("errno", "errno " + errno + " with ret " + ret);
        }
        return (int) errno;
    }

    private <T> T typed(String key, Class<T> type) {
        Object v = fields.get(key);
        if (v == null) {
            throw bad(key, fields.containsKey(key) ? "is null" : "is missing");
        }
        if (!type.isInstance(v)) {
            throw bad(key, "is a " + v.getClass().getSimpleName() + ", expected " + type.getSimpleName());
        }
        return type.cast(v);
    }

    IllegalArgumentException bad(String key, String what) {
        return new IllegalArgumentException(String.format("%s seq %s (%s): field %s %s", file,
                fields.get("seq"), fields.get("op"), key, what));
    }

    static long parseHex(String s, String what) {
        if (!s.startsWith("0x") || s.length() < 3 || s.length() > 18) {
            throw new IllegalArgumentException(what + ": not a 0x hex value: " + s);
        }
        try {
            return Long.parseUnsignedLong(s.substring(2), 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": not a 0x hex value: " + s);
        }
    }

    @Override
    public String toString() {
        return file + " " + fields;
    }
}
