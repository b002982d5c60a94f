package vfiowb.rulefixture.cmdswitch.drivers.sw;

import vfiowb.common.Models;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.rulefixture.cmdswitch.core.Core;

/**
 * Rule fixture: a driver that keeps its own case on VFIO_DEVICE_GET_REGION_INFO, forwarding it
 * to the core, so no codec, struct or capability call appears in it: the request number is
 * visible only as a {@code tableswitch} key (javac inlines the constant).
 */
@Models("samples/vfio-mdev/sw.c:sw_ioctl")
public final class SwitchingDriver {
    private SwitchingDriver() {}

    public static long swIoctl(Object vdev, int cmd, UserBuffer arg) {
        switch (cmd) {
            case VfioIoctl.VFIO_DEVICE_GET_INFO:
                return 0;
            case VfioIoctl.VFIO_DEVICE_GET_REGION_INFO:
                return Core.vfioGetRegionInfo(vdev, arg); // @tableswitchCase
            case VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO:
                return 0;
            default:
                return -25;
        }
    }

    /** Two far-apart cases: javac emits a {@code lookupswitch}. */
    public static long swSparseIoctl(Object vdev, int cmd, UserBuffer arg) {
        switch (cmd) {
            case VfioIoctl.VFIO_DEVICE_GET_REGION_INFO:
                return Core.vfioGetRegionInfo(vdev, arg); // @lookupswitchCase
            case VfioIoctl.VFIO_DEVICE_BIND_IOMMUFD:
                return 0;
            default:
                return -25;
        }
    }
}
