package vfiowb.common.uapi;

import vfiowb.common.Models;

/**
 * {@code struct vfio_device_info} (24 bytes), the argument of {@code VFIO_DEVICE_GET_INFO}
 * (kernel-facts §A.2).
 *
 * <p>{@code num_regions} is the highest region index + 1, not a count of implemented regions.
 * Device-info capabilities ({@code cap_offset}, {@link #VFIO_DEVICE_FLAGS_CAPS}) use their own id
 * space, listed below. {@code pad} was added with the 2023 series that aligned capability chains
 * to 8 bytes; headers older than that declare a 20-byte struct.
 */
@Models("include/uapi/linux/vfio.h:struct vfio_device_info")
public record VfioDeviceInfo(long argsz, long flags, long numRegions, long numIrqs, long capOffset, long pad)
        implements UapiEncodable {
    public static final UapiStruct LAYOUT = UapiStruct.layout("vfio_device_info")
        .u32("argsz").u32("flags").u32("num_regions").u32("num_irqs").u32("cap_offset").u32("pad")
        .build();
    public static final int SIZE = LAYOUT.size();

    public static final int VFIO_DEVICE_FLAGS_RESET = 1 << 0;
    public static final int VFIO_DEVICE_FLAGS_PCI = 1 << 1;
    public static final int VFIO_DEVICE_FLAGS_PLATFORM = 1 << 2;
    public static final int VFIO_DEVICE_FLAGS_AMBA = 1 << 3;
    public static final int VFIO_DEVICE_FLAGS_CCW = 1 << 4;
    public static final int VFIO_DEVICE_FLAGS_AP = 1 << 5;
    public static final int VFIO_DEVICE_FLAGS_FSL_MC = 1 << 6;
    public static final int VFIO_DEVICE_FLAGS_CAPS = 1 << 7;
    public static final int VFIO_DEVICE_FLAGS_CDX = 1 << 8;

    /** s390 zPCI device-info capability ids (include/uapi/linux/vfio_zdev.h). */
    public static final int VFIO_DEVICE_INFO_CAP_ZPCI_BASE = 1;
    public static final int VFIO_DEVICE_INFO_CAP_ZPCI_GROUP = 2;
    public static final int VFIO_DEVICE_INFO_CAP_ZPCI_UTIL = 3;
    public static final int VFIO_DEVICE_INFO_CAP_ZPCI_PFIP = 4;
    /** Which PCIe AtomicOp completer sizes the device's root port supports. */
    public static final int VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP = 5;
    public static final int VFIO_PCI_ATOMIC_COMP32 = 1 << 0;
    public static final int VFIO_PCI_ATOMIC_COMP64 = 1 << 1;
    public static final int VFIO_PCI_ATOMIC_COMP128 = 1 << 2;

    private static final UapiField ARGSZ = LAYOUT.field("argsz");
    private static final UapiField FLAGS = LAYOUT.field("flags");
    private static final UapiField NUM_REGIONS = LAYOUT.field("num_regions");
    private static final UapiField NUM_IRQS = LAYOUT.field("num_irqs");
    private static final UapiField CAP_OFFSET = LAYOUT.field("cap_offset");
    private static final UapiField PAD = LAYOUT.field("pad");

    private static final String[] FLAG_NAMES = {
        "RESET", "PCI", "PLATFORM", "AMBA", "CCW", "AP", "FSL_MC", "CAPS", "CDX",
    };
    private static final long[] FLAG_BITS = {
        VFIO_DEVICE_FLAGS_RESET, VFIO_DEVICE_FLAGS_PCI, VFIO_DEVICE_FLAGS_PLATFORM,
        VFIO_DEVICE_FLAGS_AMBA, VFIO_DEVICE_FLAGS_CCW, VFIO_DEVICE_FLAGS_AP,
        VFIO_DEVICE_FLAGS_FSL_MC, VFIO_DEVICE_FLAGS_CAPS, VFIO_DEVICE_FLAGS_CDX,
    };

    public VfioDeviceInfo {
        Checks.u32("argsz", argsz);
        Checks.u32("flags", flags);
        Checks.u32("num_regions", numRegions);
        Checks.u32("num_irqs", numIrqs);
        Checks.u32("cap_offset", capOffset);
        Checks.u32("pad", pad);
    }

    /** A reply with {@code pad} 0, as the kernel leaves it. */
    public static VfioDeviceInfo of(long argsz, long flags, long numRegions, long numIrqs, long capOffset) {
        return new VfioDeviceInfo(argsz, flags, numRegions, numIrqs, capOffset, 0);
    }

    public static VfioDeviceInfo decode(byte[] buf, int off) {
        return new VfioDeviceInfo(ARGSZ.getU32(buf, off), FLAGS.getU32(buf, off),
            NUM_REGIONS.getU32(buf, off), NUM_IRQS.getU32(buf, off), CAP_OFFSET.getU32(buf, off),
            PAD.getU32(buf, off));
    }

    /** {@code "RESET|PCI|CAPS"}. */
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
        NUM_REGIONS.putU32(buf, off, numRegions);
        NUM_IRQS.putU32(buf, off, numIrqs);
        CAP_OFFSET.putU32(buf, off, capOffset);
        PAD.putU32(buf, off, pad);
    }
}
