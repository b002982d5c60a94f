package vfiowb.common.uapi;

import vfiowb.common.Models;

/**
 * {@code struct vfio_device_ioeventfd} (32 bytes), the argument of {@code VFIO_DEVICE_IOEVENTFD}
 * (kernel-facts §A.9): when the eventfd {@code fd} fires, the kernel writes {@code data} of the
 * width selected in {@code flags} at {@code offset}; {@code fd} -1 removes a matching ioeventfd.
 *
 * <p>{@code offset} is a <em>device-file offset</em>, the same number space as pread/pwrite and
 * mmap, so vfio-pci decodes the BAR from it with its offset-encoding helpers: ioeventfd is a
 * consumer of the offset layout the series replaces. Exactly one size bit must be set; vfio-pci
 * refuses anything else, and flag bits outside the size bits, with {@code -EINVAL}.
 */
@Models("include/uapi/linux/vfio.h:struct vfio_device_ioeventfd")
public record VfioDeviceIoeventfd(long argsz, long flags, long offset, long data, int fd, long reserved)
        implements UapiEncodable {
    public static final UapiStruct LAYOUT = UapiStruct.layout("vfio_device_ioeventfd")
        .u32("argsz").u32("flags").u64("offset").u64("data").s32("fd").u32("reserved").build();
    public static final int SIZE = LAYOUT.size();

    /** 1-byte write; each size bit's value equals the width in bytes. */
    public static final int VFIO_DEVICE_IOEVENTFD_8 = 1 << 0;
    public static final int VFIO_DEVICE_IOEVENTFD_16 = 1 << 1;
    public static final int VFIO_DEVICE_IOEVENTFD_32 = 1 << 2;
    public static final int VFIO_DEVICE_IOEVENTFD_64 = 1 << 3;

    private static final UapiField ARGSZ = LAYOUT.field("argsz");
    private static final UapiField FLAGS = LAYOUT.field("flags");
    private static final UapiField OFFSET = LAYOUT.field("offset");
    private static final UapiField DATA = LAYOUT.field("data");
    private static final UapiField FD = LAYOUT.field("fd");
    private static final UapiField RESERVED = LAYOUT.field("reserved");

    public VfioDeviceIoeventfd {
        Checks.u32("argsz", argsz);
        Checks.u32("flags", flags);
        Checks.u32("reserved", reserved);
    }

    public static VfioDeviceIoeventfd of(long flags, long offset, long data, int fd) {
        return new VfioDeviceIoeventfd(SIZE, flags, offset, data, fd, 0);
    }

    public static VfioDeviceIoeventfd decode(byte[] buf, int off) {
        return new VfioDeviceIoeventfd(ARGSZ.getU32(buf, off), FLAGS.getU32(buf, off),
            OFFSET.getU64(buf, off), DATA.getU64(buf, off), FD.getS32(buf, off), RESERVED.getU32(buf, off));
    }

    /** {@code flags & VFIO_DEVICE_IOEVENTFD_SIZE_MASK}: the size bits alone. */
    public long sizeBits() {
        return flags & 0xf;
    }

    /** {@code flags & ~VFIO_DEVICE_IOEVENTFD_SIZE_MASK}: bits vfio-pci refuses. */
    public long unknownFlags() {
        return flags & ~0xfL;
    }

    /**
     * Write width in bytes (1, 2, 4 or 8) when exactly one size bit is set ({@code hweight8 == 1}
     * in vfio-pci), else 0.
     */
    public int writeSize() {
        long bits = sizeBits();
        return Long.bitCount(bits) == 1 ? (int) bits : 0;
    }

    @Override
    public int encodedSize() {
        return SIZE;
    }

    @Override
    public void encodeInto(byte[] buf, int off) {
        ARGSZ.putU32(buf, off, argsz);
        FLAGS.putU32(buf, off, flags);
        OFFSET.putU64(buf, off, offset);
        DATA.putU64(buf, off, data);
        FD.putS32(buf, off, fd);
        RESERVED.putU32(buf, off, reserved);
    }
}
