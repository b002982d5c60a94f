package vfiowb.workbench.clients;

import java.util.ArrayList;
import java.util.List;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.uapi.LE;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.Process;

/**
 * The userspace steps every VFIO client shares, written as the clients write them: device info,
 * region info with the argsz retry, and the config-space reads that find MSI-X.
 */
public final class Probe {
    private static final int PCI_STATUS = 0x06;
    private static final int PCI_STATUS_CAP_LIST = 0x10;
    private static final int PCI_CAPABILITY_LIST = 0x34;
    private static final int PCI_CAP_ID_MSIX = 0x11;

    private Probe() {}

    /** {@code VFIO_DEVICE_GET_INFO} with {@code argsz = sizeof(struct vfio_device_info)}. */
    public static VfioDeviceInfo deviceInfo(Process p, int fd) {
        byte[] buf = new byte[VfioDeviceInfo.SIZE];
        LE.putU32(buf, 0, VfioDeviceInfo.SIZE);
        p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_INFO, buf);
        return VfioDeviceInfo.decode(buf, 0);
    }

    /**
     * {@code VFIO_DEVICE_GET_REGION_INFO} starting with argsz 32 and repeating with the argsz the
     * kernel asks for; {@code untilEqual} repeats while the reply's argsz differs from the one
     * passed (DPDK's {@code !=}), otherwise only while it grows (QEMU's {@code >}).
     *
     * @throws ErrnoException as the ioctl fails
     */
    public static RegionInfoReply regionInfo(Process p, int fd, long index, boolean untilEqual) {
        return RegionInfoReply.decode(regionInfoBytes(p, fd, index, untilEqual));
    }

    /** {@link #regionInfo}, returning the final reply buffer as the kernel left it. */
    public static byte[] regionInfoBytes(Process p, int fd, long index, boolean untilEqual) {
        int argsz = VfioRegionInfo.SIZE;
        for (int tries = 0;; tries++) {
            byte[] buf = VfioRegionInfo.request(index, argsz);
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf);
            long want = VfioRegionInfo.decode(buf, 0).argsz();
            boolean again = untilEqual ? want != argsz : want > argsz;
            if (!again || tries == 8) {
                return buf;
            }
            argsz = (int) Math.min(want, 1 << 20);
        }
    }

    /** The MSI-X capability as config space describes it. */
    public record Msix(int tableBar, long tableOffset, int entries, int pbaBar, long pbaOffset) {
        /** {@code entries * 16}. */
        public long tableSize() {
            return entries * 16L;
        }
    }

    /** Finds MSI-X in a copy of config space; null when the list has none. */
    public static Msix msix(byte[] config) {
        if (config.length < 0x40 || (LE.getU16(config, PCI_STATUS) & PCI_STATUS_CAP_LIST) == 0) {
            return null;
        }
        int pos = config[PCI_CAPABILITY_LIST] & 0xFC;
        for (int hops = 0; pos >= 0x40 && pos + 12 <= config.length && hops < 48; hops++) {
            if ((config[pos] & 0xFF) == PCI_CAP_ID_MSIX) {
                int ctrl = LE.getU16(config, pos + 2);
                long table = LE.getU32(config, pos + 4);
                long pba = LE.getU32(config, pos + 8);
                return new Msix((int) (table & 7), table & ~7L, (ctrl & 0x7FF) + 1, (int) (pba & 7),
                        pba & ~7L);
            }
            pos = config[pos + 1] & 0xFC;
        }
        return null;
    }

    /** An mmappable piece of a region: {@code [offset, offset + size)} inside it. */
    public record Area(long offset, long size) {}

    /**
     * The areas left once the host pages holding the MSI-X table are carved out of a whole
     * region, as QEMU's {@code vfio_pci_fixup_msix_region} and DPDK's {@code pci_vfio_mmap_bar}
     * do when the kernel does not report MSIX_MAPPABLE.
     */
    public static List<Area> carveMsix(long regionSize, Msix msix, long pageSize) {
        long start = msix.tableOffset() & -pageSize;
        long end = (msix.tableOffset() + msix.tableSize() + pageSize - 1) & -pageSize;
        List<Area> out = new ArrayList<>();
        if (start > 0) {
            out.add(new Area(0, start));
        }
        if (end < regionSize) {
            out.add(new Area(end, regionSize - end));
        }
        return out;
    }
}
