package vfiowb.rulefixture.shared.bad;

import vfiowb.common.mm.VmArea;

/** Rule fixture: shared emulation that finds its BAR from a VMA's pgoff. */
public final class PgoffEmulation {
    private PgoffEmulation() {}

    public static long barOf(VmArea vma) {
        return vma.vmPgoff() >>> 28;
    }
}
