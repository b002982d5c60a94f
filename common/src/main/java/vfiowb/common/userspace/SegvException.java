package vfiowb.common.userspace;

import java.util.Optional;
import vfiowb.common.errno.KernelBug;

/**
 * A load or store through a mapping was answered with SIGSEGV: nothing mapped there, or the
 * access is not permitted by the mapping's protection, or the fault ran into a kernel bug
 * ({@link #kernelBug()} present; see {@link Mapping} for why that is SIGSEGV). A user-visible
 * outcome, not a model bug; it records no stack trace.
 */
public final class SegvException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long address;
    private final transient KernelBug kernelBug;

    public SegvException(long address, String detail) {
        this(address, detail, null);
    }

    /** SIGSEGV because the fault at {@code address} hit {@code kernelBug} (null: an ordinary one). */
    public SegvException(long address, String detail, KernelBug kernelBug) {
        super(String.format("SIGSEGV at 0x%x%s%s", address, detail == null ? "" : ": " + detail,
                kernelBug == null ? "" : " (kernel bug: " + kernelBug + ")"), null, false, false);
        this.address = address;
        this.kernelBug = kernelBug;
    }

    /** The kernel bug the fault ran into, if that is why the thread got the signal. */
    public Optional<KernelBug> kernelBug() {
        return Optional.ofNullable(kernelBug);
    }

    /** The faulting user address ({@code si_addr}). */
    public long address() {
        return address;
    }
}
