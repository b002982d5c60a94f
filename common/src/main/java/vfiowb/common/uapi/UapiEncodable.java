package vfiowb.common.uapi;

/**
 * A value with a byte-exact little-endian encoding of known length: a uAPI structure or a
 * capability.
 */
public interface UapiEncodable {
    /** Number of bytes {@link #encodeInto} writes. */
    int encodedSize();

    /** Writes the encoding at {@code off}; every byte of {@code [off, off + encodedSize())} is written. */
    void encodeInto(byte[] buf, int off);

    default byte[] encode() {
        byte[] buf = new byte[encodedSize()];
        encodeInto(buf, 0);
        return buf;
    }
}
