package vfiowb.workbench.clients;

import vfiowb.common.uapi.LE;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.Process;

/** Device info and region info as a client asks for them, for the {@code devices} report. */
public final class Probe {
    private Probe() {}

    /** {@code VFIO_DEVICE_GET_INFO} with {@code argsz = sizeof(struct vfio_device_info)}. */
    public static VfioDeviceInfo deviceInfo(Process p, int fd) {
        byte[] buf = new byte[VfioDeviceInfo.SIZE];
        LE.putU32(buf, 0, VfioDeviceInfo.SIZE);
        p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_INFO, buf);
        return VfioDeviceInfo.decode(buf, 0);
    }

    /**
     * {@code VFIO_DEVICE_GET_REGION_INFO} starting with argsz 32 and repeating with the argsz the
     * kernel asks for; {@code untilEqual} repeats while the reply's argsz differs from the one
     * passed (DPDK's {@code !=}), otherwise only while it grows (QEMU's {@code >}).
     *
     * @throws ErrnoException as the ioctl fails
     */
    public static RegionInfoReply regionInfo(Process p, int fd, long index, boolean untilEqual) {
        return RegionInfoReply.decode(regionInfoBytes(p, fd, index, untilEqual));
    }

    /** {@link #regionInfo}, returning the final reply buffer as the kernel left it. */
    public static byte[] regionInfoBytes(Process p, int fd, long index, boolean untilEqual) {
        int argsz = VfioRegionInfo.SIZE;
        for (int tries = 0;; tries++) {
            byte[] buf = VfioRegionInfo.request(index, argsz);
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf);
            long want = VfioRegionInfo.decode(buf, 0).argsz();
            boolean again = untilEqual ? want != argsz : want > argsz;
            if (!again || tries == 8) {
                return buf;
            }
            argsz = (int) Math.min(want, 1 << 20);
        }
    }
}
