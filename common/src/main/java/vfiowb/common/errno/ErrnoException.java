package vfiowb.common.errno;

import java.util.Optional;

/**
 * A syscall failed with an errno: what userspace sees as {@code -1} with {@code errno} set.
 *
 * <p>Carries a user-visible outcome across the boundary, not a model bug, so it records no stack
 * trace. When the call failed because the kernel hit one of its own bugs on the way
 * ({@link #kernelBug()} present), the errno is the one the syscall boundary chose for that case
 * (EFAULT, see {@code vfiowb.common.userspace.Process}), not one the kernel code returned: a
 * caller that only looks at the errno goes on as it would after EFAULT; one that looks further
 * can tell the two apart.
 */
public final class ErrnoException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errno;
    private final String detail;
    private final transient KernelBug kernelBug;

    public ErrnoException(int errno) {
        this(errno, null);
    }

    public ErrnoException(int errno, String detail) {
        this(errno, detail, null);
    }

    /**
     * A call that failed with {@code errno} because the kernel hit {@code kernelBug} (null for an
     * ordinary failure).
     */
    public ErrnoException(int errno, String detail, KernelBug kernelBug) {
        super(null, null, false, false);
        if (errno <= 0) {
            throw new IllegalArgumentException("errno must be positive: " + errno);
        }
        this.errno = errno;
        this.detail = detail;
        this.kernelBug = kernelBug;
    }

    /**
     * The errno's name, the detail and the kernel bug: made when asked for, since most failed
     * calls are answered with the errno alone and a fuzzer makes millions.
     */
    @Override
    public String getMessage() {
        return Errno.name(errno) + (detail == null ? "" : ": " + detail)
                + (kernelBug == null ? "" : " (kernel bug: " + kernelBug + ")");
    }

    /** The kernel bug the call ran into, if that is why it failed. */
    public Optional<KernelBug> kernelBug() {
        return Optional.ofNullable(kernelBug);
    }

    /** The positive errno. */
    public int errno() {
        return errno;
    }

    public String errnoName() {
        return Errno.name(errno);
    }

    /**
     * Converts a kernel return value to userspace's view: a negative errno throws, anything else
     * is returned unchanged.
     */
    public static long check(long kernelRet) {
        if (Errno.isError(kernelRet)) {
            throw new ErrnoException((int) -kernelRet);
        }
        return kernelRet;
    }
}
