package vfiowb.rulefixture.offsets.helper.drivers.d;

/** Rule fixture: a read op calling the old offset helper. */
public final class HelperCallingDriver {
    public long read(byte[] buf, long count, long ppos) {
        return HelperOffsets.offsetToIndex(ppos) == 0 ? count : -22;
    }
}
