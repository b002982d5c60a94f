package vfiowb.common.userspace;

/**
 * A load or store through a mapping was answered with SIGSEGV: nothing mapped there, or the
 * access is not permitted by the mapping's protection. A user-visible outcome, not a model bug;
 * it records no stack trace.
 */
public final class SegvException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long address;

    public SegvException(long address, String detail) {
        super(String.format("SIGSEGV at 0x%x%s", address, detail == null ? "" : ": " + detail),
                null, false, false);
        this.address = address;
    }

    /** The faulting user address ({@code si_addr}). */
    public long address() {
        return address;
    }
}
