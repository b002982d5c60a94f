package vfiowb.rulefixture.offsets.privatehelper.drivers.e;

/** Rule fixture: the decoding moved into a private helper of the driver. */
public final class PrivateHelperDriver {
    private static final int SHIFT = 40;

    public long read(byte[] buf, long count, long ppos) {
        return indexOf(ppos) == 0 ? count : -22;
    }

    private static long indexOf(long ppos) {
        return ppos >>> SHIFT;
    }
}
