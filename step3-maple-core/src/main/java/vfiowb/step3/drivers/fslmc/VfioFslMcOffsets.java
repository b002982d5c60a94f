package vfiowb.step3.drivers.fslmc;

import vfiowb.common.Models;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.VmArea;

/**
 * The region layout of drivers/vfio/fsl-mc/vfio_fsl_mc_private.h: region {@code index} at file
 * offset {@code index << 40} ({@code VFIO_FSL_MC_OFFSET_SHIFT}), fsl-mc's own copy of the
 * vfio-pci scheme.
 */
@Models("drivers/vfio/fsl-mc/vfio_fsl_mc_private.h:VFIO_FSL_MC_OFFSET_SHIFT")
public final class VfioFslMcOffsets {
    private static final int VFIO_FSL_MC_OFFSET_SHIFT = 40;

    private VfioFslMcOffsets() {}

    /** {@code VFIO_FSL_MC_OFFSET_TO_INDEX(off)}. */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc_private.h:VFIO_FSL_MC_OFFSET_TO_INDEX")
    public static long offsetToIndex(long off) {
        return off >>> VFIO_FSL_MC_OFFSET_SHIFT;
    }

    /** {@code VFIO_FSL_MC_INDEX_TO_OFFSET(index)}. */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc_private.h:VFIO_FSL_MC_INDEX_TO_OFFSET")
    public static long indexToOffset(long index) {
        return index << VFIO_FSL_MC_OFFSET_SHIFT;
    }

    /** {@code off & VFIO_FSL_MC_OFFSET_MASK}. */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc_private.h:VFIO_FSL_MC_OFFSET_MASK")
    public static long offsetInRegion(long off) {
        return off & ((1L << VFIO_FSL_MC_OFFSET_SHIFT) - 1);
    }

    /** {@code vma->vm_pgoff >> (VFIO_FSL_MC_OFFSET_SHIFT - PAGE_SHIFT)}. */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_mmap")
    public static long vmaIndex(VmArea vma, Arch arch) {
        return vma.vmPgoff() >>> (VFIO_FSL_MC_OFFSET_SHIFT - arch.pageShift());
    }

    /** {@code vma->vm_pgoff & ((1U << (VFIO_FSL_MC_OFFSET_SHIFT - PAGE_SHIFT)) - 1)}. */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_mmap_mmio")
    public static long vmaPageOffset(VmArea vma, Arch arch) {
        return vma.vmPgoff() & ((1L << (VFIO_FSL_MC_OFFSET_SHIFT - arch.pageShift())) - 1);
    }
}
