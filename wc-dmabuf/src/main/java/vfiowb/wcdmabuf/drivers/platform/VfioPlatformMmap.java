package vfiowb.wcdmabuf.drivers.platform;

import java.util.Objects;
import vfiowb.common.Models;
import vfiowb.wcdmabuf.core.VfioMmap;

/**
 * {@code struct vfio_platform_mmap} (this series, vfio_platform_private.h): the cookie
 * vfio-platform and vfio-amba hand the core for one region, embedding {@code struct vfio_mmap}
 * with a pointer to the region ({@code &vdev->regions[index]}): its type, physical start, size
 * and flags are what mmap, read and write need, so none of them decodes an index from a file
 * offset any more. The pointer never changes; the region it names lives as long as the device
 * is open, which every file holding the cookie keeps it.
 */
@Models("drivers/vfio/platform/vfio_platform_private.h:struct vfio_platform_mmap")
final class VfioPlatformMmap extends VfioMmap {
    private final VfioPlatformRegion region;

    VfioPlatformMmap(VfioPlatformDevice vdev, int index, VfioPlatformRegion region) {
        super(vdev, index, region.size);
        this.region = Objects.requireNonNull(region, "region");
    }

    /** {@code pmmap->region}. */
    VfioPlatformRegion region() {
        return region;
    }

    @Override
    protected String describe() {
        return String.format("%s, phys 0x%x, flags 0x%x", region.type, region.addr, region.flags);
    }
}
