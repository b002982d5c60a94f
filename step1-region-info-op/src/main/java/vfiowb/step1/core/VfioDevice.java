package vfiowb.step1.core;

import static vfiowb.common.errno.Errno.EINVAL;

import java.util.Objects;
import vfiowb.common.Models;
import vfiowb.common.hw.Device;
import vfiowb.common.mm.AddressSpace;
import vfiowb.common.mm.Arch;

/**
 * {@code struct vfio_device}: what the core knows of a bound device. Drivers embed it in their
 * own structure in C ({@code container_of}); here they subclass it.
 *
 * <p>Every file of one device shares the device inode's address space (v6.10,
 * "vfio: Create vfio_fs_type with inode per device"), so a zap reaches the mappings of all
 * files (kernel-facts §D.4).
 */
@Models({"include/linux/vfio.h:struct vfio_device",
        "drivers/vfio/vfio_main.c:vfio_init_device"})
public class VfioDevice {
    private final VfioDeviceOps ops;
    private final Device dev;
    private final Arch arch;
    private final AddressSpace inodeMapping;
    /** {@code dev_set->lock}: the model's device sets hold one device each. */
    private final Object openLock = new Object();
    /** {@code vdev->group}: the model puts every device in a group of its own. */
    private final VfioGroup group = new VfioGroup();
    private int openCount;

    protected VfioDevice(VfioDeviceOps ops, Device dev, Arch arch) {
        this.ops = Objects.requireNonNull(ops, "ops");
        this.dev = Objects.requireNonNull(dev, "dev");
        this.arch = Objects.requireNonNull(arch, "arch");
        this.inodeMapping = new AddressSpace(arch, "vfio-device:" + dev.name());
    }

    /** {@code vdev->ops}. */
    public final VfioDeviceOps ops() {
        return ops;
    }

    /** {@code vdev->dev}: the hardware (or mdev parent) the driver bound. */
    public final Device dev() {
        return dev;
    }

    /** The architecture the kernel runs on (page size, huge page sizes, unsigned long width). */
    public final Arch arch() {
        return arch;
    }

    /** {@code vdev->inode->i_mapping}: the address space shared by every file of the device. */
    public final AddressSpace inodeMapping() {
        return inodeMapping;
    }

    /** {@code vdev->open_count}, under {@code dev_set->lock}. */
    final int openCount() {
        synchronized (openLock) {
            return openCount;
        }
    }

    /** {@code vdev->group}. */
    final VfioGroup group() {
        return group;
    }

    /** {@code vdev->dev_set->lock}, for the cdev bind that holds it across the open. */
    final Object devSetLock() {
        return openLock;
    }

    /**
     * {@code vfio_df_device_first_open} / {@code vfio_df_open}: only a file opened through the
     * group may open a device that is already open (-EINVAL for a cdev file: "the device cdev
     * path doesn't have a secure way for it"); the first open calls {@code open_device}; a
     * failure leaves the count unchanged.
     */
    @Models("drivers/vfio/vfio_main.c:vfio_df_open")
    final int open(VfioDeviceFile df) {
        synchronized (openLock) {
            if (openCount != 0 && !df.group()) {
                return -EINVAL;
            }
            if (openCount == 0 && ops.openDevice() != null) {
                int ret = ops.openDevice().openDevice(this);
                if (ret != 0) {
                    return ret;
                }
            }
            openCount++;
            return 0;
        }
    }

    /** {@code vfio_df_close}: the last close calls {@code close_device}. */
    @Models("drivers/vfio/vfio_main.c:vfio_df_close")
    final void close() {
        synchronized (openLock) {
            if (openCount <= 0) {
                throw new IllegalStateException("close of a device that is not open");
            }
            openCount--;
            if (openCount == 0 && ops.closeDevice() != null) {
                ops.closeDevice().closeDevice(this);
            }
        }
    }

    @Override
    public String toString() {
        return dev.name() + " (" + ops.tableName() + ")";
    }
}
