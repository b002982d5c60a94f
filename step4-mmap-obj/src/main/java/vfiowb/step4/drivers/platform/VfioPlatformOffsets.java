package vfiowb.step4.drivers.platform;

import vfiowb.common.Models;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.VmArea;

/**
 * The region layout of drivers/vfio/platform/vfio_platform_private.h, shared by vfio-platform
 * and vfio-amba: region {@code index} at file offset {@code index << 40}
 * ({@code VFIO_PLATFORM_OFFSET_SHIFT}), the same shape as vfio-pci's but a separate copy.
 *
 * <p>Operations, not constants, so that architecture rules see every use.
 */
@Models("drivers/vfio/platform/vfio_platform_private.h:VFIO_PLATFORM_OFFSET_SHIFT")
public final class VfioPlatformOffsets {
    private static final int VFIO_PLATFORM_OFFSET_SHIFT = 40;

    private VfioPlatformOffsets() {}

    /** {@code VFIO_PLATFORM_OFFSET_TO_INDEX(off)}. */
    @Models("drivers/vfio/platform/vfio_platform_private.h:VFIO_PLATFORM_OFFSET_TO_INDEX")
    public static long offsetToIndex(long off) {
        return off >>> VFIO_PLATFORM_OFFSET_SHIFT;
    }

    /** {@code VFIO_PLATFORM_INDEX_TO_OFFSET(index)}. */
    @Models("drivers/vfio/platform/vfio_platform_private.h:VFIO_PLATFORM_INDEX_TO_OFFSET")
    public static long indexToOffset(long index) {
        return index << VFIO_PLATFORM_OFFSET_SHIFT;
    }

    /** {@code off & VFIO_PLATFORM_OFFSET_MASK}. */
    @Models("drivers/vfio/platform/vfio_platform_private.h:VFIO_PLATFORM_OFFSET_MASK")
    public static long offsetInRegion(long off) {
        return off & ((1L << VFIO_PLATFORM_OFFSET_SHIFT) - 1);
    }

    /** {@code vma->vm_pgoff >> (VFIO_PLATFORM_OFFSET_SHIFT - PAGE_SHIFT)}. */
    @Models("drivers/vfio/platform/vfio_platform_common.c:vfio_platform_mmap")
    public static long vmaIndex(VmArea vma, Arch arch) {
        return vma.vmPgoff() >>> (VFIO_PLATFORM_OFFSET_SHIFT - arch.pageShift());
    }

    /** {@code vma->vm_pgoff & ((1U << (VFIO_PLATFORM_OFFSET_SHIFT - PAGE_SHIFT)) - 1)}. */
    @Models("drivers/vfio/platform/vfio_platform_common.c:vfio_platform_mmap_mmio")
    public static long vmaPageOffset(VmArea vma, Arch arch) {
        return vma.vmPgoff() & ((1L << (VFIO_PLATFORM_OFFSET_SHIFT - arch.pageShift())) - 1);
    }
}
