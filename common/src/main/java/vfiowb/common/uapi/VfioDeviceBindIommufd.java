package vfiowb.common.uapi;

import vfiowb.common.Models;

/**
 * {@code struct vfio_device_bind_iommufd} (16 bytes), the argument of
 * {@code VFIO_DEVICE_BIND_IOMMUFD} on a device's cdev ({@code /dev/vfio/devices/vfioN}): binds
 * the file to the iommufd context {@code iommufd}, opens the device and returns the device's
 * object id in that context in {@code out_devid}. {@code flags} must be 0 and {@code iommufd} not
 * negative. Only a cdev file takes it; a group file refuses it with {@code -EINVAL}.
 */
@Models("include/uapi/linux/vfio.h:struct vfio_device_bind_iommufd")
public record VfioDeviceBindIommufd(long argsz, long flags, int iommufd, long outDevid)
        implements UapiEncodable {
    public static final UapiStruct LAYOUT = UapiStruct.layout("vfio_device_bind_iommufd")
        .u32("argsz").u32("flags").s32("iommufd").u32("out_devid").build();
    /** {@code offsetofend(struct vfio_device_bind_iommufd, out_devid)}: the kernel's minsz. */
    public static final int SIZE = LAYOUT.size();

    private static final UapiField ARGSZ = LAYOUT.field("argsz");
    private static final UapiField FLAGS = LAYOUT.field("flags");
    private static final UapiField IOMMUFD = LAYOUT.field("iommufd");
    private static final UapiField OUT_DEVID = LAYOUT.field("out_devid");

    public VfioDeviceBindIommufd {
        Checks.u32("argsz", argsz);
        Checks.u32("flags", flags);
        Checks.u32("out_devid", outDevid);
    }

    /** A request binding to iommufd descriptor {@code iommufd}. */
    public static VfioDeviceBindIommufd of(int iommufd) {
        return new VfioDeviceBindIommufd(SIZE, 0, iommufd, 0);
    }

    public static VfioDeviceBindIommufd decode(byte[] buf, int off) {
        return new VfioDeviceBindIommufd(ARGSZ.getU32(buf, off), FLAGS.getU32(buf, off),
            IOMMUFD.getS32(buf, off), OUT_DEVID.getU32(buf, off));
    }

    /** The offset of {@code out_devid}, where the kernel copies the id back. */
    public static int outDevidOffset() {
        return OUT_DEVID.offset();
    }

    @Override
    public int encodedSize() {
        return SIZE;
    }

    @Override
    public void encodeInto(byte[] buf, int off) {
        ARGSZ.putU32(buf, off, argsz);
        FLAGS.putU32(buf, off, flags);
        IOMMUFD.putS32(buf, off, iommufd);
        OUT_DEVID.putU32(buf, off, outDevid);
    }
}
