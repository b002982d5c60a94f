package vfiowb.rulefixture.offsets.helper.drivers.d;

/** Rule fixture: the driver's old offset-encoding helper (allowed to exist, not to be called). */
public final class HelperOffsets {
    private HelperOffsets() {}

    public static long offsetToIndex(long off) {
        return off >>> 40;
    }
}
