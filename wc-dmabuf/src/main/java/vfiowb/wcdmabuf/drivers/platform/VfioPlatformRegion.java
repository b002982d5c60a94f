package vfiowb.wcdmabuf.drivers.platform;

import vfiowb.common.Models;

/**
 * {@code struct vfio_platform_region}: one resource of the device as vfio-platform exposes it,
 * built at open by {@code vfio_platform_regions_init}. {@code mapped} stands for a non-NULL
 * {@code ioaddr}: the read/write paths ioremap a region on first use.
 */
@Models("drivers/vfio/platform/vfio_platform_private.h:struct vfio_platform_region")
final class VfioPlatformRegion {
    /** {@code VFIO_PLATFORM_REGION_TYPE_MMIO} / {@code _PIO}. */
    enum Type { MMIO, PIO }

    final long addr;
    final long size;
    final long flags;
    final Type type;
    boolean mapped;

    VfioPlatformRegion(long addr, long size, long flags, Type type) {
        this.addr = addr;
        this.size = size;
        this.flags = flags;
        this.type = type;
    }
}
