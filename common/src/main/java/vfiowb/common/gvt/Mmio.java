package vfiowb.common.gvt;

import static vfiowb.common.errno.Errno.EINVAL;

import vfiowb.common.Models;

/**
 * drivers/gpu/drm/i915/gvt/mmio.c (with the GGTT access checks of gtt.c): GVT's emulation of
 * BAR0, the vGPU's GTTMMADR, reduced to storage in {@code vgpu->mmio.vreg}: the first 2 MiB
 * are the MMIO registers (GVT's MMIO size), from 8 MiB to the end of the BAR the GGTT, without
 * any register handler.
 */
@Models("drivers/gpu/drm/i915/gvt/mmio.c")
public final class Mmio {
    /** {@code device_info.mmio_size}: 2 MiB of MMIO registers at the start of BAR0. */
    private static final long MMIO_SIZE = 2L << 20;
    /** {@code device_info.gtt_start_offset}: the GGTT from 8 MiB into BAR0. */
    private static final long GTT_START_OFFSET = 8L << 20;

    private Mmio() {}

    /** {@code reg_is_mmio} (mmio.c): below {@code device_info.mmio_size}. */
    private static boolean regIsMmio(long reg) {
        return reg >= 0 && reg < MMIO_SIZE;
    }

    /** {@code reg_is_gtt} (mmio.c): inside the GGTT, from 8 MiB to the end of BAR0. */
    private static boolean regIsGtt(GvtVgpu vgpu, long reg) {
        return reg >= GTT_START_OFFSET && reg < vgpu.hw().mmioBarSize();
    }

    /**
     * {@code intel_vgpu_emulate_mmio_read}: a GGTT access must be 4-byte aligned, 4 or 8 bytes
     * wide and end inside the GGTT ({@code intel_vgpu_emulate_ggtt_mmio_read} and
     * {@code emulate_ggtt_mmio_read} check the width again); outside MMIO and GGTT the address
     * is guest memory ({@code drm_WARN_ON_ONCE}, {@link Gvt#intelGvtReadGpa}); an MMIO access must
     * end inside MMIO and be naturally aligned. Each refusal is a {@code drm_WARN_ON} and
     * -EINVAL. The registers are storage: no handler runs, every register is taken to be
     * without {@code F_UNALIGN}, and a GGTT entry outside the vGPU's graphics memory reads as
     * stored (the kernel reads 0 there).
     */
    @Models({"drivers/gpu/drm/i915/gvt/mmio.c:intel_vgpu_emulate_mmio_read",
            "drivers/gpu/drm/i915/gvt/gtt.c:intel_vgpu_emulate_ggtt_mmio_read"})
    static int intelVgpuEmulateMmioRead(GvtVgpu vgpu, long offset, byte[] buf, int bytes) {
        if (bytes > 8) {
            return -EINVAL;
        }
        if (regIsGtt(vgpu, offset)) {
            if (offset % 4 != 0 || (bytes != 4 && bytes != 8) || !regIsGtt(vgpu, offset + bytes - 1)) {
                return -EINVAL;
            }
            vgpu.vreg().readBytes(offset, buf, 0, bytes);
            return 0;
        }
        if (!regIsMmio(offset)) {
            return Gvt.intelGvtReadGpa(vgpu, offset, bytes);
        }
        if (!regIsMmio(offset + bytes - 1) || offset % bytes != 0) {
            return -EINVAL;
        }
        vgpu.vreg().readBytes(offset, buf, 0, bytes);
        return 0;
    }

    /**
     * {@code intel_vgpu_emulate_mmio_write}: the GGTT checks of the read side
     * ({@code intel_vgpu_emulate_ggtt_mmio_write}, {@code emulate_ggtt_mmio_write}); guest
     * memory outside MMIO and GGTT ({@code intel_gvt_write_gpa}); an MMIO write is not checked
     * further. Storage as on the read side (a GGTT entry outside the vGPU's graphics memory
     * is stored, where the kernel drops it).
     */
    @Models({"drivers/gpu/drm/i915/gvt/mmio.c:intel_vgpu_emulate_mmio_write",
            "drivers/gpu/drm/i915/gvt/gtt.c:intel_vgpu_emulate_ggtt_mmio_write"})
    static int intelVgpuEmulateMmioWrite(GvtVgpu vgpu, long offset, byte[] buf, int bytes) {
        if (bytes > 8) {
            return -EINVAL;
        }
        if (regIsGtt(vgpu, offset)) {
            if (offset % 4 != 0 || (bytes != 4 && bytes != 8) || !regIsGtt(vgpu, offset + bytes - 1)) {
                return -EINVAL;
            }
            vgpu.vreg().writeBytes(offset, buf, 0, bytes);
            return 0;
        }
        if (!regIsMmio(offset)) {
            return Gvt.intelGvtReadGpa(vgpu, offset, bytes);
        }
        vgpu.vreg().writeBytes(offset, buf, 0, bytes);
        return 0;
    }
}
