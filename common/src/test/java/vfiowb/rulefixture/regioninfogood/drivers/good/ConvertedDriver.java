package vfiowb.rulefixture.regioninfogood.drivers.good;

import vfiowb.common.Models;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionInfoStruct;
import vfiowb.common.userspace.UserBuffer;

/**
 * Rule fixture: a driver converted by stage 2. Its {@code get_region_info_caps} fills the struct
 * the core hands it; its ioctl still copies other requests' arguments in and out; it switches on
 * GET_INFO, GET_IRQ_INFO and RESET, so javac's {@code tableswitch} covers 0x3b6c as a gap that
 * goes to the default; and it uses the number 0x3b6c for something else than comparing it.
 */
@Models("samples/vfio-mdev/good.c")
public final class ConvertedDriver {
    /** A device register value that happens to equal the request number. */
    private static final int MAGIC = 0x3b6c;

    private ConvertedDriver() {}

    @Models("samples/vfio-mdev/good.c:good_get_region_info_caps")
    public static int goodGetRegionInfoCaps(Object vdev, VfioRegionInfoStruct info,
            VfioInfoCap caps) {
        if (info.index() > 8) {
            return -22;
        }
        info.setSize(0x1000);
        info.setOffset(info.index() << 40);
        info.setFlags(VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ
                | VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE);
        return delegate(vdev, info, caps);
    }

    private static int delegate(Object vdev, VfioRegionInfoStruct info, VfioInfoCap caps) {
        return info.size() == 0 ? -22 : 0;
    }

    @Models("samples/vfio-mdev/good.c:good_ioctl")
    public static long goodIoctl(Object vdev, int cmd, UserBuffer arg) {
        switch (cmd) {
            case VfioIoctl.VFIO_DEVICE_GET_INFO:
            case VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO: {
                byte[] head = new byte[16];
                if (arg.copyFromUser(head, 0, 0, head.length) != 0) {
                    return -14;
                }
                head[4] = (byte) MAGIC;
                return arg.copyToUser(0, head, 0, head.length) != 0 ? -14 : 0;
            }
            case VfioIoctl.VFIO_DEVICE_RESET:
                return 0;
            default:
                return -25;
        }
    }

    public static int registerValue(int scale) {
        return MAGIC * scale;
    }
}
