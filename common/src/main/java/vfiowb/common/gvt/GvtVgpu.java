package vfiowb.common.gvt;

import java.util.function.BooleanSupplier;
import vfiowb.common.Models;
import vfiowb.common.hw.KvmgtVgpu;
import vfiowb.common.hw.SparseMemory;
import vfiowb.common.mm.Arch;

/**
 * {@code struct intel_vgpu} as GVT's emulation sees it (gvt.h), the part every stage of the
 * series shares: the 4 KiB {@code cfg_space.virtual_cfg_space}, the virtual MMIO registers
 * ({@code vgpu->mmio.vreg}, here plain storage for BAR0), the guest's OpRegion address
 * ({@code vgpu->opregion.gfn[0]}) and the resets done. Each stage's {@code IntelVgpu}, the
 * {@code struct vfio_device} side kvmgt.c sees, holds one; {@code vgpu->attached} stays there,
 * since kvmgt's open and close set it, and is read here through {@link #attached()}.
 */
@Models("drivers/gpu/drm/i915/gvt/gvt.h:struct intel_vgpu")
public final class GvtVgpu {
    private final KvmgtVgpu hw;
    private final Arch arch;
    private final BooleanSupplier attached;
    private final SparseMemory vreg;
    /** {@code virtual_cfg_space} past the device model's 256 bytes, zero until written. */
    private final byte[] cfgExt;
    /** {@code vgpu_opregion(vgpu)->gfn[0]}: set by a write of the OpRegion base (0xfc). */
    private long opregionGfn;
    private long resets;

    /**
     * The emulation state of a vGPU on {@code hw}; {@code attached} answers whether kvmgt has
     * attached it to a guest ({@code vgpu->attached}).
     */
    public GvtVgpu(KvmgtVgpu hw, Arch arch, BooleanSupplier attached) {
        this.hw = hw;
        this.arch = arch;
        this.attached = attached;
        this.vreg = new SparseMemory(hw.mmioBarSize());
        this.cfgExt = new byte[CfgSpace.CFG_SPACE_SIZE - hw.config().size()];
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

    /** The device model behind the vGPU. */
    public KvmgtVgpu hw() {
        return hw;
    }

    /** The architecture the vGPU's host runs on. */
    public Arch arch() {
        return arch;
    }

    /** {@code vgpu->attached}: kvmgt has attached the vGPU to a guest. */
    boolean attached() {
        return attached.getAsBoolean();
    }

    /** The emulated GTTMMADR contents: MMIO registers and the GGTT. */
    SparseMemory vreg() {
        return vreg;
    }

    synchronized long opregionGfn() {
        return opregionGfn;
    }

    synchronized void setOpregionGfn(long gfn) {
        opregionGfn = gfn;
    }

    synchronized void countReset() {
        resets++;
    }

    /** How often the vGPU was reset ({@code intel_gvt_reset_vgpu}). */
    public synchronized long resetCount() {
        return resets;
    }
}
