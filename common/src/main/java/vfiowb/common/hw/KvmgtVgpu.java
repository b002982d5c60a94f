package vfiowb.common.hw;

import vfiowb.common.Models;
import vfiowb.common.hw.PciConfigSpace.CapabilityId;
import vfiowb.common.hw.PciConfigSpace.Command;
import vfiowb.common.hw.PciConfigSpace.Register;

/**
 * An Intel GVT-g virtual GPU (type {@code i915-GVTg_V5_8}): a slice of the host IGD's graphics
 * aperture (GMADR), which kvmgt maps straight into the guest, plus emulated MMIO, a virtual
 * OpRegion and an EDID. kvmgt reports BAR2 at the size of the whole host aperture and a sparse
 * area covering only this vGPU's slice; mappings outside the slice are refused.
 *
 * <p>Numbers are plausible for a Skylake host (8086:1912), not measured: 256 MiB aperture, the
 * vGPU's 64 MiB slice at offset 64 MiB, 16 MiB MMIO BAR0, 64-byte I/O BAR4, 1024x768 display.
 *
 * <p>Config space: the host IGD's, which GVT copies into every vGPU
 * ({@code gvt->firmware.cfg_space}, {@link #firmwareCfgSpace}), with its MSI capability at
 * 0xac (the host's {@code pdev->msi_cap}, GVT's {@code device_info.msi_cap_offset}): one
 * vector, 32-bit address, no masking. The host's other capabilities (vendor-specific, PCI
 * Express, power management, the extended ones) are not modelled.
 */
@Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_ioctl_get_region_info")
public class KvmgtVgpu implements Device {
    private static final long APERTURE = 256L << 20;
    private static final long SLICE_OFFSET = 64L << 20;
    private static final long SLICE_SIZE = 64L << 20;
    private static final long MMIO_SIZE = 16L << 20;
    /** {@code PCI_STATUS_CAP_LIST}: the status register says there is a capability list. */
    private static final int PCI_STATUS_CAP_LIST = 0x10;
    /** The host IGD's MSI capability ({@code pdev->msi_cap} on Skylake). */
    private static final int MSI_CAP_OFFSET = 0xac;
    /** {@code INTEL_GVT_PCI_GMCH_CONTROL} (gvt/reg.h): the graphics control register. */
    private static final int GMCH_CONTROL = 0x50;
    /**
     * The host's GMCH control: 32 MiB of stolen memory (GMS 0x01 in bits 15:8), an 8 MiB GGTT
     * (GGMS 3 in bits 7:6), locked (bit 0).
     */
    private static final int HOST_GMCH_CONTROL = 0x01c1;
    /** The host's I/O BAR4 as the BIOS placed it, I/O space indicator set. */
    private static final long HOST_IO_BAR4 = 0xf001L;
    /** {@code INTEL_GVT_PCI_OPREGION} (gvt/reg.h, ASLS): the host's OpRegion address. */
    private static final int OPREGION_ADDRESS = 0xfc;
    private static final long HOST_OPREGION_ADDRESS = 0x7af5_2018L;
    /** {@code PCI_CFG_SPACE_EXP_SIZE}. */
    private static final int CFG_SPACE_EXP_SIZE = 4096;

    private final String name;
    private final SparseMemory aperture;
    private final long apertureStart;
    private final PciConfigSpace config;
    private final byte[] firmwareCfgSpace;
    private final byte[] opRegion;
    private final byte[] edid;

    public KvmgtVgpu(String name, SystemBus bus) {
        this.name = name;
        aperture = new SparseMemory(APERTURE);
        apertureStart = bus.place(SystemBus.Window.MMIO64, APERTURE, APERTURE, aperture);
        config = EmulatedConfig.build(0x8086, 0x1912, 0x8086, 0x2212, 0x030000, 0x06,
                PciBar.mem64(0, MMIO_SIZE, false), PciBar.mem64(2, APERTURE, true), PciBar.io(4, 64));
        config.set(Register.CAPABILITY_LIST, MSI_CAP_OFFSET);
        config.set(MSI_CAP_OFFSET, 1, CapabilityId.MSI.id());
        config.set(MSI_CAP_OFFSET + 2, 2, new MsiCapability(1, false, false).flags());
        config.set(Register.STATUS, config.status() | PCI_STATUS_CAP_LIST);
        firmwareCfgSpace = hostCfgSpace(config.bytes(), apertureStart);
        opRegion = OpRegion.build("GVT-g vGPU");
        edid = Edid.forMode(1024, 768);
    }

    /**
     * The host IGD's config space as i915 saved it at boot ({@code i915->vgpu.initial_cfg_space},
     * copied to {@code gvt->firmware.cfg_space}): the vGPU's image with what the host's firmware
     * and driver put there: IO, memory and bus-master decode on, the host's GTTMMADR (BAR0 and
     * BAR1: right after the aperture, a number only, nothing decodes it) and the aperture's
     * address (BAR2 and BAR3), the I/O BAR4 placed, stolen memory in the GMCH control register and the
     * OpRegion's address (ASLS). The extended space past 256 bytes is zeros.
     */
    private static byte[] hostCfgSpace(byte[] image, long apertureStart) {
        PciConfigSpace host = new PciConfigSpace(CFG_SPACE_EXP_SIZE);
        byte[] full = new byte[CFG_SPACE_EXP_SIZE];
        System.arraycopy(image, 0, full, 0, image.length);
        host.load(full);
        host.set(Register.COMMAND, host.command() | Command.IO.mask() | Command.MEMORY.mask()
                | Command.BUS_MASTER.mask());
        long gttmmadr = apertureStart + APERTURE;
        host.set(Register.bar(0).offset(), 4, (host.read(Register.bar(0).offset(), 4) & 0xF)
                | (gttmmadr & 0xFFFF_FFF0L));
        host.set(Register.bar(1).offset(), 4, gttmmadr >>> 32);
        host.set(Register.bar(2).offset(), 4, (host.read(Register.bar(2).offset(), 4) & 0xF)
                | (apertureStart & 0xFFFF_FFF0L));
        host.set(Register.bar(3).offset(), 4, apertureStart >>> 32);
        host.set(Register.bar(4).offset(), 4, HOST_IO_BAR4);
        host.set(GMCH_CONTROL, 2, HOST_GMCH_CONTROL);
        host.set(OPREGION_ADDRESS, 4, HOST_OPREGION_ADDRESS);
        return host.bytes();
    }

    @Override
    public String name() {
        return name;
    }

    /** The vGPU type as sysfs names it. */
    public String typeName() {
        return "i915-GVTg_V5_8";
    }

    /** Physical start of the host's whole aperture (the host IGD's BAR2). */
    public long hostApertureStart() {
        return apertureStart;
    }

    /** Size of the host aperture: what kvmgt reports as the vGPU's BAR2 size. */
    public long hostApertureSize() {
        return APERTURE;
    }

    /** Offset of this vGPU's slice in the aperture ({@code vgpu_aperture_offset}). */
    public long apertureSliceOffset() {
        return SLICE_OFFSET;
    }

    /** Size of the slice ({@code vgpu_aperture_sz}). */
    public long apertureSliceSize() {
        return SLICE_SIZE;
    }

    /** Physical address of the slice ({@code vgpu_aperture_pa_base}). */
    public long apertureSliceStart() {
        return apertureStart + SLICE_OFFSET;
    }

    /** The aperture memory (host GPU memory through GMADR). */
    public SparseMemory aperture() {
        return aperture;
    }

    /** The emulated MMIO BAR0 size (GTTMMADR). */
    public long mmioBarSize() {
        return MMIO_SIZE;
    }

    public PciConfigSpace config() {
        return config;
    }

    /**
     * {@code gvt->firmware.cfg_space}: the 4 KiB the vGPU's config space is set from when it is
     * created and reset ({@code intel_vgpu_init_cfg_space}); a fresh copy.
     */
    @Models("drivers/gpu/drm/i915/gvt/firmware.c:intel_gvt_load_firmware")
    public byte[] firmwareCfgSpace() {
        return firmwareCfgSpace.clone();
    }

    /** The virtual OpRegion (8 KiB) kvmgt exposes as a device-specific region. */
    public byte[] opRegion() {
        return opRegion.clone();
    }

    public byte[] edidBlob() {
        return edid.clone();
    }

    public int maxXres() {
        return 1024;
    }

    public int maxYres() {
        return 768;
    }
}
