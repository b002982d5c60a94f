package vfiowb.common.stagetests.drivers.nonpci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import vfiowb.common.errno.Errno;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.UserBuffer;

/**
 * Requests a well-behaved client never makes, for the checks the sample drivers keep against
 * a careless one: a read or write whose user buffer ends before {@code count} (the copy to or
 * from user faults part-way), and a REGION_INFO request whose output fields hold junk. The
 * core's {@code vfio_get_region_info} copies the whole 32-byte head in, so every field a
 * driver leaves alone goes back to user space as the caller wrote it.
 */
public final class UserFaults {
    /** A pattern no driver reports: flags, size and offset of a junk request. */
    public static final long JUNK = 0x5a5a_5a5a_5a5a_5a5aL;

    private UserFaults() {}

    /** The driver's read of {@code count} bytes at {@code pos} into a buffer of {@code room}. */
    public static long readInto(NonPci.Dev d, int room, long count, long pos) {
        return d.file().read(UserBuffer.allocate(room), count, pos);
    }

    /** The driver's write of {@code count} bytes at {@code pos} from a buffer of {@code room}. */
    public static long writeFrom(NonPci.Dev d, int room, long count, long pos) {
        return d.file().write(UserBuffer.allocate(room), count, pos);
    }

    /**
     * VFIO_DEVICE_GET_REGION_INFO for {@code index} with junk in the head's flags, size and
     * offset (cap_offset 0, argsz 256).
     */
    public static RegionInfoReply regionOverJunk(NonPci.Dev d, long index) {
        return regionOverJunk(d, index, 256);
    }

    /** {@link #regionOverJunk(NonPci.Dev, long)} with {@code argsz} (at least 32). */
    public static RegionInfoReply regionOverJunk(NonPci.Dev d, long index, int argsz) {
        byte[] b = new byte[argsz];
        new VfioRegionInfo(argsz, JUNK & 0xFFFF_FFFFL, index, 0, JUNK, JUNK).encodeInto(b, 0);
        d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, b);
        return RegionInfoReply.decode(b);
    }

    /**
     * The errno of VFIO_DEVICE_GET_INFO (argsz 24) and of VFIO_DEVICE_GET_IRQ_INFO (argsz 16,
     * index {@code irq}) whose argument lies in read-only user memory: the driver reads the
     * head and its copy_to_user of the answer faults.
     */
    public static int[] infoIntoReadOnlyMemory(NonPci.Dev d, long irq) {
        byte[] info = VfioDeviceInfo.of(VfioDeviceInfo.SIZE, 0, 0, 0, 0).encode();
        byte[] irqInfo = new VfioIrqInfo(VfioIrqInfo.SIZE, 0, irq, 0).encode();
        return new int[] {
            NonPci.errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_INFO, UserBuffer.readOnly(info))),
            NonPci.errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO, UserBuffer.readOnly(irqInfo))),
        };
    }

    /**
     * Asserts what a sample driver's ioctl does with a 4-byte GET_INFO or GET_IRQ_INFO
     * argument: its {@code copy_from_user} of the head faults, -EFAULT.
     */
    public static void assertShortInfoHeadsEfault(NonPci.Dev d) {
        assertEquals(Errno.EFAULT, NonPci.errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_INFO,
                new byte[4])), "GET_INFO");
        assertEquals(Errno.EFAULT, NonPci.errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO,
                new byte[4])), "GET_IRQ_INFO");
    }

    /**
     * Asserts that REGION_INFO for each of {@code indexes} (argsz {@code argsz}) answers the
     * same flags, size and offset over a junk request as over a clean one: the driver sets all
     * three on every branch.
     */
    public static void assertRegionInfoOverwritesJunk(NonPci.Dev d, int argsz, int... indexes) {
        for (int i : indexes) {
            VfioRegionInfo clean = d.region(i, argsz).info();
            VfioRegionInfo junk = regionOverJunk(d, i, argsz).info();
            assertEquals(clean.flags(), junk.flags(), "flags of " + i);
            assertEquals(clean.size(), junk.size(), "size of " + i);
            assertEquals(clean.offset(), junk.offset(), "offset of " + i);
        }
    }

    /**
     * Asserts that GET_INFO and GET_IRQ_INFO (INTx) into read-only user memory are -EFAULT:
     * the driver reads the head, then its {@code copy_to_user} of the answer faults.
     */
    public static void assertInfoIntoReadOnlyMemoryEfault(NonPci.Dev d) {
        int[] errnos = infoIntoReadOnlyMemory(d, 0);
        assertEquals(Errno.EFAULT, errnos[0], "GET_INFO");
        assertEquals(Errno.EFAULT, errnos[1], "GET_IRQ_INFO");
    }
}
