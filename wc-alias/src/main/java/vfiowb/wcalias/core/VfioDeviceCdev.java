package vfiowb.wcalias.core;

import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.EINVAL;

import vfiowb.common.Models;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.uapi.LE;
import vfiowb.common.uapi.VfioDeviceBindIommufd;
import vfiowb.common.userspace.UserBuffer;

/**
 * The device's character device, {@code /dev/vfio/devices/vfioN} (drivers/vfio/device_cdev.c):
 * opening it gives a file whose access is blocked until {@code VFIO_DEVICE_BIND_IOMMUFD} opens
 * the device. Only the group path may open a device more than once ({@code vfio_df_open}), so
 * while one cdev file is bound the bind of any other file of the device fails with -EINVAL, and
 * a group open fails with -EBUSY ({@link VfioGroup}). Under {@code create=open} the bind
 * populates the file's tree of mmap cookies, as the group path's open does.
 *
 * <p>Simplification: iommufd is not modelled. Any non-negative {@code iommufd} is taken to name
 * a context of its own in which the device is the first object, so its id is 1;
 * {@code VFIO_DEVICE_ATTACH_IOMMUFD_PT} and {@code VFIO_DEVICE_DETACH_IOMMUFD_PT} go where they
 * go on a group file.
 */
@Models("drivers/vfio/device_cdev.c")
public final class VfioDeviceCdev {
    /** {@code df->devid} as iommufd numbers the first object of a context. */
    private static final long FIRST_OBJECT_ID = 1;

    private VfioDeviceCdev() {}

    /** {@code vfio_device_fops_cdev_open}: a new file, not yet bound. */
    @Models("drivers/vfio/device_cdev.c:vfio_device_fops_cdev_open")
    public static VfioDeviceFile vfioDeviceFopsCdevOpen(VfioDevice device, SeriesPolicy policy) {
        return new VfioDeviceFile(device, policy);
    }

    /**
     * {@code vfio_df_ioctl_bind_iommufd}: the argument checked (-EFAULT, -EINVAL), a group file
     * refused (-EINVAL), the group blocked (-EBUSY), then under {@code dev_set->lock}: a file
     * already bound -EINVAL, {@code vfio_df_open} (-EINVAL when another file has the device
     * open), the id copied out (-EFAULT, closing the device again), access granted.
     */
    @Models("drivers/vfio/device_cdev.c:vfio_df_ioctl_bind_iommufd")
    static long vfioDfIoctlBindIommufd(VfioDeviceFile df, UserBuffer arg) {
        VfioDevice device = df.device();
        final int minsz = VfioDeviceBindIommufd.SIZE;
        byte[] head = new byte[minsz];
        if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioDeviceBindIommufd bind = VfioDeviceBindIommufd.decode(head, 0);
        if (bind.argsz() < minsz || bind.flags() != 0 || bind.iommufd() < 0) {
            return -EINVAL;
        }
        if (df.group()) {
            return -EINVAL;
        }
        int ret = VfioGroup.vfioDeviceBlockGroup(device);
        if (ret != 0) {
            return ret;
        }
        synchronized (device.devSetLock()) {
            if (df.accessGranted()) {
                ret = -EINVAL;
            } else {
                ret = device.open(df);
                if (ret == 0) {
                    byte[] id = new byte[4];
                    LE.putU32(id, 0, FIRST_OBJECT_ID);
                    if (arg.copyToUser(VfioDeviceBindIommufd.outDevidOffset(), id, 0, 4) != 0) {
                        device.close();
                        ret = -EFAULT;
                    } else {
                        df.grantAccess();
                        if (df.policy().create() == SeriesPolicy.Create.OPEN
                                && device.ops().getRegionInfoObj() != null) {
                            VfioMain.vfioDfMmapPopulate(df);
                        }
                        return 0;
                    }
                }
            }
        }
        VfioGroup.vfioDeviceUnblockGroup(device);
        return ret;
    }

    /** {@code vfio_df_unbind_iommufd}: a bound file's release closes the device. */
    @Models("drivers/vfio/device_cdev.c:vfio_df_unbind_iommufd")
    static void vfioDfUnbindIommufd(VfioDeviceFile df) {
        if (!df.accessGranted()) {
            return;
        }
        VfioDevice device = df.device();
        synchronized (device.devSetLock()) {
            device.close();
        }
        VfioGroup.vfioDeviceUnblockGroup(device);
    }
}
