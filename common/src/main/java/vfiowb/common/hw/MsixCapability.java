package vfiowb.common.hw;

import vfiowb.common.Models;

/**
 * What a function's MSI-X capability says: which BAR holds the vector table and at what offset,
 * how many entries it has, and where the pending-bit array is.
 *
 * <p>Offsets are what the capability reports; they are not checked against the BAR size,
 * because real devices get this wrong (a Chelsio T5 VF reports its PBA at 0x8000 in an 8 KiB
 * BAR, and QEMU carries quirks for it).
 */
@Models("drivers/pci/msi/msi.c:msix_capability_init")
public record MsixCapability(int tableBar, long tableOffset, int entries, int pbaBar, long pbaOffset) {

    public MsixCapability {
        if (tableBar < 0 || tableBar > 5 || pbaBar < 0 || pbaBar > 5) {
            throw new IllegalArgumentException("MSI-X BIR must name BAR0..BAR5");
        }
        if (entries < 1 || entries > 2048) {
            throw new IllegalArgumentException("MSI-X table size must be 1..2048: " + entries);
        }
        if ((tableOffset & 7) != 0 || (pbaOffset & 7) != 0 || tableOffset < 0 || pbaOffset < 0
                || tableOffset > 0xFFFF_FFF8L || pbaOffset > 0xFFFF_FFF8L) {
            throw new IllegalArgumentException("MSI-X offsets are 32-bit and qword aligned");
        }
    }

    /** Bytes of the vector table: 16 per entry. */
    public long tableSize() {
        return 16L * entries;
    }

    /** Bytes of the pending-bit array: one bit per entry, in whole qwords. */
    public long pbaSize() {
        return ((entries + 63L) / 64) * 8;
    }

    /** The capability's Table Offset/BIR register. */
    public int tableRegister() {
        return (int) (tableOffset | tableBar);
    }

    /** The capability's PBA Offset/BIR register. */
    public int pbaRegister() {
        return (int) (pbaOffset | pbaBar);
    }

    /** Whether {@code [offset, offset+len)} of BAR {@code bar} overlaps the vector table. */
    public boolean overlapsTable(int bar, long offset, long len) {
        return bar == tableBar && offset < tableOffset + tableSize() && tableOffset < offset + len;
    }

    /** Whether {@code [offset, offset+len)} of BAR {@code bar} overlaps the pending-bit array. */
    public boolean overlapsPba(int bar, long offset, long len) {
        return bar == pbaBar && offset < pbaOffset + pbaSize() && pbaOffset < offset + len;
    }
}
