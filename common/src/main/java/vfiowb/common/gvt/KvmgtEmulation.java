package vfiowb.common.gvt;

import static vfiowb.common.errno.Errno.EINVAL;

import vfiowb.common.Models;
import vfiowb.common.hw.KvmgtVgpu;

/**
 * The part of drivers/gpu/drm/i915/gvt/kvmgt.c below {@code intel_vgpu_rw} that the series
 * never touches: BAR0 handed to GVT's MMIO emulation ({@link Mmio}) and BAR2 served from the
 * vGPU's slice of the host aperture. kvmgt.c's VFIO side (the ops table, REGION_INFO, the
 * read, write and mmap dispatch), which the series converts, stays in each stage's
 * {@code Kvmgt}; the class is not named after the file so as not to share that name.
 */
@Models("drivers/gpu/drm/i915/gvt/kvmgt.c")
public final class KvmgtEmulation {
    private KvmgtEmulation() {}

    /**
     * {@code intel_vgpu_bar_rw}: BAR0's guest address plus {@code off}, which
     * {@code intel_vgpu_gpa_to_mmio_offset} takes away again into an {@code int}, so the
     * emulation sees {@code off} truncated to 32 bits.
     */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_bar_rw")
    public static int intelVgpuBarRw(GvtVgpu vgpu, long off, byte[] buf, int count,
            boolean isWrite) {
        long offset = off & 0xFFFF_FFFFL;
        return isWrite ? Mmio.intelVgpuEmulateMmioWrite(vgpu, offset, buf, count)
                : Mmio.intelVgpuEmulateMmioRead(vgpu, offset, buf, count);
    }

    /** {@code intel_vgpu_in_aperture}: inside this vGPU's slice of the host aperture. */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_in_aperture")
    public static boolean intelVgpuInAperture(GvtVgpu vgpu, long off) {
        KvmgtVgpu hw = vgpu.hw();
        return off >= hw.apertureSliceOffset()
                && off < hw.apertureSliceOffset() + hw.apertureSliceSize();
    }

    /**
     * {@code intel_vgpu_aperture_rw}: both {@code off} and {@code off + count} must be inside
     * the slice, so the slice's last bytes cannot be reached (-EINVAL); then a WC mapping of the
     * host aperture.
     */
    @Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_aperture_rw")
    public static int intelVgpuApertureRw(GvtVgpu vgpu, long off, byte[] buf, int count,
            boolean isWrite) {
        if (!intelVgpuInAperture(vgpu, off) || !intelVgpuInAperture(vgpu, off + count)) {
            return -EINVAL;
        }
        if (isWrite) {
            vgpu.hw().aperture().writeBytes(off, buf, 0, count);
        } else {
            vgpu.hw().aperture().readBytes(off, buf, 0, count);
        }
        return 0;
    }
}
