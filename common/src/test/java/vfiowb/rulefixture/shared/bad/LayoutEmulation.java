package vfiowb.rulefixture.shared.bad;

/** Rule fixture: shared emulation that splits a file offset with the 40-bit layout. */
public final class LayoutEmulation {
    private LayoutEmulation() {}

    public static long inRegion(long pos) {
        return pos & ((1L << 40) - 1);
    }

    public static long index(long pos) {
        return pos >>> 40;
    }
}
