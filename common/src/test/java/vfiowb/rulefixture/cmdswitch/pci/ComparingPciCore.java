package vfiowb.rulefixture.cmdswitch.pci;

import vfiowb.common.Models;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.rulefixture.cmdswitch.core.Core;

/**
 * Rule fixture: vfio-pci-core comparing the request with VFIO_DEVICE_GET_REGION_INFO instead of
 * switching: directly ({@code sipush} then {@code if_icmpne}), with the constant on the left,
 * and through local variables in a private helper.
 */
@Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_ioctl")
public final class ComparingPciCore {
    private ComparingPciCore() {}

    public static long vfioPciCoreIoctl(Object vdev, int cmd, UserBuffer arg) {
        if (cmd == VfioIoctl.VFIO_DEVICE_GET_REGION_INFO) { // @compare
            return Core.vfioGetRegionInfo(vdev, arg);
        }
        if (constantOnTheLeft(cmd) || throughLocals(cmd)) {
            return 0;
        }
        return -25;
    }

    static boolean constantOnTheLeft(int cmd) {
        return VfioIoctl.VFIO_DEVICE_GET_REGION_INFO == cmd; // @compareConstantFirst
    }

    private static boolean throughLocals(int cmd) {
        int wanted = VfioIoctl.VFIO_DEVICE_GET_REGION_INFO;
        int seen = cmd;
        return seen == wanted; // @compareThroughLocals
    }
}
