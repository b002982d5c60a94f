package vfiowb.common.uapi;

/**
 * A capability chain in an INFO reply that a careful client refuses to follow: it points into the
 * fixed structure, leaves the buffer, loops, or holds a capability whose body does not fit.
 * {@link #offset()} is the buffer offset of the offending capability (or of {@code cap_offset}'s
 * target).
 */
public final class MalformedCapChainException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long offset;

    public MalformedCapChainException(long offset, String message) {
        super("capability chain malformed at offset 0x" + Long.toHexString(offset) + ": " + message);
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }
}
