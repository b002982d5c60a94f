package vfiowb.wcdmabuf.core;

import static vfiowb.common.errno.Errno.EINVAL;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
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
    /** {@code vdev->nr_regions} (this series): set by a driver on the mmap_obj path. */
    private volatile int nrRegions;
    /** {@code vdev->mmap_pgoff_end} (this series): the end of every cookie of every file. */
    private final AtomicLong mmapPgoffEnd = new AtomicLong();

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

    /**
     * {@code vdev->nr_regions} (added by this series): how many region indexes the device has, so
     * the core can populate a file's tree at open without parsing the driver's GET_INFO. Drivers
     * on the old paths leave it 0.
     */
    public final int nrRegions() {
        return nrRegions;
    }

    /** Sets {@code vdev->nr_regions}; a driver does it in open_device, before any file sees it. */
    public final void setNrRegions(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("nr_regions " + n);
        }
        nrRegions = n;
    }

    /**
     * {@code vdev->mmap_pgoff_end}: one past the last page of every cookie any file of the device
     * was ever given. Revocation zaps the device inode's range {@code [0, end)}, so it reaches
     * every cookie of every file whatever their layouts (kernel-facts §D.4).
     */
    public final long mmapPgoffEnd() {
        return mmapPgoffEnd.get();
    }

    /** Raises {@link #mmapPgoffEnd()} to cover a cookie ending before page {@code end}. */
    final void noteMmapPgoffEnd(long end) {
        mmapPgoffEnd.accumulateAndGet(end,
                (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
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
