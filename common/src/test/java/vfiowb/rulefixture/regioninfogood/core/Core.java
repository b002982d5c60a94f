package vfiowb.rulefixture.regioninfogood.core;

import vfiowb.common.Models;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionInfoStruct;
import vfiowb.common.userspace.UserBuffer;

/**
 * Rule fixture: a stage-2 core, which may do all the rule forbids elsewhere: switch on
 * REGION_INFO, decode the head, create the struct, shift the chain and encode the reply.
 */
@Models("drivers/vfio/vfio_main.c:vfio_get_region_info")
public final class Core {
    /** {@code get_region_info_caps}. */
    public interface GetRegionInfoCaps {
        int call(Object vdev, VfioRegionInfoStruct info, VfioInfoCap caps);
    }

    private Core() {}

    public static long ioctl(Object vdev, GetRegionInfoCaps op, int cmd, UserBuffer arg) {
        switch (cmd) {
            case VfioIoctl.VFIO_DEVICE_GET_REGION_INFO:
                return vfioGetRegionInfo(vdev, op, arg);
            default:
                return -25;
        }
    }

    static long vfioGetRegionInfo(Object vdev, GetRegionInfoCaps op, UserBuffer arg) {
        byte[] head = new byte[VfioRegionInfo.SIZE];
        if (arg.copyFromUser(head, 0, 0, head.length) != 0) {
            return -14;
        }
        VfioRegionInfoStruct info = new VfioRegionInfoStruct(VfioRegionInfo.decode(head, 0));
        VfioInfoCap caps = new VfioInfoCap();
        int ret = op.call(vdev, info, caps);
        if (ret != 0) {
            return ret;
        }
        if (caps.size() != 0) {
            VfioInfoCap.vfioInfoCapShift(caps, VfioRegionInfo.SIZE);
        }
        return arg.copyToUser(0, info.toUapi().encode(), 0, head.length) != 0 ? -14 : 0;
    }
}
