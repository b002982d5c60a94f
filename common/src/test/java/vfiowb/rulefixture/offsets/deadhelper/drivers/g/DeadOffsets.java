package vfiowb.rulefixture.offsets.deadhelper.drivers.g;

/** Rule fixture: a converted driver's old layout type, left behind with no caller. */
public final class DeadOffsets {
    private DeadOffsets() {}

    public static long offsetToIndex(long off) {
        return off >>> 40;
    }
}
