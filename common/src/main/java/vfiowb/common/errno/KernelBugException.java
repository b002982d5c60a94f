package vfiowb.common.errno;

import java.util.Objects;

/**
 * Thrown by model code exactly where the real kernel would oops, hit a {@code BUG_ON} or have
 * KASAN report: the {@link KernelBug} it carries names the upstream function.
 *
 * <p>It unwinds the modelled kernel code (releasing the model's locks, which the real kernel
 * would leave held) up to the syscall boundary, which records the bug and makes the call fail as
 * the thread would see it. An outcome, not a model bug: no stack trace is recorded.
 */
public final class KernelBugException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient KernelBug bug;

    public KernelBugException(KernelBug bug) {
        super(Objects.requireNonNull(bug, "bug").toString(), null, false, false);
        this.bug = bug;
    }

    /** {@code new KernelBugException(new KernelBug(function, kind, reason))}. */
    public KernelBugException(String function, KernelBug.Kind kind, String reason) {
        this(new KernelBug(function, kind, reason));
    }

    public KernelBug bug() {
        return bug;
    }
}
