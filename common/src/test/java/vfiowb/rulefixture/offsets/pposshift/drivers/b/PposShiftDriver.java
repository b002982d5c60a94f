package vfiowb.rulefixture.offsets.pposshift.drivers.b;

/** Rule fixture: read ops decoding the index from the file offset, unsigned and signed. */
public final class PposShiftDriver {
    public long read(byte[] buf, long count, long ppos) {
        long index = ppos >>> 40;
        return index == 0 ? count : -22;
    }

    public long write(byte[] buf, long count, long ppos) {
        long index = ppos >> 40;
        return index == 0 ? count : -22;
    }
}
