package vfiowb.wccookie.drivers.cdx;

import java.util.Objects;
import vfiowb.common.Models;
import vfiowb.wccookie.core.VfioMmap;

/**
 * {@code struct vfio_cdx_mmap} (this series, drivers/vfio/cdx/private.h): vfio-cdx's cookie,
 * {@code struct vfio_mmap} with the region it maps ({@code struct vfio_cdx_region}: flags,
 * type, physical start, size), which is all {@code mmap_obj} needs. Immutable, like the region.
 */
@Models("drivers/vfio/cdx/private.h:struct vfio_cdx_mmap")
final class VfioCdxMmap extends VfioMmap {
    private final VfioCdxDevice.Region region;

    VfioCdxMmap(VfioCdxDevice vdev, int index, VfioCdxDevice.Region region) {
        super(vdev, index, region.size());
        this.region = Objects.requireNonNull(region, "region");
    }

    /** {@code cmmap->region}. */
    VfioCdxDevice.Region region() {
        return region;
    }

    @Override
    protected String describe() {
        return String.format("phys 0x%x, flags 0x%x", region.addr(), region.flags());
    }
}
