package vfiowb.common.mm;

/**
 * What a PFN in a page-table entry reaches: the CPU's physical address space (RAM and device
 * MMIO), as accessed by loads and stores through a mapping.
 *
 * <p>Widths are 1, 2, 4 or 8 bytes, little-endian; values are zero-extended.
 */
public interface PhysicalMemory {
    /** Reads {@code width} bytes at {@code physAddr}; unbacked addresses read as all-ones. */
    long read(long physAddr, int width);

    /** Writes the low {@code width} bytes of {@code value} at {@code physAddr}; unbacked: dropped. */
    void write(long physAddr, int width, long value);

    /** Whether anything (RAM or a device resource) decodes this physical address. */
    boolean isBacked(long physAddr);

    /**
     * Allocates one zeroed page of RAM of {@code pageSize} bytes and returns its physical
     * address ({@code alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO)}): what a copy-on-write
     * fault copies into. Never freed.
     *
     * @throws UnsupportedOperationException if this machine has no RAM to hand out
     */
    default long allocPage(long pageSize) {
        throw new UnsupportedOperationException("no RAM to allocate a page from");
    }

    /**
     * The machine's x86 PAT memory-type reservations, or null where nothing tracks them (the
     * PFN inserts then keep the protection asked for).
     */
    default PatMemtype patMemtype() {
        return null;
    }
}
