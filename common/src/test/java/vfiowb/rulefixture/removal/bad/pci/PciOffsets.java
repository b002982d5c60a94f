package vfiowb.rulefixture.removal.bad.pci;

/** An offset-encoding helper type left behind with no caller. */
public final class PciOffsets {
    private PciOffsets() {}

    public static long shift() {
        return 40;
    }
}
