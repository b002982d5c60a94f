package vfiowb.wcdmabuf.drivers.fslmc;

import java.util.Objects;
import vfiowb.common.Models;
import vfiowb.wcdmabuf.core.VfioMmap;

/**
 * {@code struct vfio_fsl_mc_mmap} (this series, vfio_fsl_mc_private.h): vfio-fsl-mc's cookie,
 * {@code struct vfio_mmap} with a pointer to the object's region
 * ({@code &vdev->regions[index]}): its physical start, size, type bits (cacheable, shareable:
 * what decides a mapping's pgprot) and flags are what mmap and the MC command path need, so
 * neither decodes an index from a file offset any more. The pointer never changes; the region
 * lives as long as the device is open, which every file holding the cookie keeps it.
 */
@Models("drivers/vfio/fsl-mc/vfio_fsl_mc_private.h:struct vfio_fsl_mc_mmap")
final class VfioFslMcMmap extends VfioMmap {
    private final VfioFslMcDevice.Region region;

    VfioFslMcMmap(VfioFslMcDevice vdev, int index, VfioFslMcDevice.Region region) {
        super(vdev, index, region.size);
        this.region = Objects.requireNonNull(region, "region");
    }

    /** {@code fmmap->region}. */
    VfioFslMcDevice.Region region() {
        return region;
    }

    @Override
    protected String describe() {
        return String.format("phys 0x%x, type 0x%x, flags 0x%x", region.addr, region.type,
                region.flags);
    }
}
