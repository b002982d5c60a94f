package vfiowb.wcdmabuf.drivers.ap;

import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.errno.Errno.EOPNOTSUPP;
import static vfiowb.common.uapi.VfioIndex.VFIO_AP_NUM_IRQS;

import vfiowb.common.Models;
import vfiowb.common.hw.ApDevice;
import vfiowb.common.mm.Arch;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.wcdmabuf.core.VfioDevice;
import vfiowb.wcdmabuf.core.VfioDeviceOps;

/**
 * drivers/s390/crypto/vfio_ap_ops.c as of v6.19: the crypto matrix mdev. It has no regions, so
 * its table has no {@code get_region_info_caps} (the core answers REGION_INFO with -EINVAL), no
 * read, write or mmap; GET_INFO reports zero regions.
 *
 * <p>Simplifications: an open needs the file's KVM association upstream
 * ({@code vdev->kvm}, -EINVAL without it); the model treats every open as coming from a VMM
 * that registered the group with KVM first. Plugging the matrix into the guest's CRYCB, the
 * queue reset protocol (ZAPQ, polling) and {@code VFIO_DEVICE_SET_IRQS} are not modelled; the
 * last falls to the default case, -EOPNOTSUPP.
 */
@Models("drivers/s390/crypto/vfio_ap_ops.c")
public final class VfioApOps {
    private VfioApOps() {}

    /** {@code vfio_ap_matrix_dev_ops}. */
    @Models("drivers/s390/crypto/vfio_ap_ops.c:vfio_ap_matrix_dev_ops")
    public static final VfioDeviceOps VFIO_AP_MATRIX_DEV_OPS =
            VfioDeviceOps.builder("vfio_ap_matrix_dev_ops")
                    .openDevice(VfioApOps::vfioApMdevOpenDevice)
                    .closeDevice(VfioApOps::vfioApMdevCloseDevice)
                    .ioctl(VfioApOps::vfioApMdevIoctl)
                    .request(VfioApOps::vfioApMdevRequest)
                    .build();

    /** {@code vfio_ap_mdev_probe}. */
    @Models("drivers/s390/crypto/vfio_ap_ops.c:vfio_ap_mdev_probe")
    public static ApMatrixMdev vfioApMdevProbe(ApDevice matrix, Arch arch) {
        return new ApMatrixMdev(VFIO_AP_MATRIX_DEV_OPS, matrix, arch);
    }

    private static ApMatrixMdev toAp(VfioDevice vdev) {
        return (ApMatrixMdev) vdev;
    }

    /** {@code vfio_ap_mdev_open_device}: {@code vfio_ap_mdev_set_kvm} with the file's KVM. */
    @Models("drivers/s390/crypto/vfio_ap_ops.c:vfio_ap_mdev_open_device")
    public static int vfioApMdevOpenDevice(VfioDevice vdev) {
        toAp(vdev).setKvm(true);
        return 0;
    }

    /** {@code vfio_ap_mdev_close_device}: {@code vfio_ap_mdev_unset_kvm}, which resets the queues. */
    @Models("drivers/s390/crypto/vfio_ap_ops.c:vfio_ap_mdev_close_device")
    public static void vfioApMdevCloseDevice(VfioDevice vdev) {
        ApMatrixMdev mdev = toAp(vdev);
        mdev.countQueueReset();
        mdev.setKvm(false);
    }

    /** {@code vfio_ap_mdev_ioctl}: GET_INFO, RESET, GET_IRQ_INFO; anything else -EOPNOTSUPP. */
    @Models("drivers/s390/crypto/vfio_ap_ops.c:vfio_ap_mdev_ioctl")
    public static long vfioApMdevIoctl(VfioDevice vdev, int cmd, UserBuffer arg) {
        ApMatrixMdev mdev = toAp(vdev);
        switch (cmd) {
            case VfioIoctl.VFIO_DEVICE_GET_INFO:
                return vfioApMdevGetDeviceInfo(arg);
            case VfioIoctl.VFIO_DEVICE_RESET:
                mdev.countQueueReset();
                return 0;
            case VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO:
                return vfioApGetIrqInfo(arg);
            default:
                return -EOPNOTSUPP;
        }
    }

    /** {@code vfio_ap_mdev_get_device_info}: AP and RESET, zero regions, two IRQ indexes. */
    @Models("drivers/s390/crypto/vfio_ap_ops.c:vfio_ap_mdev_get_device_info")
    static long vfioApMdevGetDeviceInfo(UserBuffer arg) {
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
                VfioDeviceInfo.VFIO_DEVICE_FLAGS_AP | VfioDeviceInfo.VFIO_DEVICE_FLAGS_RESET, 0,
                VFIO_AP_NUM_IRQS, info.capOffset(), info.pad());
        return arg.copyToUser(0, out.encode(), 0, minsz) != 0 ? -EFAULT : 0;
    }

    /** {@code vfio_ap_get_irq_info}: REQ and CFG_CHG, each one eventfd. */
    @Models("drivers/s390/crypto/vfio_ap_ops.c:vfio_ap_get_irq_info")
    static long vfioApGetIrqInfo(UserBuffer arg) {
        final int minsz = VfioIrqInfo.LAYOUT.field("count").end();
        byte[] head = new byte[minsz];
        if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioIrqInfo info = VfioIrqInfo.decode(head, 0);
        if (info.argsz() < minsz || info.index() >= VFIO_AP_NUM_IRQS) {
            return -EINVAL;
        }
        VfioIrqInfo out = new VfioIrqInfo(info.argsz(), VfioIrqInfo.VFIO_IRQ_INFO_EVENTFD, info.index(), 1);
        return arg.copyToUser(0, out.encode(), 0, minsz) != 0 ? -EFAULT : 0;
    }

    /** {@code vfio_ap_mdev_request}: signal the REQ eventfd, which the model does not have. */
    @Models("drivers/s390/crypto/vfio_ap_ops.c:vfio_ap_mdev_request")
    public static void vfioApMdevRequest(VfioDevice vdev, int count) {
    }
}
