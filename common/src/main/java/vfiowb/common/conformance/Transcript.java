package vfiowb.common.conformance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import vfiowb.common.errno.KernelBug;

/**
 * What userspace saw during one client run or scenario, one line per step: the call with its
 * arguments, the result (a count, an errno name, SIGBUS), the decoded reply and the data read
 * back, plus every expectation checked and whether it held.
 *
 * <p>Regions are named by index ({@code BAR0}, {@code CONFIG}, {@code region 9}) and file
 * offsets are written relative to a region ({@code BAR0 + 0x8000}); a raw file offset never
 * appears, because offsets are not ABI and differ between stages. Where an offset matters, a
 * property of it is recorded instead (page aligned, equal to another region's). Virtual
 * addresses never appear either. So one stage, device and architecture always produce the same
 * text, and two stages that behave alike for userspace produce equal transcripts.
 *
 * <p>Not thread-safe: one run writes it.
 */
public final class Transcript {
    private static final String INDENT = "  ";

    private final String title;
    private final List<String> lines = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<KernelBug> kernelBugs = new ArrayList<>();
    /** Failures recorded before the first kernel bug; -1 while there is none. */
    private int failuresBeforeKernelBug = -1;
    private boolean modelError;
    private int depth;

    /** A transcript headed {@code title} (client or scenario, device, arch; never a stage). */
    public Transcript(String title) {
        this.title = Objects.requireNonNull(title, "title");
    }

    public String title() {
        return title;
    }

    /** Appends one line at the current indentation. */
    public Transcript add(String line) {
        lines.add(INDENT.repeat(depth) + line);
        return this;
    }

    /** {@link #add} with {@link String#format}. */
    public Transcript addf(String format, Object... args) {
        return add(String.format(format, args));
    }

    /** Appends {@code heading} and indents what follows until {@link #end()}. */
    public Transcript begin(String heading) {
        add(heading);
        depth++;
        return this;
    }

    /** Ends the innermost {@link #begin}. */
    public Transcript end() {
        if (depth == 0) {
            throw new IllegalStateException("end() without begin()");
        }
        depth--;
        return this;
    }

    /**
     * Records an expectation: {@code expect <what>: ok}, or {@code expect <what>: FAILED
     * (<observed>)} and a failure of the run.
     *
     * @return {@code ok}
     */
    public boolean expect(boolean ok, String what, String observed) {
        if (ok) {
            add("expect " + what + ": ok");
        } else {
            add("expect " + what + ": FAILED (" + observed + ")");
            failures.add(what + " (observed " + observed + ")");
        }
        return ok;
    }

    /** {@link #expect(boolean, String, String)} comparing two values, observed = actual. */
    public boolean expectEquals(Object expected, Object actual, String what) {
        return expect(Objects.equals(expected, actual), what + " = " + expected,
                String.valueOf(actual));
    }

    /** Records a failure that is not an expectation (a model error, an unexpected errno). */
    public void fail(String message) {
        add("FAILED: " + message);
        failures.add(message);
    }

    /**
     * Records that the model broke an invariant (a model bug): a failure that a kernel bug
     * never excuses.
     */
    public void modelError(String message) {
        modelError = true;
        fail("model error: " + message);
    }

    /**
     * Records a kernel bug the run ran into, as a line where it happened:
     * {@code KERNEL BUG: out-of-bounds in samples/vfio-mdev/mbochs.c:__mbochs_get_page: ...}.
     */
    public void kernelBug(KernelBug bug) {
        add("KERNEL BUG: " + bug);
        if (kernelBugs.isEmpty()) {
            failuresBeforeKernelBug = failures.size();
        }
        kernelBugs.add(bug);
    }

    /** The kernel bugs recorded, in order. */
    public List<KernelBug> kernelBugs() {
        return Collections.unmodifiableList(kernelBugs);
    }

    /**
     * {@link Outcome#FAIL} for a model error or a failure before the first kernel bug, else
     * {@link Outcome#KERNEL_BUG} if there was one, else PASS or FAIL.
     */
    public Outcome outcome() {
        if (modelError) {
            return Outcome.FAIL;
        }
        if (!kernelBugs.isEmpty()) {
            return failuresBeforeKernelBug == 0 ? Outcome.KERNEL_BUG : Outcome.FAIL;
        }
        return failures.isEmpty() ? Outcome.PASS : Outcome.FAIL;
    }

    /**
     * What a result reports for this transcript: the failures, and for a {@link
     * Outcome#KERNEL_BUG} outcome each bug first.
     */
    public List<String> messages() {
        List<String> out = new ArrayList<>();
        if (outcome() == Outcome.KERNEL_BUG) {
            kernelBugs.forEach(b -> out.add("kernel bug: " + b));
        }
        out.addAll(failures);
        return out;
    }

    /** The lines, in order. */
    public List<String> lines() {
        return Collections.unmodifiableList(lines);
    }

    /** The failed expectations and failures, in order. */
    public List<String> failures() {
        return Collections.unmodifiableList(failures);
    }

    /** No failure recorded (kernel bugs are not failures: see {@link #outcome()}). */
    public boolean passed() {
        return failures.isEmpty();
    }

    /** The title line and every line, newline-terminated. */
    public String text() {
        StringBuilder sb = new StringBuilder("# ").append(title).append('\n');
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }

    /**
     * A unified diff from this transcript to {@code other} with three lines of context; empty
     * when they are equal.
     */
    public String diff(Transcript other) {
        return TranscriptDiff.unified(title, textLines(), other.title, other.textLines(), 3);
    }

    private List<String> textLines() {
        List<String> l = new ArrayList<>(lines.size() + 1);
        l.add("# " + title);
        l.addAll(lines);
        return l;
    }

    /** Equal when title and lines are equal (failures follow from the lines). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Transcript t && t.title.equals(title) && t.lines.equals(lines);
    }

    @Override
    public int hashCode() {
        return 31 * title.hashCode() + lines.hashCode();
    }

    @Override
    public String toString() {
        return text();
    }
}
