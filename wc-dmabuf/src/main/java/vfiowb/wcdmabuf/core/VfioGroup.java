package vfiowb.wcdmabuf.core;

import static vfiowb.common.errno.Errno.EBUSY;

import vfiowb.common.Models;

/**
 * What a device file's open and close see of {@code struct vfio_group} (drivers/vfio/group.c):
 * whether the group's file is open, and how many devices of the group a cdev file has bound.
 * The two paths exclude each other: a group file cannot be opened while a device of the group
 * is bound through its cdev ({@code vfio_group_fops_open}, -EBUSY), and a cdev bind is refused
 * while the group file is open ({@code vfio_device_block_group}, -EBUSY).
 *
 * <p>Simplifications: the model has no IOMMU groups, so each device is alone in its group; and
 * it opens the group file implicitly for each {@code VFIO_GROUP_GET_DEVICE_FD}, holding it
 * exactly as long as the device files opened through it are open (in the kernel every device
 * file holds a reference on the group file, which userspace may keep open longer).
 */
@Models("drivers/vfio/vfio.h:struct vfio_group")
public final class VfioGroup {
    /** {@code group->group_lock}; taken before the device's {@code dev_set->lock}. */
    private final Object groupLock = new Object();
    /** Device files open through the group: while there is one, {@code group->opened_file}. */
    private int groupDeviceFiles;
    /** {@code group->cdev_device_open_cnt}. */
    private int cdevDeviceOpenCnt;

    VfioGroup() {}

    /**
     * {@code vfio_group_fops_open} (its cdev check) then {@code vfio_df_group_open}: -EBUSY
     * while a device of the group is bound through its cdev, else {@code vfio_df_open}.
     */
    @Models({"drivers/vfio/group.c:vfio_group_fops_open", "drivers/vfio/group.c:vfio_df_group_open"})
    static int vfioDfGroupOpen(VfioDeviceFile df) {
        VfioGroup group = df.device().group();
        synchronized (group.groupLock) {
            if (group.cdevDeviceOpenCnt != 0) {
                return -EBUSY;
            }
            df.setGroup();
            int ret = df.device().open(df);
            if (ret == 0) {
                group.groupDeviceFiles++;
            }
            return ret;
        }
    }

    /** {@code vfio_df_group_close}: {@code vfio_df_close} under the group lock. */
    @Models("drivers/vfio/group.c:vfio_df_group_close")
    static void vfioDfGroupClose(VfioDeviceFile df) {
        VfioGroup group = df.device().group();
        synchronized (group.groupLock) {
            df.device().close();
            group.groupDeviceFiles--;
        }
    }

    /**
     * {@code vfio_device_block_group}: -EBUSY while the group's file is open; else one more
     * device of the group is bound through its cdev.
     */
    @Models("drivers/vfio/group.c:vfio_device_block_group")
    static int vfioDeviceBlockGroup(VfioDevice device) {
        VfioGroup group = device.group();
        synchronized (group.groupLock) {
            if (group.groupDeviceFiles != 0) {
                return -EBUSY;
            }
            group.cdevDeviceOpenCnt++;
            return 0;
        }
    }

    /** {@code vfio_device_unblock_group}. */
    @Models("drivers/vfio/group.c:vfio_device_unblock_group")
    static void vfioDeviceUnblockGroup(VfioDevice device) {
        VfioGroup group = device.group();
        synchronized (group.groupLock) {
            if (group.cdevDeviceOpenCnt <= 0) {
                throw new IllegalStateException("unblock of a group no cdev blocked");
            }
            group.cdevDeviceOpenCnt--;
        }
    }
}
