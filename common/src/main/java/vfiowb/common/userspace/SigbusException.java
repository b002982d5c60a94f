package vfiowb.common.userspace;

/**
 * A load or store through a mapping was answered with SIGBUS (the fault handler returned
 * {@code VM_FAULT_SIGBUS}: memory decode off, device in low power, beyond the populated range).
 * A user-visible outcome, not a model bug, and not an errno: it records no stack trace.
 */
public final class SigbusException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long address;

    public SigbusException(long address, String detail) {
        super(String.format("SIGBUS at 0x%x%s", address, detail == null ? "" : ": " + detail),
                null, false, false);
        this.address = address;
    }

    /** The faulting user address ({@code si_addr}). */
    public long address() {
        return address;
    }
}
