package vfiowb.wcdmabuf.drivers.ccw;

import vfiowb.common.Models;
import vfiowb.wcdmabuf.core.VfioMmap;

/**
 * {@code struct vfio_ccw_mmap} (this series, vfio_ccw_private.h): vfio-ccw's cookie. The name
 * is the series' (every region gets one, though vfio-ccw maps none): it is how read and write
 * find their region now that the core resolves the file offset. It carries the device-specific
 * region ({@code &private->region[index - VFIO_CCW_NUM_REGIONS]}: async, SCHIB or CRW, with its
 * regops and backing structure), or nothing for the I/O region, which lives in the private
 * structure itself. The pointer never changes; the regions are registered at open and
 * unregistered at the last close, so they outlive every file holding the cookie.
 */
@Models("drivers/s390/cio/vfio_ccw_private.h:struct vfio_ccw_mmap")
final class VfioCcwMmap extends VfioMmap {
    private final VfioCcwRegion region;

    /**
     * @param region the device-specific region, or null for the I/O region (index 0)
     */
    VfioCcwMmap(VfioCcwPrivate priv, int index, long size, VfioCcwRegion region) {
        super(priv, index, size);
        this.region = region;
    }

    /** {@code cmmap->region}: null for the I/O region. */
    VfioCcwRegion region() {
        return region;
    }

    @Override
    protected String describe() {
        return region == null ? "io_region"
                : String.format("type %d subtype %d", region.type, region.subtype);
    }
}
