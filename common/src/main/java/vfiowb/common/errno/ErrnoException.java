package vfiowb.common.errno;

/**
 * A syscall failed with an errno: what userspace sees as {@code -1} with {@code errno} set.
 *
 * <p>Carries a user-visible outcome across the boundary, not a model bug, so it records no stack
 * trace.
 */
public final class ErrnoException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public ErrnoException(int errno) {
        this(errno, null);
    }

    public ErrnoException(int errno, String detail) {
        super(Errno.name(errno) + (detail == null ? "" : ": " + detail), null, false, false);
        if (errno <= 0) {
            throw new IllegalArgumentException("errno must be positive: " + errno);
        }
        this.errno = errno;
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
