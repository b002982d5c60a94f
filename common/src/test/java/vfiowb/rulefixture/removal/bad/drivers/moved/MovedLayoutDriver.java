package vfiowb.rulefixture.removal.bad.drivers.moved;

/** A driver that moved its layout into itself instead of deleting it. */
public final class MovedLayoutDriver {
    static final int MOVED_OFFSET_SHIFT = 40;

    private MovedLayoutDriver() {}

    static long indexToOffset(long index) {
        return index << MOVED_OFFSET_SHIFT;
    }
}
