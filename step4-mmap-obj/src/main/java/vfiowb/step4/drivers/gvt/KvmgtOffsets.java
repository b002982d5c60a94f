package vfiowb.step4.drivers.gvt;

import vfiowb.common.Models;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.VmArea;

/**
 * The "helper macros copied from vfio-pci" at the top of drivers/gpu/drm/i915/gvt/kvmgt.c:
 * kvmgt's own copy of the 40-bit {@code VFIO_PCI_*} layout, region {@code index} at
 * {@code index << 40}.
 */
@Models("drivers/gpu/drm/i915/gvt/kvmgt.c:VFIO_PCI_OFFSET_SHIFT")
public final class KvmgtOffsets {
    private static final int VFIO_PCI_OFFSET_SHIFT = 40;

    private KvmgtOffsets() {}

    /** {@code unsigned int index = VFIO_PCI_OFFSET_TO_INDEX(off)}. */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:VFIO_PCI_OFFSET_TO_INDEX")
    public static long offsetToIndex(long off) {
        return (off >>> VFIO_PCI_OFFSET_SHIFT) & 0xFFFF_FFFFL;
    }

    /** {@code VFIO_PCI_INDEX_TO_OFFSET(index)}. */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:VFIO_PCI_INDEX_TO_OFFSET")
    public static long indexToOffset(long index) {
        return index << VFIO_PCI_OFFSET_SHIFT;
    }

    /** {@code off & VFIO_PCI_OFFSET_MASK}. */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:VFIO_PCI_OFFSET_MASK")
    public static long offsetInRegion(long off) {
        return off & ((1L << VFIO_PCI_OFFSET_SHIFT) - 1);
    }

    /** {@code vma->vm_pgoff >> (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT)}. */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_mmap")
    public static long vmaIndex(VmArea vma, Arch arch) {
        return vma.vmPgoff() >>> (VFIO_PCI_OFFSET_SHIFT - arch.pageShift());
    }

    /** {@code vma->vm_pgoff & ((1U << (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT)) - 1)}. */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_mmap")
    public static long vmaPageOffset(VmArea vma, Arch arch) {
        return vma.vmPgoff() & ((1L << (VFIO_PCI_OFFSET_SHIFT - arch.pageShift())) - 1);
    }
}
