package vfiowb.common.stage;

import java.util.List;
import vfiowb.common.NotModelledException;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.Device;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.PhysicalMemory;
import vfiowb.common.userspace.KernelFile;

/**
 * A booted stage as userspace sees it: a machine of one architecture with devices bound to
 * their VFIO drivers, reachable by name. {@link vfiowb.common.userspace.Process} is built on
 * it.
 */
public interface VfioHost {
    Arch arch();

    /** What page-table entries reach: the host's RAM and device MMIO. */
    PhysicalMemory physicalMemory();

    /**
     * Opens a new file on the named device, as opening its cdev or {@code
     * VFIO_GROUP_GET_DEVICE_FD} would.
     *
     * @throws ErrnoException ENOENT for an unknown device (or the driver's open errno)
     */
    KernelFile open(String deviceName);

    /**
     * Opens the named device's cdev ({@code /dev/vfio/devices/vfioN}): a new file whose access
     * is blocked until {@code VFIO_DEVICE_BIND_IOMMUFD} opens the device, which the kernel
     * refuses while any other file has it open.
     *
     * @throws ErrnoException ENOENT for an unknown device
     * @throws NotModelledException for a host whose stage has no cdev
     */
    default KernelFile openCdev(String deviceName) {
        throw new NotModelledException("this host opens devices through their group only");
    }

    /** The devices that can be opened, in a stable order. */
    List<String> deviceNames();

    /**
     * The hardware behind a device name.
     *
     * @throws ErrnoException ENOENT for an unknown device
     */
    Device device(String name);

    /**
     * The policy the host booted under; a {@link vfiowb.common.userspace.Process} takes its mm
     * placement from it.
     */
    default SeriesPolicy policy() {
        return SeriesPolicy.DEFAULT;
    }
}
