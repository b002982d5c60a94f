package vfiowb.step4.drivers.mdpy;

import vfiowb.common.Models;
import vfiowb.common.mm.Arch;

/**
 * samples/vfio-mdev/mdpy.c's packed layout: config space at file offset 0, the framebuffer
 * (BAR0, and the display region 16, which reports the same offset) at
 * {@code MDPY_MEMORY_BAR_OFFSET} = {@code PAGE_SIZE}. No index is encoded in the offset at all.
 */
@Models("samples/vfio-mdev/mdpy.c:MDPY_MEMORY_BAR_OFFSET")
public final class MdpyOffsets {
    private MdpyOffsets() {}

    /** {@code MDPY_MEMORY_BAR_OFFSET}: one page, so 64 KiB with 64 KiB pages. */
    @Models("samples/vfio-mdev/mdpy.c:MDPY_MEMORY_BAR_OFFSET")
    public static long memoryBarOffset(Arch arch) {
        return arch.pageSize();
    }

    /** {@code MDPY_MEMORY_BAR_OFFSET >> PAGE_SHIFT}: the only {@code vm_pgoff} mmap accepts. */
    @Models("samples/vfio-mdev/mdpy.c:mdpy_mmap")
    public static long memoryBarPgoff(Arch arch) {
        return memoryBarOffset(arch) >>> arch.pageShift();
    }
}
