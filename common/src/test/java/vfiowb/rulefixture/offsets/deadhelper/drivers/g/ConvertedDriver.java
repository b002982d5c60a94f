package vfiowb.rulefixture.offsets.deadhelper.drivers.g;

/** Rule fixture: a driver converted to the cookie; its read takes the in-object offset. */
public final class ConvertedDriver {
    public long read(Object obj, byte[] buf, long count, long off) {
        return obj == null ? -22 : count;
    }
}
