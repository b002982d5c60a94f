package vfiowb.wcalias.core;

import vfiowb.common.Models;
import vfiowb.common.mm.AddressSpace;
import vfiowb.common.mm.VmArea;
import vfiowb.common.userspace.KernelFile;
import vfiowb.common.userspace.UserBuffer;

/**
 * {@code vfio_device_fops}: the file operations of a device file, each a thin call into
 * {@link VfioMain}. The file's mapping is the device inode's, shared by every file of the
 * device.
 */
@Models("drivers/vfio/vfio_main.c:vfio_device_fops")
public final class VfioDeviceFops implements KernelFile {
    private final VfioDeviceFile df;

    public VfioDeviceFops(VfioDeviceFile df) {
        this.df = df;
    }

    /** {@code filep->private_data}. */
    public VfioDeviceFile deviceFile() {
        return df;
    }

    @Override
    public long read(UserBuffer buf, long count, long pos) {
        return VfioMain.vfioDeviceFopsRead(df, buf, count, pos);
    }

    @Override
    public long write(UserBuffer buf, long count, long pos) {
        return VfioMain.vfioDeviceFopsWrite(df, buf, count, pos);
    }

    @Override
    public long unlockedIoctl(int cmd, UserBuffer arg) {
        return VfioMain.vfioDeviceFopsUnlIoctl(df, cmd, arg);
    }

    @Override
    public int mmap(VmArea vma) {
        return VfioMain.vfioDeviceFopsMmap(df, vma);
    }

    @Override
    public void release() {
        VfioMain.vfioDeviceFopsRelease(df);
    }

    @Override
    public AddressSpace mapping() {
        return df.device().inodeMapping();
    }

    /** The tree, once the driver is on the cookie path (null before). */
    @Override
    public String mmapTreeDump() {
        return df.device().ops().getRegionInfoObj() == null ? null : df.mmapTreeDump();
    }

    /** The tree's range count, once the driver is on the cookie path (-1 before). */
    @Override
    public long mmapCookieCount() {
        return df.device().ops().getRegionInfoObj() == null ? -1 : df.cookieCount();
    }

    /** {@link VfioDeviceFile#validate()}, once the driver is on the cookie path. */
    @Override
    public void validateMmapTree() {
        if (df.device().ops().getRegionInfoObj() != null) {
            df.validate();
        }
    }

    @Override
    public String name() {
        return "vfio-device:" + df.device().dev().name();
    }
}
