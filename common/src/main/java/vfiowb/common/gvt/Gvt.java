package vfiowb.common.gvt;

import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.errno.Errno.ESRCH;

import vfiowb.common.Models;

/**
 * drivers/gpu/drm/i915/gvt/gvt.h: the inline helpers GVT's emulation calls, writing a BAR of
 * the virtual config space and reading guest memory.
 */
@Models("drivers/gpu/drm/i915/gvt/gvt.h")
public final class Gvt {
    private Gvt() {}

    /**
     * {@code intel_vgpu_write_pci_bar} (gvt.h): the dword at {@code rounddown(offset, 4)}; for
     * the low dword of a BAR only bits 31:4, the type bits kept.
     */
    @Models("drivers/gpu/drm/i915/gvt/gvt.h:intel_vgpu_write_pci_bar")
    static void intelVgpuWritePciBar(GvtVgpu vgpu, int offset, long val, boolean low) {
        int reg = offset & ~3;
        long v = val & 0xFFFF_FFFFL;
        if (low) {
            v = (v & 0xFFFF_FFF0L) | (vgpu.cfgByte(reg) & 0xF);
        }
        for (int i = 0; i < 4; i++) {
            vgpu.setCfgByte(reg + i, (int) (v >>> (8 * i)));
        }
    }

    /**
     * {@code intel_gvt_read_gpa} / {@code intel_gvt_write_gpa} (gvt.h): -ESRCH unless the vGPU
     * is attached, else {@code vfio_dma_rw} of guest memory through the device's IOMMU
     * mappings. The model maps no IOVA for any device (there is no VFIO_IOMMU_MAP_DMA), so the
     * type1 container finds no {@code vfio_dma} there: -EINVAL.
     */
    @Models({"drivers/gpu/drm/i915/gvt/gvt.h:intel_gvt_read_gpa",
            "drivers/vfio/vfio_main.c:vfio_dma_rw"})
    static int intelGvtReadGpa(GvtVgpu vgpu, long gpa, int len) {
        if (!vgpu.attached()) {
            return -ESRCH;
        }
        return -EINVAL;
    }
}
