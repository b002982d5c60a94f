package vfiowb.common.conformance.clients;

import java.util.ArrayList;
import java.util.List;
import vfiowb.common.conformance.Fmt;
import vfiowb.common.conformance.Transcript;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.mm.Mman;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.SigbusException;

/**
 * intel/qatlib's vfio backend as userspace-clients §1 describes it (qat_direct/vfio/vfio_lib.c):
 * PCI_COMMAND written at the hard-coded config offset {@code 7 << 40} before any REGION_INFO;
 * every index below {@code num_regions} asked with argsz 32, the return value ignored (a failed
 * query leaves a zeroed reply, which is skipped); every region with MMAP and WRITE mapped whole,
 * read-write and shared, a failed mmap silently ignored; the mappings kept in index order and
 * "the second mappable region" taken as the PMISC BAR, whose first register it reads.
 *
 * <p>Anything that changes which regions advertise MMAP and WRITE, or their order, changes which
 * BAR qatlib takes for PMISC: the WC variants must leave that alone.
 */
public final class QatlibClient implements Client {
    private static final long CONFIG_OFFSET = 7L << 40;
    private static final int PCI_COMMAND = 0x04;
    private static final int COMMAND_MEMORY_MASTER = 0x6;

    @Override
    public String name() {
        return "qatlib";
    }

    @Override
    public void run(Process p, String device, Transcript t) {
        int fd = p.open(device);
        t.add("open " + device);
        try {
            p.pwrite(fd, new byte[] {COMMAND_MEMORY_MASTER, 0}, CONFIG_OFFSET + PCI_COMMAND);
            t.add("PCI_COMMAND written at the hard-coded 7 << 40");
        } catch (ErrnoException e) {
            t.add("PCI_COMMAND write at 7 << 40 -> " + Errno.name(e.errno()) + " (ignored)");
        }
        byte[] dev = new VfioDeviceInfo(VfioDeviceInfo.SIZE, 0, 0, 0, 0, 0).encode();
        p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_INFO, dev);
        long n = VfioDeviceInfo.decode(dev, 0).numRegions();
        t.add("num_regions " + n);
        List<Mapping> positional = new ArrayList<>();
        List<Long> indexes = new ArrayList<>();
        for (long i = 0; i < Math.min(n, 64); i++) {
            byte[] buf = new VfioRegionInfo(VfioRegionInfo.SIZE, 0, i, 0, 0, 0).encode();
            try {
                p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf);
            } catch (ErrnoException e) {
                buf = new VfioRegionInfo(VfioRegionInfo.SIZE, 0, i, 0, 0, 0).encode();
            }
            VfioRegionInfo r = VfioRegionInfo.decode(buf, 0);
            int want = VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP | VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;
            if ((r.flags() & want) != want || r.size() == 0) {
                t.add("region " + i + ": flags " + VfioRegionInfo.flagNames(r.flags()) + ", not mapped");
                continue;
            }
            try {
                positional.add(p.mmap(0, r.size(), Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED,
                        fd, r.offset()));
                indexes.add(i);
                t.add("region " + i + ": size " + Fmt.hex(r.size()) + " mapped as BAR #" + (positional.size() - 1));
            } catch (ErrnoException e) {
                t.add("region " + i + ": mmap " + Errno.name(e.errno()) + " (ignored)");
            }
        }
        if (positional.size() < 2) {
            t.add("qatlib: fewer than two mappable regions: no PMISC BAR");
            return;
        }
        try {
            long v = positional.get(1).load(0, 4);
            t.add("PMISC BAR is region " + indexes.get(1) + "; its first register reads " + Fmt.hex(v));
        } catch (SigbusException e) {
            t.add("PMISC BAR is region " + indexes.get(1) + "; reading it raises SIGBUS");
        }
    }
}
