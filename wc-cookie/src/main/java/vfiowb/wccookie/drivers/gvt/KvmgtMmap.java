package vfiowb.wccookie.drivers.gvt;

import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_BAR2_REGION_INDEX;

import vfiowb.common.Models;
import vfiowb.wccookie.core.VfioMmap;

/**
 * {@code struct intel_vgpu_mmap} (this series, drivers/gpu/drm/i915/gvt/kvmgt.c): kvmgt's
 * cookie for a region with bytes. For BAR2 it carries the host aperture's physical start, which
 * mmap maps the vGPU's slice of; for a device-specific region (OpRegion, EDID) the
 * {@code struct vfio_region} whose {@code rw} op serves it. Immutable.
 */
@Models("drivers/gpu/drm/i915/gvt/kvmgt.c:struct intel_vgpu_mmap")
public final class KvmgtMmap extends VfioMmap {
    private final long physStart;
    private final IntelVgpu.Region region;

    private KvmgtMmap(IntelVgpu vgpu, int index, long size, long physStart,
            IntelVgpu.Region region) {
        super(vgpu, index, size);
        this.physStart = physStart;
        this.region = region;
    }

    /** Config space or BAR0: emulated by GVT, nothing to carry. */
    static KvmgtMmap emulated(IntelVgpu vgpu, int index, long size) {
        return new KvmgtMmap(vgpu, index, size, 0, null);
    }

    /** BAR2: the whole host aperture, starting at {@code physStart}. */
    static KvmgtMmap aperture(IntelVgpu vgpu, int index, long size, long physStart) {
        return new KvmgtMmap(vgpu, index, size, physStart, null);
    }

    /** A device-specific region. */
    static KvmgtMmap deviceRegion(IntelVgpu vgpu, int index, IntelVgpu.Region region) {
        return new KvmgtMmap(vgpu, index, region.size(), 0, region);
    }

    /** {@code mmap->phys_start}: the host aperture's start for BAR2, else 0. */
    long physStart() {
        return physStart;
    }

    /** {@code mmap->region}: the device-specific region, or null for a PCI region. */
    IntelVgpu.Region region() {
        return region;
    }

    @Override
    protected String describe() {
        if (region != null) {
            return String.format("device region type 0x%x/%d", region.type(), region.subtype());
        }
        return index() == VFIO_PCI_BAR2_REGION_INDEX
                ? String.format("aperture at 0x%x", physStart) : "emulated";
    }
}
