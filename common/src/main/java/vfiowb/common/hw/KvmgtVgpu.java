package vfiowb.common.hw;

import vfiowb.common.Models;

/**
 * An Intel GVT-g virtual GPU (type {@code i915-GVTg_V5_8}): a slice of the host IGD's graphics
 * aperture (GMADR), which kvmgt maps straight into the guest, plus emulated MMIO, a virtual
 * OpRegion and an EDID. kvmgt reports BAR2 at the size of the whole host aperture and a sparse
 * area covering only this vGPU's slice; mappings outside the slice are refused.
 *
 * <p>Numbers are plausible for a Skylake host (8086:1912), not measured: 256 MiB aperture, the
 * vGPU's 64 MiB slice at offset 64 MiB, 16 MiB MMIO BAR0, 64-byte I/O BAR4, 1024x768 display.
 */
@Models("drivers/gpu/drm/i915/gvt/kvmgt.c:intel_vgpu_ioctl_get_region_info")
public class KvmgtVgpu implements Device {
    private static final long APERTURE = 256L << 20;
    private static final long SLICE_OFFSET = 64L << 20;
    private static final long SLICE_SIZE = 64L << 20;
    private static final long MMIO_SIZE = 16L << 20;

    private final String name;
    private final SparseMemory aperture;
    private final long apertureStart;
    private final PciConfigSpace config;
    private final byte[] opRegion;
    private final byte[] edid;

    public KvmgtVgpu(String name, SystemBus bus) {
        this.name = name;
        aperture = new SparseMemory(APERTURE);
        apertureStart = bus.place(SystemBus.Window.MMIO64, APERTURE, APERTURE, aperture);
        config = EmulatedConfig.build(0x8086, 0x1912, 0x8086, 0x2212, 0x030000, 0x06,
                PciBar.mem64(0, MMIO_SIZE, false), PciBar.mem64(2, APERTURE, true), PciBar.io(4, 64));
        opRegion = OpRegion.build("GVT-g vGPU");
        edid = Edid.forMode(1024, 768);
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
