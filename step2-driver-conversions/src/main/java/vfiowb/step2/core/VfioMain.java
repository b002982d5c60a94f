package vfiowb.step2.core;

import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.errno.Errno.ENOTTY;

import vfiowb.common.Models;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.mm.VmArea;
import vfiowb.common.uapi.VfioDeviceFeature;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfoStruct;
import vfiowb.common.userspace.UserBuffer;

/**
 * The device-file half of drivers/vfio/vfio_main.c: ioctl, read, write and mmap dispatch from a
 * {@link VfioDeviceFile} to the driver's {@link VfioDeviceOps}, and the REGION_INFO copy logic
 * the core owns since v6.19.
 *
 * <p>Simplifications: no runtime PM get/put around ioctls, no iommufd bind/attach (files are
 * opened the group way, with access granted), no migration or DMA-logging features (those
 * return -ENOTTY as for a driver without {@code mig_ops}/{@code log_ops}).
 */
@Models("drivers/vfio/vfio_main.c")
public final class VfioMain {
    /** {@code VFIO_DEVICE_FEATURE_MASK}: the low 16 bits of the flags select the feature. */
    private static final int VFIO_DEVICE_FEATURE_MASK = 0xffff;

    private VfioMain() {}

    /** {@code vfio_device_fops_unl_ioctl}: the core decodes FEATURE and REGION_INFO. */
    @Models("drivers/vfio/vfio_main.c:vfio_device_fops_unl_ioctl")
    public static long vfioDeviceFopsUnlIoctl(VfioDeviceFile df, int cmd, UserBuffer arg) {
        VfioDevice device = df.device();
        if (cmd == VfioIoctl.VFIO_DEVICE_BIND_IOMMUFD) {
            return VfioDeviceCdev.vfioDfIoctlBindIommufd(df, arg);
        }
        if (!df.accessGranted()) {
            return -EINVAL;
        }
        switch (cmd) {
            case VfioIoctl.VFIO_DEVICE_FEATURE:
                return vfioIoctlDeviceFeature(device, arg);
            case VfioIoctl.VFIO_DEVICE_GET_REGION_INFO:
                return vfioGetRegionInfo(device, arg);
            default:
                if (device.ops().ioctl() == null) {
                    return -EINVAL;
                }
                return device.ops().ioctl().ioctl(device, cmd, arg);
        }
    }

    /**
     * {@code vfio_get_region_info} as merged for v6.19 ("vfio: Remove the get_region_info op"):
     * the op is required; the core copies the 32-byte head in, lets the driver fill it and build
     * a capability chain, and applies the too-small-buffer rule itself.
     */
    @Models("drivers/vfio/vfio_main.c:vfio_get_region_info")
    public static long vfioGetRegionInfo(VfioDevice device, UserBuffer arg) {
        final int minsz = VfioRegionInfo.SIZE;
        VfioInfoCap caps = new VfioInfoCap();

        if (device.ops().getRegionInfoCaps() == null) {
            return -EINVAL;
        }
        byte[] head = new byte[minsz];
        if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioRegionInfoStruct info = new VfioRegionInfoStruct(VfioRegionInfo.decode(head, 0));
        if (info.argsz() < minsz) {
            return -EINVAL;
        }

        int ret = device.ops().getRegionInfoCaps().getRegionInfoCaps(device, info, caps);
        if (ret != 0) {
            return ret;
        }

        if (caps.size() != 0) {
            info.setFlags(info.flags() | VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS);
            if (info.argsz() < (long) minsz + caps.size()) {
                info.setArgsz(minsz + caps.size());
                info.setCapOffset(0);
            } else {
                VfioInfoCap.vfioInfoCapShift(caps, minsz);
                byte[] chain = caps.bytes();
                if (arg.copyToUser(minsz, chain, 0, chain.length) != 0) {
                    return -EFAULT;
                }
                info.setCapOffset(minsz);
            }
        }

        if (arg.copyToUser(0, info.toUapi().encode(), 0, minsz) != 0) {
            return -EFAULT;
        }
        return 0;
    }

    /**
     * {@code vfio_ioctl_device_feature}: header checks, then the driver's
     * {@code device_feature}; -ENOTTY for a feature nobody implements (v6.18).
     */
    @Models("drivers/vfio/vfio_main.c:vfio_ioctl_device_feature")
    static long vfioIoctlDeviceFeature(VfioDevice device, UserBuffer arg) {
        final int minsz = VfioDeviceFeature.SIZE;
        byte[] head = new byte[minsz];
        if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioDeviceFeature feature = VfioDeviceFeature.decode(head, 0);
        if (feature.argsz() < minsz) {
            return -EINVAL;
        }
        int flags = (int) feature.flags();
        int known = VFIO_DEVICE_FEATURE_MASK | VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET
                | VfioDeviceFeature.VFIO_DEVICE_FEATURE_GET | VfioDeviceFeature.VFIO_DEVICE_FEATURE_PROBE;
        if ((flags & ~known) != 0) {
            return -EINVAL;
        }
        if ((flags & VfioDeviceFeature.VFIO_DEVICE_FEATURE_PROBE) == 0
                && (flags & VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET) != 0
                && (flags & VfioDeviceFeature.VFIO_DEVICE_FEATURE_GET) != 0) {
            return -EINVAL;
        }
        switch (flags & VFIO_DEVICE_FEATURE_MASK) {
            case VfioDeviceFeature.VFIO_DEVICE_FEATURE_MIGRATION:
            case VfioDeviceFeature.VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE:
            case VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_LOGGING_START:
            case VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP:
            case VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT:
            case VfioDeviceFeature.VFIO_DEVICE_FEATURE_MIG_DATA_SIZE:
                return -ENOTTY;
            default:
                if (device.ops().deviceFeature() == null) {
                    return -ENOTTY;
                }
                return device.ops().deviceFeature().deviceFeature(device, flags,
                        arg, feature.argsz() - minsz);
        }
    }

    /**
     * {@code vfio_check_feature()} (include/linux/vfio.h), what a {@code device_feature}
     * handler calls first: a GET or SET the feature does not support -EINVAL, PROBE answers 0,
     * neither GET nor SET -EINVAL, a payload below {@code minsz} -EINVAL, else 1 ("go on").
     */
    @Models("include/linux/vfio.h:vfio_check_feature")
    public static int vfioCheckFeature(int flags, long argsz, int supportedOps, long minsz) {
        int getSet = VfioDeviceFeature.VFIO_DEVICE_FEATURE_GET | VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET;
        if ((flags & getSet & ~supportedOps) != 0) {
            return -EINVAL;
        }
        if ((flags & VfioDeviceFeature.VFIO_DEVICE_FEATURE_PROBE) != 0) {
            return 0;
        }
        if ((flags & getSet) == 0) {
            return -EINVAL;
        }
        if (argsz < minsz) {
            return -EINVAL;
        }
        return 1;
    }

    /** {@code vfio_device_fops_read}. */
    @Models("drivers/vfio/vfio_main.c:vfio_device_fops_read")
    public static long vfioDeviceFopsRead(VfioDeviceFile df, UserBuffer buf, long count,
            long pos) {
        VfioDevice device = df.device();
        if (!df.accessGranted()) {
            return -EINVAL;
        }
        if (device.ops().read() == null) {
            return -EINVAL;
        }
        return device.ops().read().read(device, buf, count, pos);
    }

    /** {@code vfio_device_fops_write}. */
    @Models("drivers/vfio/vfio_main.c:vfio_device_fops_write")
    public static long vfioDeviceFopsWrite(VfioDeviceFile df, UserBuffer buf, long count,
            long pos) {
        VfioDevice device = df.device();
        if (!df.accessGranted()) {
            return -EINVAL;
        }
        if (device.ops().write() == null) {
            return -EINVAL;
        }
        return device.ops().write().write(device, buf, count, pos);
    }

    /** {@code vfio_device_fops_mmap}: no pgoff decoding here; the driver does it all. */
    @Models("drivers/vfio/vfio_main.c:vfio_device_fops_mmap")
    public static int vfioDeviceFopsMmap(VfioDeviceFile df, VmArea vma) {
        VfioDevice device = df.device();
        if (!df.accessGranted()) {
            return -EINVAL;
        }
        if (device.ops().mmap() == null) {
            return -EINVAL;
        }
        return device.ops().mmap().mmap(device, vma);
    }

    /**
     * Opens a new file on {@code device} the way {@code VFIO_GROUP_GET_DEVICE_FD} does
     * ({@code vfio_df_group_open}): the first open calls {@code open_device}, then access is
     * granted with a store-release.
     *
     * @throws ErrnoException with the driver's error when {@code open_device} fails; the open
     *     count is left as it was
     */
    @Models({"drivers/vfio/group.c:vfio_df_group_open",
            "drivers/vfio/vfio_main.c:vfio_allocate_device_file"})
    public static VfioDeviceFile vfioDeviceOpenFile(VfioDevice device) {
        VfioDeviceFile df = new VfioDeviceFile(device);
        int ret = VfioGroup.vfioDfGroupOpen(df);
        if (ret != 0) {
            throw new ErrnoException(-ret);
        }
        df.grantAccess();
        return df;
    }

    /** {@code vfio_device_fops_release}: the last close calls {@code close_device}. */
    @Models("drivers/vfio/vfio_main.c:vfio_device_fops_release")
    public static void vfioDeviceFopsRelease(VfioDeviceFile df) {
        if (df.group()) {
            VfioGroup.vfioDfGroupClose(df);
        } else {
            VfioDeviceCdev.vfioDfUnbindIommufd(df);
        }
    }
}
