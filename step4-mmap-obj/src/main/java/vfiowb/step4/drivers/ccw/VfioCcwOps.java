package vfiowb.step4.drivers.ccw;

import static vfiowb.common.errno.Errno.EAGAIN;
import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.errno.Errno.ENOTTY;
import static vfiowb.common.uapi.VfioIndex.VFIO_CCW_CONFIG_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_CCW_NUM_IRQS;
import static vfiowb.common.uapi.VfioIndex.VFIO_CCW_NUM_REGIONS;

import vfiowb.common.Models;
import vfiowb.common.hw.CcwDevice;
import vfiowb.common.mm.Arch;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionInfoStruct;
import vfiowb.common.uapi.VfioRegionType;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.step4.core.VfioDevice;
import vfiowb.step4.core.VfioDeviceOps;
import vfiowb.step4.core.VfioMmap;

/**
 * drivers/s390/cio/vfio_ccw_ops.c as of v6.19, on the cookie ops of this series: the mdev ops
 * of vfio-ccw. Region 0 is the I/O region; the async, SCHIB and CRW regions (indexes 1 to 3,
 * registered at open in that order) carry a CAP_TYPE capability. No mmap. Every region has a
 * {@link VfioCcwMmap} and sits where the core places it; read and write find the region
 * through it, so the 10-bit layout ({@code VFIO_CCW_OFFSET_SHIFT}) is gone.
 *
 * <p>Simplifications: {@code VFIO_DEVICE_SET_IRQS} (no eventfds in the model; -ENOTTY),
 * {@code dma_unmap} and the channel-program translation are not modelled (see
 * {@link VfioCcwFsm}); the subchannel is always operational.
 */
@Models("drivers/s390/cio/vfio_ccw_ops.c")
public final class VfioCcwOps {
    private VfioCcwOps() {}

    /** {@code vfio_ccw_dev_ops}. */
    @Models("drivers/s390/cio/vfio_ccw_ops.c:vfio_ccw_dev_ops")
    public static final VfioDeviceOps VFIO_CCW_DEV_OPS = VfioDeviceOps.builder("vfio_ccw_dev_ops")
            .openDevice(VfioCcwOps::vfioCcwMdevOpenDevice)
            .closeDevice(VfioCcwOps::vfioCcwMdevCloseDevice)
            .readObj(VfioCcwOps::vfioCcwMdevReadObj)
            .writeObj(VfioCcwOps::vfioCcwMdevWriteObj)
            .ioctl(VfioCcwOps::vfioCcwMdevIoctl)
            .getRegionInfoObj(VfioCcwOps::vfioCcwMdevIoctlGetRegionInfoObj)
            .request(VfioCcwOps::vfioCcwMdevRequest)
            .build();

    /** {@code vfio_ccw_mdev_probe}: the subchannel's mdev, in STANDBY until opened. */
    @Models("drivers/s390/cio/vfio_ccw_ops.c:vfio_ccw_mdev_probe")
    public static VfioCcwPrivate vfioCcwMdevProbe(CcwDevice sch, Arch arch) {
        return new VfioCcwPrivate(VFIO_CCW_DEV_OPS, sch, arch);
    }

    private static VfioCcwPrivate toCcw(VfioDevice vdev) {
        return (VfioCcwPrivate) vdev;
    }

    /** {@code vfio_ccw_register_dev_region}: append a {@code VFIO_REGION_TYPE_CCW} region. */
    @Models("drivers/s390/cio/vfio_ccw_ops.c:vfio_ccw_register_dev_region")
    static int vfioCcwRegisterDevRegion(VfioCcwPrivate priv, long subtype, VfioCcwRegion.Ops ops,
            long size, long flags, byte[] data) {
        priv.region.add(new VfioCcwRegion(VfioRegionType.VFIO_REGION_TYPE_CCW, subtype, ops, size,
                flags, data));
        return 0;
    }

    /** {@code vfio_ccw_unregister_dev_regions}. */
    @Models("drivers/s390/cio/vfio_ccw_ops.c:vfio_ccw_unregister_dev_regions")
    static void vfioCcwUnregisterDevRegions(VfioCcwPrivate priv) {
        for (VfioCcwRegion r : priv.region) {
            r.ops.release(priv, r);
        }
        priv.region.clear();
    }

    /**
     * {@code vfio_ccw_mdev_open_device}: refuse a not-operational subchannel (-EINVAL), register
     * the async, SCHIB and CRW regions, then OPEN the FSM. With this series it also sets
     * {@code nr_regions} (the I/O region and the three others) for the core's cookies.
     */
    @Models("drivers/s390/cio/vfio_ccw_ops.c:vfio_ccw_mdev_open_device")
    public static int vfioCcwMdevOpenDevice(VfioDevice vdev) {
        VfioCcwPrivate priv = toCcw(vdev);
        if (priv.state == VfioCcwPrivate.State.NOT_OPER) {
            return -EINVAL;
        }
        int ret = VfioCcwAsync.vfioCcwRegisterAsyncDevRegions(priv);
        if (ret == 0) {
            ret = VfioCcwChp.vfioCcwRegisterSchibDevRegions(priv);
        }
        if (ret == 0) {
            ret = VfioCcwChp.vfioCcwRegisterCrwDevRegions(priv);
        }
        if (ret != 0) {
            vfioCcwUnregisterDevRegions(priv);
            return ret;
        }
        vdev.setNrRegions(VFIO_CCW_NUM_REGIONS + priv.numRegions());
        VfioCcwFsm.vfioCcwFsmEvent(priv, VfioCcwFsm.Event.OPEN);
        if (priv.state == VfioCcwPrivate.State.NOT_OPER) {
            vfioCcwUnregisterDevRegions(priv);
            return -EINVAL;
        }
        return 0;
    }

    /** {@code vfio_ccw_mdev_close_device}: CLOSE the FSM, drop the regions. */
    @Models("drivers/s390/cio/vfio_ccw_ops.c:vfio_ccw_mdev_close_device")
    public static void vfioCcwMdevCloseDevice(VfioDevice vdev) {
        VfioCcwPrivate priv = toCcw(vdev);
        VfioCcwFsm.vfioCcwFsmEvent(priv, VfioCcwFsm.Event.CLOSE);
        vfioCcwUnregisterDevRegions(priv);
    }

    // ---------------------------------------------------------------- read / write

    /**
     * {@code vfio_ccw_mdev_read_obj} (this series): the core resolved the file offset to
     * {@code obj} and {@code off} inside it; the I/O region is read here, the others through
     * their regops with the region the object carries.
     */
    @Models("drivers/s390/cio/vfio_ccw_ops.c:vfio_ccw_mdev_read_obj")
    public static long vfioCcwMdevReadObj(VfioDevice vdev, VfioMmap obj, UserBuffer buf,
            long count, long off) {
        VfioCcwPrivate priv = toCcw(vdev);
        VfioCcwRegion region = ((VfioCcwMmap) obj).region();
        if (region == null) {
            return vfioCcwMdevReadIoRegion(priv, buf, count, off);
        }
        return region.ops.read(priv, region, buf, count, off);
    }

    /**
     * {@code vfio_ccw_mdev_read_io_region}: inside the 124 bytes from {@code off}, under
     * {@code io_mutex}.
     */
    @Models("drivers/s390/cio/vfio_ccw_ops.c:vfio_ccw_mdev_read_io_region")
    static long vfioCcwMdevReadIoRegion(VfioCcwPrivate priv, UserBuffer buf, long count, long off) {
        if (off + count > CcwDevice.ioRegionSize()) {
            return -EINVAL;
        }
        priv.ioMutex.lock();
        try {
            return buf.copyToUser(0, priv.ioRegion, (int) off, (int) count) != 0 ? -EFAULT : count;
        } finally {
            priv.ioMutex.unlock();
        }
    }

    /** {@code vfio_ccw_mdev_write_obj} (this series): as the read side. */
    @Models("drivers/s390/cio/vfio_ccw_ops.c:vfio_ccw_mdev_write_obj")
    public static long vfioCcwMdevWriteObj(VfioDevice vdev, VfioMmap obj, UserBuffer buf,
            long count, long off) {
        VfioCcwPrivate priv = toCcw(vdev);
        VfioCcwRegion region = ((VfioCcwMmap) obj).region();
        if (region == null) {
            return vfioCcwMdevWriteIoRegion(priv, buf, count, off);
        }
        return region.ops.write(priv, region, buf, count, off);
    }

    /**
     * {@code vfio_ccw_mdev_write_io_region}: -EAGAIN while another request holds
     * {@code io_mutex}; copy in, raise IO_REQ, and return {@code ret_code} if non-zero, else
     * the count.
     */
    @Models("drivers/s390/cio/vfio_ccw_ops.c:vfio_ccw_mdev_write_io_region")
    static long vfioCcwMdevWriteIoRegion(VfioCcwPrivate priv, UserBuffer buf, long count,
            long off) {
        if (off + count > CcwDevice.ioRegionSize()) {
            return -EINVAL;
        }
        if (!priv.ioMutex.tryLock()) {
            return -EAGAIN;
        }
        try {
            if (buf.copyFromUser(priv.ioRegion, (int) off, 0, (int) count) != 0) {
                return -EFAULT;
            }
            VfioCcwFsm.vfioCcwFsmEvent(priv, VfioCcwFsm.Event.IO_REQ);
            int ret = VfioCcwFsm.ioRetCode(priv);
            return ret != 0 ? ret : count;
        } finally {
            priv.ioMutex.unlock();
        }
    }

    // ---------------------------------------------------------------- ioctl

    /** {@code vfio_ccw_mdev_ioctl}: GET_INFO, GET_IRQ_INFO, RESET; -ENOTTY otherwise. */
    @Models("drivers/s390/cio/vfio_ccw_ops.c:vfio_ccw_mdev_ioctl")
    public static long vfioCcwMdevIoctl(VfioDevice vdev, int cmd, UserBuffer arg) {
        VfioCcwPrivate priv = toCcw(vdev);
        switch (cmd) {
            case VfioIoctl.VFIO_DEVICE_GET_INFO:
                return vfioCcwMdevGetDeviceInfo(priv, arg);
            case VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO:
                return vfioCcwMdevGetIrqInfo(arg);
            case VfioIoctl.VFIO_DEVICE_RESET:
                return vfioCcwMdevReset(priv);
            default:
                return -ENOTTY;
        }
    }

    /** The GET_INFO case with {@code vfio_ccw_mdev_get_device_info}: CCW and RESET, 4 regions, 3 IRQs. */
    @Models("drivers/s390/cio/vfio_ccw_ops.c:vfio_ccw_mdev_get_device_info")
    static long vfioCcwMdevGetDeviceInfo(VfioCcwPrivate priv, UserBuffer arg) {
        final int minsz = VfioDeviceInfo.LAYOUT.field("num_irqs").end();
        byte[] head = new byte[VfioDeviceInfo.SIZE];
        if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioDeviceInfo info = VfioDeviceInfo.decode(head, 0);
        if (info.argsz() < minsz) {
            return -EINVAL;
        }
        VfioDeviceInfo out = new VfioDeviceInfo(info.argsz(),
                VfioDeviceInfo.VFIO_DEVICE_FLAGS_CCW | VfioDeviceInfo.VFIO_DEVICE_FLAGS_RESET,
                VFIO_CCW_NUM_REGIONS + priv.numRegions(), VFIO_CCW_NUM_IRQS, info.capOffset(),
                info.pad());
        return arg.copyToUser(0, out.encode(), 0, minsz) != 0 ? -EFAULT : 0;
    }

    /** The GET_IRQ_INFO case with {@code vfio_ccw_mdev_get_irq_info}: IO, CRW, REQ, each one eventfd. */
    @Models("drivers/s390/cio/vfio_ccw_ops.c:vfio_ccw_mdev_get_irq_info")
    static long vfioCcwMdevGetIrqInfo(UserBuffer arg) {
        final int minsz = VfioIrqInfo.LAYOUT.field("count").end();
        byte[] head = new byte[minsz];
        if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioIrqInfo info = VfioIrqInfo.decode(head, 0);
        if (info.argsz() < minsz || info.index() >= VFIO_CCW_NUM_IRQS) {
            return -EINVAL;
        }
        VfioIrqInfo out = new VfioIrqInfo(info.argsz(), VfioIrqInfo.VFIO_IRQ_INFO_EVENTFD, info.index(), 1);
        return arg.copyToUser(0, out.encode(), 0, minsz) != 0 ? -EFAULT : 0;
    }

    /** {@code vfio_ccw_mdev_reset}: CLOSE then OPEN; -EINVAL if the subchannel is not operational after. */
    @Models("drivers/s390/cio/vfio_ccw_ops.c:vfio_ccw_mdev_reset")
    static int vfioCcwMdevReset(VfioCcwPrivate priv) {
        VfioCcwFsm.vfioCcwFsmEvent(priv, VfioCcwFsm.Event.CLOSE);
        VfioCcwFsm.vfioCcwFsmEvent(priv, VfioCcwFsm.Event.OPEN);
        if (priv.state == VfioCcwPrivate.State.NOT_OPER) {
            return -EINVAL;
        }
        return 0;
    }

    /**
     * {@code vfio_ccw_mdev_ioctl_get_region_info_obj} (this series): the I/O region (124 bytes,
     * read-write); every other index below {@code 1 + num_regions} with a CAP_TYPE capability
     * ({@code VFIO_REGION_TYPE_CCW}, the region's subtype) added by
     * {@code vfio_info_add_capability}; each with a {@link VfioCcwMmap}. The offsets are the
     * core's: the I/O region's no longer 0 by the driver's say-so, the others no longer
     * {@code index << 10}.
     */
    @Models("drivers/s390/cio/vfio_ccw_ops.c:vfio_ccw_mdev_ioctl_get_region_info_obj")
    public static int vfioCcwMdevIoctlGetRegionInfoObj(VfioDevice vdev, VfioRegionInfoStruct info,
            VfioInfoCap caps, VfioMmap[] obj) {
        VfioCcwPrivate priv = toCcw(vdev);
        if (info.index() == VFIO_CCW_CONFIG_REGION_INDEX) {
            info.setSize(CcwDevice.ioRegionSize());
            info.setFlags(VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ | VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE);
            obj[0] = new VfioCcwMmap(priv, VFIO_CCW_CONFIG_REGION_INDEX, CcwDevice.ioRegionSize(),
                    null);
            return 0;
        }
        if (info.index() >= VFIO_CCW_NUM_REGIONS + priv.numRegions()) {
            return -EINVAL;
        }
        int index = (int) info.index();
        VfioCcwRegion region = priv.region.get(index - VFIO_CCW_NUM_REGIONS);
        info.setSize(region.size);
        info.setFlags(region.flags);
        int ret = VfioInfoCap.vfioInfoAddCapability(caps, RegionCap.Type.of(region.type, region.subtype));
        if (ret != 0) {
            return ret;
        }
        if (region.size != 0) {
            obj[0] = new VfioCcwMmap(priv, index, region.size, region);
        }
        return 0;
    }

    /**
     * {@code vfio_ccw_mdev_request}: relay the core's device-release request to userspace
     * through the REQ eventfd, which the model does not have.
     */
    @Models("drivers/s390/cio/vfio_ccw_ops.c:vfio_ccw_mdev_request")
    public static void vfioCcwMdevRequest(VfioDevice vdev, int count) {
    }
}
