package vfiowb.common.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What the bytecode scan knows about one operand of an instruction: its value when the method
 * computes it from constants alone, and otherwise where it came from within the method.
 *
 * <p>Provenance is followed through local variables, the operand stack, arithmetic, casts,
 * array loads, and calls (a call's result derives from the call itself and from its receiver and
 * arguments), and is joined where control flow joins. It is not followed into another method
 * (a helper's parameter does not know its callers' arguments), through a field (a field read
 * is recorded as the field, not as what was stored there), or through an array's elements.
 *
 * @param constant the exact value ({@link Integer}, {@link Long}, {@link Float}, {@link Double}
 *     or {@link String}) when every path computes the same one from constants, else null
 * @param constants every constant that flowed into the value, folded or not
 * @param calls the methods and constructors whose results flowed into the value
 * @param fields the fields whose reads flowed into the value
 * @param parameters the method's parameters (0-based, the receiver not counted) that flowed in
 */
public record StackValue(Object constant, Set<Object> constants, Set<MemberRef> calls,
        Set<MemberRef> fields, Set<Integer> parameters) {
    /** Nothing known: a value from outside the method's view (an exception, {@code new}). */
    public static final StackValue UNKNOWN = new StackValue(null, Set.of(), Set.of(), Set.of(),
            Set.of());

    public StackValue {
        constants = frozen(constants);
        calls = frozen(calls);
        fields = frozen(fields);
        parameters = frozen(parameters);
        if (constant != null && !constants.contains(constant)) {
            throw new IllegalArgumentException("constant " + constant + " not among " + constants);
        }
    }

    /** A constant pushed by the instruction itself (or folded from constants). */
    static StackValue of(Object constant) {
        return new StackValue(constant, Set.of(constant), Set.of(), Set.of(), Set.of());
    }

    static StackValue parameter(int index) {
        return new StackValue(null, Set.of(), Set.of(), Set.of(), Set.of(index));
    }

    static StackValue call(MemberRef target, List<StackValue> inputs) {
        return derived(inputs, target, null);
    }

    static StackValue field(MemberRef field, List<StackValue> inputs) {
        return derived(inputs, null, field);
    }

    /** A value computed from {@code inputs} by something that is not constant-folded. */
    static StackValue derived(List<StackValue> inputs) {
        return derived(inputs, null, null);
    }

    private static StackValue derived(List<StackValue> inputs, MemberRef call, MemberRef field) {
        Set<Object> k = new LinkedHashSet<>();
        Set<MemberRef> c = new LinkedHashSet<>();
        Set<MemberRef> f = new LinkedHashSet<>();
        Set<Integer> p = new LinkedHashSet<>();
        for (StackValue v : inputs) {
            k.addAll(v.constants);
            c.addAll(v.calls);
            f.addAll(v.fields);
            p.addAll(v.parameters);
        }
        if (call != null) {
            c.add(call);
        }
        if (field != null) {
            f.add(field);
        }
        return new StackValue(null, k, c, f, p);
    }

    /** The value where two paths join: provenance of both; exact only if both agree. */
    StackValue join(StackValue other) {
        if (equals(other)) {
            return this;
        }
        StackValue d = derived(List.of(this, other));
        Object exact = constant != null && constant.equals(other.constant) ? constant : null;
        return new StackValue(exact, d.constants, d.calls, d.fields, d.parameters);
    }

    /** The exact value when it is an {@code int} or {@code long} constant. */
    public OptionalLong exact() {
        return integral(constant);
    }

    /** Whether the value is exactly {@code v} on every path. */
    public boolean isConstant(long v) {
        OptionalLong e = exact();
        return e.isPresent() && e.getAsLong() == v;
    }

    /** Whether the {@code int} or {@code long} constant {@code v} flowed into the value. */
    public boolean involvesConstant(long v) {
        for (Object k : constants) {
            OptionalLong e = integral(k);
            if (e.isPresent() && e.getAsLong() == v) {
                return true;
            }
        }
        return false;
    }

    /** Whether a call to {@code owner.name} (any overload) flowed into the value. */
    public boolean derivesFromCall(String owner, String name) {
        return calls.stream().anyMatch(m -> m.is(owner, name));
    }

    /** Whether a read of the field {@code owner.name} flowed into the value. */
    public boolean derivesFromField(String owner, String name) {
        return fields.stream().anyMatch(m -> m.is(owner, name));
    }

    /** Whether the method's parameter {@code index} (0-based, receiver not counted) flowed in. */
    public boolean derivesFromParameter(int index) {
        return parameters.contains(index);
    }

    @Override
    public String toString() {
        if (constant != null) {
            return constant instanceof String ? '"' + (String) constant + '"' : render(constant);
        }
        List<String> parts = new ArrayList<>();
        constants.forEach(k -> parts.add(render(k)));
        calls.forEach(c -> parts.add(c + "()"));
        fields.forEach(f -> parts.add("field " + f));
        parameters.forEach(p -> parts.add("parameter " + p));
        return parts.isEmpty() ? "?" : "f(" + String.join(", ", parts) + ")";
    }

    private static String render(Object k) {
        OptionalLong e = integral(k);
        if (e.isPresent() && (e.getAsLong() > 255 || e.getAsLong() < -255)) {
            return "0x" + Long.toHexString(e.getAsLong()) + (k instanceof Long ? "L" : "");
        }
        return String.valueOf(k) + (k instanceof Long ? "L" : "");
    }

    private static OptionalLong integral(Object k) {
        if (k instanceof Integer || k instanceof Long) {
            return OptionalLong.of(((Number) k).longValue());
        }
        return OptionalLong.empty();
    }

    private static <T> Set<T> frozen(Set<T> s) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(s));
    }
}
