package vfiowb.step3.pci;

import vfiowb.common.Models;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.VmArea;

/**
 * The fixed region layout of include/linux/vfio_pci_core.h: region {@code index} lives at file
 * offset {@code index << 40}, so a region is at most 1 TiB.
 *
 * <p>Exposed as operations, never as constants, so that architecture rules can see every use
 * (javac inlines {@code static final} primitives and ArchUnit then sees nothing).
 */
@Models("include/linux/vfio_pci_core.h:VFIO_PCI_OFFSET_SHIFT")
public final class VfioPciOffsets {
    private static final int VFIO_PCI_OFFSET_SHIFT = 40;

    private VfioPciOffsets() {}

    /** {@code VFIO_PCI_OFFSET_TO_INDEX(off)}: {@code off >> 40}, unsigned. */
    @Models("include/linux/vfio_pci_core.h:VFIO_PCI_OFFSET_TO_INDEX")
    public static long offsetToIndex(long off) {
        return off >>> VFIO_PCI_OFFSET_SHIFT;
    }

    /** {@code VFIO_PCI_INDEX_TO_OFFSET(index)}: {@code (u64)index << 40}. */
    @Models("include/linux/vfio_pci_core.h:VFIO_PCI_INDEX_TO_OFFSET")
    public static long indexToOffset(long index) {
        return index << VFIO_PCI_OFFSET_SHIFT;
    }

    /** {@code off & VFIO_PCI_OFFSET_MASK}: the position inside the region. */
    @Models("include/linux/vfio_pci_core.h:VFIO_PCI_OFFSET_MASK")
    public static long offsetInRegion(long off) {
        return off & ((1L << VFIO_PCI_OFFSET_SHIFT) - 1);
    }

    /**
     * The region index a VMA's pgoff selects:
     * {@code vma->vm_pgoff >> (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT)}.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_mmap")
    public static long vmaIndex(VmArea vma, Arch arch) {
        return vma.vmPgoff() >>> (VFIO_PCI_OFFSET_SHIFT - arch.pageShift());
    }

    /**
     * The page offset inside the region a VMA's pgoff selects:
     * {@code vma->vm_pgoff & ((1U << (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT)) - 1)}.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_mmap")
    public static long vmaPageOffset(VmArea vma, Arch arch) {
        return vma.vmPgoff() & ((1L << (VFIO_PCI_OFFSET_SHIFT - arch.pageShift())) - 1);
    }

    /** The largest region the layout can address: 1 TiB. */
    public static long regionSpan() {
        return 1L << VFIO_PCI_OFFSET_SHIFT;
    }
}
