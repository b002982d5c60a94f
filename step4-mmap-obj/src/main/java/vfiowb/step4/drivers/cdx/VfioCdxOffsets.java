package vfiowb.step4.drivers.cdx;

import vfiowb.common.Models;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.VmArea;

/**
 * The region layout of drivers/vfio/cdx/private.h: {@code VFIO_CDX_OFFSET_SHIFT} 40 and the
 * inline {@code vfio_cdx_index_to_offset()}. vfio-cdx has no read/write, so only region info
 * and mmap use it.
 */
@Models("drivers/vfio/cdx/private.h:VFIO_CDX_OFFSET_SHIFT")
public final class VfioCdxOffsets {
    private static final int VFIO_CDX_OFFSET_SHIFT = 40;

    private VfioCdxOffsets() {}

    /** {@code vfio_cdx_index_to_offset(u32 index)}. */
    @Models("drivers/vfio/cdx/private.h:vfio_cdx_index_to_offset")
    public static long indexToOffset(long index) {
        return index << VFIO_CDX_OFFSET_SHIFT;
    }

    /** {@code vma->vm_pgoff >> (VFIO_CDX_OFFSET_SHIFT - PAGE_SHIFT)}. */
    @Models("drivers/vfio/cdx/main.c:vfio_cdx_mmap")
    public static long vmaIndex(VmArea vma, Arch arch) {
        return vma.vmPgoff() >>> (VFIO_CDX_OFFSET_SHIFT - arch.pageShift());
    }

    /** {@code vma->vm_pgoff & ((1U << (VFIO_CDX_OFFSET_SHIFT - PAGE_SHIFT)) - 1)}. */
    @Models("drivers/vfio/cdx/main.c:vfio_cdx_mmap_mmio")
    public static long vmaPageOffset(VmArea vma, Arch arch) {
        return vma.vmPgoff() & ((1L << (VFIO_CDX_OFFSET_SHIFT - arch.pageShift())) - 1);
    }
}
