package vfiowb.common.gvt;

import vfiowb.common.Models;
import vfiowb.common.NotModelledException;

/**
 * drivers/gpu/drm/i915/gvt/opregion.c: the two OpRegion registers of the virtual config space,
 * SWSCI (a software SCI request) and ASLS (the guest's OpRegion address).
 */
@Models("drivers/gpu/drm/i915/gvt/opregion.c")
public final class Opregion {
    /** {@code INTEL_GVT_OPREGION_SCIC} (gvt/reg.h): the SCIC word in the OpRegion. */
    private static final long INTEL_GVT_OPREGION_SCIC = 0x200;

    private Opregion() {}

    /**
     * {@code intel_vgpu_emulate_opregion_request} (opregion.c): first reads the guest's SCIC
     * word at {@code gfn[0] << PAGE_SHIFT + INTEL_GVT_OPREGION_SCIC} through
     * {@link Gvt#intelGvtReadGpa}, returning its error. The model has no guest memory behind the
     * vGPU, so that read always fails and the SCIC/PARM handshake after it is never reached.
     */
    @Models("drivers/gpu/drm/i915/gvt/opregion.c:intel_vgpu_emulate_opregion_request")
    static int intelVgpuEmulateOpregionRequest(GvtVgpu vgpu, long swsci) {
        long scicPa = (vgpu.opregionGfn() << vgpu.arch().pageShift()) + INTEL_GVT_OPREGION_SCIC;
        int ret = Gvt.intelGvtReadGpa(vgpu, scicPa, 4);
        if (ret == 0) {
            throw new NotModelledException("the OpRegion SCIC/PARM handshake (swsci 0x"
                    + Long.toHexString(swsci) + ")");
        }
        return ret;
    }

    /**
     * {@code intel_vgpu_opregion_base_write_handler} (opregion.c): the guest's OpRegion pages
     * start at the written address; always 0.
     */
    @Models("drivers/gpu/drm/i915/gvt/opregion.c:intel_vgpu_opregion_base_write_handler")
    static int intelVgpuOpregionBaseWriteHandler(GvtVgpu vgpu, long gpa) {
        vgpu.setOpregionGfn(gpa >>> vgpu.arch().pageShift());
        return 0;
    }
}
