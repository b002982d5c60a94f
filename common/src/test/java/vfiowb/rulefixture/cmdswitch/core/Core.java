package vfiowb.rulefixture.cmdswitch.core;

import vfiowb.common.Models;
import vfiowb.common.userspace.UserBuffer;

/** Rule fixture: the core's REGION_INFO path, which the drivers of this tree call by hand. */
@Models("drivers/vfio/vfio_main.c:vfio_get_region_info")
public final class Core {
    private Core() {}

    public static long vfioGetRegionInfo(Object vdev, UserBuffer arg) {
        return arg.length() >= 32 ? 0 : -22;
    }
}
