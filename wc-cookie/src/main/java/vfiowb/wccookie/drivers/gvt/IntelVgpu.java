package vfiowb.wccookie.drivers.gvt;

import java.util.ArrayList;
import java.util.List;
import vfiowb.common.Models;
import vfiowb.common.gvt.GvtVgpu;
import vfiowb.common.hw.KvmgtVgpu;
import vfiowb.common.mm.Arch;
import vfiowb.wccookie.core.VfioDevice;
import vfiowb.wccookie.core.VfioDeviceOps;

/**
 * {@code struct intel_vgpu} as kvmgt sees it: the vGPU's aperture slice, whether it is
 * attached to a guest, the device-specific regions ({@code vgpu->region},
 * {@code struct vfio_region}) GVT registers when the vGPU is created: the OpRegion (index 9)
 * and the EDID of port D (index 10); and GVT's own state ({@link GvtVgpu}: the config space,
 * the virtual MMIO registers, the OpRegion address), the same at every stage.
 */
@Models("drivers/gpu/drm/i915/gvt/gvt.h:struct intel_vgpu")
public final class IntelVgpu extends VfioDevice {
    /** {@code struct intel_vgpu_regops}. */
    interface RegOps {
        /**
         * {@code rw}: {@code count} bytes at {@code off} inside {@code region} (this series
         * passes the region and the offset the core resolved, not {@code ppos}).
         */
        long rw(IntelVgpu vgpu, Region region, byte[] buf, int count, long off, boolean iswrite);

        default void release(IntelVgpu vgpu, Region region) {
        }
    }

    /** {@code struct vfio_region}: a device-specific region. */
    record Region(long type, long subtype, RegOps ops, long size, long flags, Object data) {}

    /** {@code struct vfio_edid_region}: the GFX_EDID register block and the blob. */
    static final class EdidRegion {
        long edidOffset;
        long edidMaxSize;
        long edidSize;
        long maxXres;
        long maxYres;
        long linkState;
        byte[] edidBlob;
    }

    private final KvmgtVgpu hw;
    /** GVT's side of the vGPU: config space, MMIO registers, OpRegion address, resets. */
    private final GvtVgpu gvt;
    final List<Region> region = new ArrayList<>();
    boolean attached;

    IntelVgpu(VfioDeviceOps ops, KvmgtVgpu hw, Arch arch) {
        super(ops, hw, arch);
        this.hw = hw;
        this.gvt = new GvtVgpu(hw, arch, () -> attached);
    }

    KvmgtVgpu hw() {
        return hw;
    }

    /** The state GVT's emulation ({@code vfiowb.common.gvt}) works on. */
    GvtVgpu gvt() {
        return gvt;
    }

    /** {@code vgpu->num_regions}. */
    int numRegions() {
        return region.size();
    }

    /** How often the vGPU was reset ({@code intel_gvt_reset_vgpu}). */
    public long resetCount() {
        return gvt.resetCount();
    }
}
