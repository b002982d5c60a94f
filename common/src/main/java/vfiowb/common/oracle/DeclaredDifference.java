package vfiowb.common.oracle;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A difference between the model and the Linux 6.12 transcripts that is known and explained:
 * the devices it shows on, the record op, a glob over the call's label ({@code *} matches any
 * text), the field, and the exact expected and actual values, so a change in what the model
 * answers is a new difference, not a silently absorbed one.
 *
 * @param why what the kernel does and why the model answers otherwise
 * @param upstream the upstream commit that makes v6.19 (which the model follows) differ from
 *     6.12, or {@link #MODEL_BUG} for a model bug whose fix is under way
 */
public record DeclaredDifference(List<String> devices, String op, String labelGlob, String field,
        String expected, String actual, String why, String upstream) {

    /** The marker for a model bug being fixed; the lead removes the entry with the fix. */
    public static final String MODEL_BUG = "model bug being fixed in issue 9 §1";

    public DeclaredDifference {
        devices = List.copyOf(devices);
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(labelGlob, "labelGlob");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(actual, "actual");
        if (why == null || why.isBlank() || upstream == null || upstream.isBlank()) {
            throw new IllegalArgumentException("a declared difference needs its reason and its upstream commit");
        }
        for (String d : devices) {
            if (!OracleTranscript.DEVICES.contains(d)) {
                throw new IllegalArgumentException("no transcript for device " + d);
            }
        }
    }

    public boolean matches(Difference d) {
        return devices.contains(d.device()) && op.equals(d.op()) && field.equals(d.field())
                && expected.equals(d.expected()) && actual.equals(d.actual())
                && glob(labelGlob).matcher(d.label()).matches();
    }

    /** Whether it is a model bug rather than a v6.19 change. */
    public boolean modelBug() {
        return MODEL_BUG.equals(upstream);
    }

    private static Pattern glob(String g) {
        List<String> parts = List.of(g.split("\\*", -1));
        return Pattern.compile(String.join(".*", parts.stream().map(Pattern::quote).toList()));
    }

    @Override
    public String toString() {
        return String.format("%s %s [%s] %s: expected %s, actual %s (%s)", devices, op, labelGlob,
                field, expected, actual, upstream);
    }
}
