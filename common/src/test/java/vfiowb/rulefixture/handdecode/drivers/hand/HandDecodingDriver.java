package vfiowb.rulefixture.handdecode.drivers.hand;

import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.EINVAL;

import vfiowb.common.Models;
import vfiowb.common.uapi.LE;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionInfoStruct;
import vfiowb.common.userspace.UserBuffer;

/**
 * Rule fixture: a stage-1 driver that still answers REGION_INFO in its own ioctl but dodges
 * everything the rule knew before: no codec (it copies the 32-byte head in and decodes it with
 * {@link LE}), no capability shift, and no case on the request number (REGION_INFO reaches the
 * {@code default} branch, which javac compiles as a gap key of the {@code tableswitch}). It
 * builds the info struct itself with {@code forIndex}, calls its own
 * {@code get_region_info_caps} and writes the reply back by hand.
 */
@Models("samples/vfio-mdev/hand.c")
public final class HandDecodingDriver {
    /** {@code sizeof(struct vfio_region_info)}. */
    private static final int MINSZ = 32;

    private HandDecodingDriver() {}

    @Models("samples/vfio-mdev/hand.c:hand_ioctl")
    public static long handIoctl(Object vdev, int cmd, UserBuffer arg) {
        switch (cmd) {
            case VfioIoctl.VFIO_DEVICE_GET_INFO:
                return 0;
            case VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO:
                return 0;
            case VfioIoctl.VFIO_DEVICE_RESET:
                return 0;
            default:
                return handRegionInfo(vdev, arg);
        }
    }

    private static long handRegionInfo(Object vdev, UserBuffer arg) {
        byte[] head = new byte[MINSZ];
        if (arg.copyFromUser(head, 0, 0, MINSZ) != 0) {
            return -EFAULT;
        }
        long argsz = LE.getU32(head, 0);
        long index = LE.getU32(head, 8);
        if (argsz < MINSZ) {
            return -EINVAL;
        }
        VfioRegionInfoStruct info = VfioRegionInfoStruct.forIndex(index); // @forIndex
        int ret = handGetRegionInfoCaps(vdev, info, new VfioInfoCap());
        if (ret != 0) {
            return ret;
        }
        LE.putU32(head, 4, info.flags());
        LE.putU64(head, 16, info.size());
        LE.putU64(head, 24, info.offset());
        return arg.copyToUser(0, head, 0, MINSZ) != 0 ? -EFAULT : 0;
    }

    /** The op a converted driver would hand to the core: it only fills what it is given. */
    @Models("samples/vfio-mdev/hand.c:hand_get_region_info_caps")
    public static int handGetRegionInfoCaps(Object vdev, VfioRegionInfoStruct info,
            VfioInfoCap caps) {
        if (info.index() != 0) {
            return -EINVAL;
        }
        info.setSize(0x1000);
        info.setOffset(0);
        info.setFlags(VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ);
        return 0;
    }
}
