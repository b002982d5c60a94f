package vfiowb.wcalias.drivers.gvt;

import java.util.ArrayList;
import java.util.List;
import vfiowb.common.Models;
import vfiowb.common.hw.KvmgtVgpu;
import vfiowb.common.hw.SparseMemory;
import vfiowb.common.mm.Arch;
import vfiowb.wcalias.core.VfioDevice;
import vfiowb.wcalias.core.VfioDeviceOps;

/**
 * {@code struct intel_vgpu} as kvmgt sees it: the vGPU's aperture slice, its virtual MMIO
 * registers ({@code vgpu->mmio.vreg}, here plain storage for BAR0), and the device-specific
 * regions ({@code vgpu->region}, {@code struct vfio_region}) GVT registers when the vGPU is
 * created: the OpRegion (index 9) and the EDID of port D (index 10).
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
    private final SparseMemory vreg;
    /** {@code virtual_cfg_space} past the device model's 256 bytes, zero until written. */
    private final byte[] cfgExt;
    final List<Region> region = new ArrayList<>();
    boolean attached;
    /** {@code vgpu_opregion(vgpu)->gfn[0]}: set by a write of the OpRegion base (0xfc). */
    long opregionGfn;
    private long resets;

    IntelVgpu(VfioDeviceOps ops, KvmgtVgpu hw, Arch arch) {
        super(ops, hw, arch);
        this.hw = hw;
        this.vreg = new SparseMemory(hw.mmioBarSize());
        this.cfgExt = new byte[Kvmgt.CFG_SPACE_SIZE - hw.config().size()];
    }

    /**
     * Byte {@code off} of {@code vgpu_cfg_space(vgpu)}, the vGPU's 4 KiB
     * {@code virtual_cfg_space}: the device model's config image below its size, then the
     * driver's own bytes.
     */
    synchronized int cfgByte(int off) {
        int model = hw.config().size();
        return off < model ? (int) hw.config().read(off, 1) : cfgExt[off - model] & 0xFF;
    }

    /** Stores byte {@code off} of {@code virtual_cfg_space} as it is, no writable mask applied. */
    synchronized void setCfgByte(int off, int value) {
        int model = hw.config().size();
        if (off < model) {
            hw.config().set(off, 1, value & 0xFF);
        } else {
            cfgExt[off - model] = (byte) value;
        }
    }

    KvmgtVgpu hw() {
        return hw;
    }

    /** The emulated GTTMMADR contents: MMIO registers and the GGTT. */
    SparseMemory vreg() {
        return vreg;
    }

    /** {@code vgpu->num_regions}. */
    int numRegions() {
        return region.size();
    }

    synchronized void countReset() {
        resets++;
    }

    /** How often the vGPU was reset ({@code intel_gvt_reset_vgpu}). */
    public synchronized long resetCount() {
        return resets;
    }
}
