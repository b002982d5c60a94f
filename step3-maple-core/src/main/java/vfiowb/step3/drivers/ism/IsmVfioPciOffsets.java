package vfiowb.step3.drivers.ism;

import vfiowb.common.Models;

/**
 * The ISM driver's private region layout (drivers/vfio/pci/ism/main.c, v7.1): region
 * {@code index} at file offset {@code index << 48}, so one region may be 256 TiB - ISM's BAR0
 * is that large, and the 40-bit vfio-pci layout (1 TiB per region) cannot address it.
 *
 * <p>Operations rather than constants, so that rules can see every use.
 */
@Models("drivers/vfio/pci/ism/main.c:ISM_VFIO_PCI_OFFSET_SHIFT")
public final class IsmVfioPciOffsets {
    private static final int ISM_VFIO_PCI_OFFSET_SHIFT = 48;

    private IsmVfioPciOffsets() {}

    /** {@code ISM_VFIO_PCI_OFFSET_TO_INDEX(off)}: {@code off >> 48}. */
    @Models("drivers/vfio/pci/ism/main.c:ISM_VFIO_PCI_OFFSET_TO_INDEX")
    public static long offsetToIndex(long off) {
        return off >>> ISM_VFIO_PCI_OFFSET_SHIFT;
    }

    /** {@code ISM_VFIO_PCI_INDEX_TO_OFFSET(index)}: {@code (u64)index << 48}. */
    @Models("drivers/vfio/pci/ism/main.c:ISM_VFIO_PCI_INDEX_TO_OFFSET")
    public static long indexToOffset(long index) {
        return index << ISM_VFIO_PCI_OFFSET_SHIFT;
    }

    /** {@code off & ISM_VFIO_PCI_OFFSET_MASK}: the position inside the region. */
    @Models("drivers/vfio/pci/ism/main.c:ISM_VFIO_PCI_OFFSET_MASK")
    public static long offsetInRegion(long off) {
        return off & ((1L << ISM_VFIO_PCI_OFFSET_SHIFT) - 1);
    }

    /** The largest region the layout can address: 256 TiB. */
    public static long regionSpan() {
        return 1L << ISM_VFIO_PCI_OFFSET_SHIFT;
    }
}
