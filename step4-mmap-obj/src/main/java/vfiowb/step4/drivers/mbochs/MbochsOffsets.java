package vfiowb.step4.drivers.mbochs;

import vfiowb.common.Models;
import vfiowb.common.mm.Arch;

/**
 * samples/vfio-mdev/mbochs.c's packed layout, in pages: config space at 0, the MMIO BAR2 at one
 * page (one page long), the EDID region at two pages (one page), video memory (BAR0) from three
 * pages. Every offset scales with {@code PAGE_SIZE}.
 */
@Models("samples/vfio-mdev/mbochs.c:MBOCHS_MEMORY_BAR_OFFSET")
public final class MbochsOffsets {
    private MbochsOffsets() {}

    /** {@code MBOCHS_MMIO_BAR_OFFSET}: {@code PAGE_SIZE}. */
    @Models("samples/vfio-mdev/mbochs.c:MBOCHS_MMIO_BAR_OFFSET")
    public static long mmioBarOffset(Arch arch) {
        return arch.pageSize();
    }

    /** {@code MBOCHS_MMIO_BAR_SIZE}: {@code PAGE_SIZE}. */
    @Models("samples/vfio-mdev/mbochs.c:MBOCHS_MMIO_BAR_SIZE")
    public static long mmioBarSize(Arch arch) {
        return arch.pageSize();
    }

    /** {@code MBOCHS_EDID_OFFSET}: right after the MMIO BAR. */
    @Models("samples/vfio-mdev/mbochs.c:MBOCHS_EDID_OFFSET")
    public static long edidOffset(Arch arch) {
        return mmioBarOffset(arch) + mmioBarSize(arch);
    }

    /** {@code MBOCHS_EDID_SIZE}: {@code PAGE_SIZE}. */
    @Models("samples/vfio-mdev/mbochs.c:MBOCHS_EDID_SIZE")
    public static long edidSize(Arch arch) {
        return arch.pageSize();
    }

    /** {@code MBOCHS_EDID_BLOB_OFFSET}: the second half of the EDID region. */
    @Models("samples/vfio-mdev/mbochs.c:MBOCHS_EDID_BLOB_OFFSET")
    public static long edidBlobOffset(Arch arch) {
        return edidSize(arch) / 2;
    }

    /** {@code MBOCHS_MEMORY_BAR_OFFSET}: right after the EDID region. */
    @Models("samples/vfio-mdev/mbochs.c:MBOCHS_MEMORY_BAR_OFFSET")
    public static long memoryBarOffset(Arch arch) {
        return edidOffset(arch) + edidSize(arch);
    }

    /** {@code MBOCHS_MEMORY_BAR_OFFSET >> PAGE_SHIFT}: the only {@code vm_pgoff} mmap accepts. */
    @Models("samples/vfio-mdev/mbochs.c:mbochs_mmap")
    public static long memoryBarPgoff(Arch arch) {
        return memoryBarOffset(arch) >>> arch.pageShift();
    }
}
