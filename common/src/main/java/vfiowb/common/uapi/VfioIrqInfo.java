package vfiowb.common.uapi;

import vfiowb.common.Models;

/**
 * {@code struct vfio_irq_info} (16 bytes), the argument of {@code VFIO_DEVICE_GET_IRQ_INFO}:
 * userspace gives {@code argsz} and {@code index}, the kernel fills {@code flags} and
 * {@code count} (the number of vectors within the index; 0 when the index is unsupported).
 */
@Models("include/uapi/linux/vfio.h:struct vfio_irq_info")
public record VfioIrqInfo(long argsz, long flags, long index, long count) implements UapiEncodable {
    public static final UapiStruct LAYOUT = UapiStruct.layout("vfio_irq_info")
        .u32("argsz").u32("flags").u32("index").u32("count").build();
    public static final int SIZE = LAYOUT.size();

    /** Signalled through an eventfd set with VFIO_DEVICE_SET_IRQS. */
    public static final int VFIO_IRQ_INFO_EVENTFD = 1 << 0;
    public static final int VFIO_IRQ_INFO_MASKABLE = 1 << 1;
    /** Level-triggered: the kernel masks the line on delivery and userspace unmasks it (INTx). */
    public static final int VFIO_IRQ_INFO_AUTOMASKED = 1 << 2;
    /** The number of vectors cannot grow once enabled without disabling first (MSI, MSI-X). */
    public static final int VFIO_IRQ_INFO_NORESIZE = 1 << 3;

    private static final UapiField ARGSZ = LAYOUT.field("argsz");
    private static final UapiField FLAGS = LAYOUT.field("flags");
    private static final UapiField INDEX = LAYOUT.field("index");
    private static final UapiField COUNT = LAYOUT.field("count");

    private static final String[] FLAG_NAMES = {"EVENTFD", "MASKABLE", "AUTOMASKED", "NORESIZE"};
    private static final long[] FLAG_BITS = {
        VFIO_IRQ_INFO_EVENTFD, VFIO_IRQ_INFO_MASKABLE, VFIO_IRQ_INFO_AUTOMASKED, VFIO_IRQ_INFO_NORESIZE,
    };

    public VfioIrqInfo {
        Checks.u32("argsz", argsz);
        Checks.u32("flags", flags);
        Checks.u32("index", index);
        Checks.u32("count", count);
    }

    public static VfioIrqInfo decode(byte[] buf, int off) {
        return new VfioIrqInfo(ARGSZ.getU32(buf, off), FLAGS.getU32(buf, off), INDEX.getU32(buf, off),
            COUNT.getU32(buf, off));
    }

    public static String flagNames(long flags) {
        return Checks.flags(flags, FLAG_NAMES, FLAG_BITS);
    }

    @Override
    public int encodedSize() {
        return SIZE;
    }

    @Override
    public void encodeInto(byte[] buf, int off) {
        ARGSZ.putU32(buf, off, argsz);
        FLAGS.putU32(buf, off, flags);
        INDEX.putU32(buf, off, index);
        COUNT.putU32(buf, off, count);
    }
}
