package vfiowb.step3.drivers.mtty;

import vfiowb.common.Models;

/**
 * samples/vfio-mdev/mtty.c's own copy of the 40-bit layout ({@code MTTY_VFIO_PCI_OFFSET_SHIFT}
 * and family). mtty has no mmap, so only region info and read/write use it.
 */
@Models("samples/vfio-mdev/mtty.c:MTTY_VFIO_PCI_OFFSET_SHIFT")
public final class MttyOffsets {
    private static final int MTTY_VFIO_PCI_OFFSET_SHIFT = 40;

    private MttyOffsets() {}

    /** {@code unsigned int index = MTTY_VFIO_PCI_OFFSET_TO_INDEX(pos)}. */
    @Models("samples/vfio-mdev/mtty.c:MTTY_VFIO_PCI_OFFSET_TO_INDEX")
    public static long offsetToIndex(long off) {
        return (off >>> MTTY_VFIO_PCI_OFFSET_SHIFT) & 0xFFFF_FFFFL;
    }

    /** {@code MTTY_VFIO_PCI_INDEX_TO_OFFSET(index)}. */
    @Models("samples/vfio-mdev/mtty.c:MTTY_VFIO_PCI_INDEX_TO_OFFSET")
    public static long indexToOffset(long index) {
        return index << MTTY_VFIO_PCI_OFFSET_SHIFT;
    }

    /** {@code pos & MTTY_VFIO_PCI_OFFSET_MASK}. */
    @Models("samples/vfio-mdev/mtty.c:MTTY_VFIO_PCI_OFFSET_MASK")
    public static long offsetInRegion(long off) {
        return off & ((1L << MTTY_VFIO_PCI_OFFSET_SHIFT) - 1);
    }
}
