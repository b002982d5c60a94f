package vfiowb.common.gvt;

import vfiowb.common.Models;

/** drivers/gpu/drm/i915/gvt/vgpu.c: the vGPU's device-model reset. */
@Models("drivers/gpu/drm/i915/gvt/vgpu.c")
public final class Vgpu {
    private Vgpu() {}

    /**
     * {@code intel_gvt_reset_vgpu}: {@code intel_gvt_reset_vgpu_locked(vgpu, true, 0)}, a device
     * model level reset: the GGTT and the MMIO registers back to their initial (zero) state
     * ({@code intel_vgpu_reset_ggtt}, {@code intel_vgpu_reset_mmio}), then the config space
     * ({@code intel_vgpu_reset_cfg_space}).
     */
    @Models({"drivers/gpu/drm/i915/gvt/vgpu.c:intel_gvt_reset_vgpu",
            "drivers/gpu/drm/i915/gvt/vgpu.c:intel_gvt_reset_vgpu_locked"})
    public static void intelGvtResetVgpu(GvtVgpu vgpu) {
        vgpu.vreg().clear();
        CfgSpace.intelVgpuResetCfgSpace(vgpu);
        vgpu.countReset();
    }
}
