package vfiowb.workbench.clients;

import java.util.ArrayList;
import java.util.List;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.mm.Mman;
import vfiowb.common.uapi.LE;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIndex;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionSparseMmapArea;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;

/**
 * DPDK's {@code pci_vfio_map_resource_primary} reduced to its VFIO calls (userspace-clients
 * §1.2): device info; config region info with the {@code !=} argsz loop; config read; for BAR0
 * to BAR5, region info, the BAR register read to skip I/O BARs, and a read-write MAP_SHARED
 * mapping: sparse areas into a PROT_NONE reservation with MAP_FIXED, or the whole BAR minus the
 * MSI-X table pages; then memory and bus-master enable by read-modify-write of PCI_COMMAND,
 * VFIO_DEVICE_RESET (EINVAL tolerated), and one register read per mapping.
 *
 * <p>Simplifications: no interrupts, no hugepage VA hint; a failed mapping fails the probe.
 */
public final class DpdkProbe implements WalkClient {
    private static final int PCI_COMMAND = 0x04;
    private static final int PCI_BASE_ADDRESS_0 = 0x10;
    private static final int MEMORY_AND_MASTER = 0x6;

    @Override
    public String name() {
        return "dpdk";
    }

    @Override
    public String description() {
        return "DPDK-style probe: config region info (argsz != loop), BAR mapping read-write with "
                + "MSI-X carve or sparse areas, memory enable, reset, one register read per mapping";
    }

    @Override
    public void run(Process p, String device) {
        int fd = p.open(device);
        VfioDeviceInfo info = Probe.deviceInfo(p, fd);
        if ((info.flags() & VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI) == 0) {
            throw new ErrnoException(Errno.ENODEV, "DPDK probes PCI devices only");
        }
        VfioRegionInfo cfg = Probe.regionInfo(p, fd, VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX, true).info();
        byte[] config = new byte[(int) Math.min(cfg.size(), 256)];
        p.pread(fd, config, cfg.offset());
        Probe.Msix msix = Probe.msix(config);
        List<Mapping> maps = new ArrayList<>();
        long bars = Math.min(info.numRegions(), VfioIndex.VFIO_PCI_BAR5_REGION_INDEX + 1);
        for (int bar = 0; bar < bars; bar++) {
            RegionInfoReply r = Probe.regionInfo(p, fd, bar, true);
            byte[] reg = new byte[4];
            p.pread(fd, reg, cfg.offset() + PCI_BASE_ADDRESS_0 + 4L * bar);
            if ((LE.getU32(reg, 0) & 1) != 0) {
                continue;
            }
            if (!r.info().hasFlag(VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP)) {
                continue;
            }
            maps.addAll(mapBar(p, fd, r, msix));
        }
        byte[] cmd = new byte[2];
        p.pread(fd, cmd, cfg.offset() + PCI_COMMAND);
        LE.putU16(cmd, 0, LE.getU16(cmd, 0) | MEMORY_AND_MASTER);
        p.pwrite(fd, cmd, cfg.offset() + PCI_COMMAND);
        try {
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_RESET, 0L);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EINVAL) {
                throw e;
            }
        }
        for (Mapping m : maps) {
            m.load(0, 4);
        }
    }

    private static List<Mapping> mapBar(Process p, int fd, RegionInfoReply r, Probe.Msix msix) {
        VfioRegionInfo ri = r.info();
        int rw = Mman.PROT_READ | Mman.PROT_WRITE;
        List<Mapping> out = new ArrayList<>();
        List<VfioRegionSparseMmapArea> sparse = r.sparseMmap().map(s -> s.areas()).orElse(List.of());
        if (!sparse.isEmpty()) {
            Mapping reserve = p.mmap(0, ri.size(), Mman.PROT_NONE,
                    Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS, -1, 0);
            for (VfioRegionSparseMmapArea a : sparse) {
                if (a.size() != 0) {
                    out.add(p.mmap(reserve.addr() + a.offset(), a.size(), rw,
                            Mman.MAP_SHARED | Mman.MAP_FIXED, fd, ri.offset() + a.offset()));
                }
            }
            return out;
        }
        List<Probe.Area> areas = List.of(new Probe.Area(0, ri.size()));
        if (msix != null && msix.tableBar() == ri.index() && !r.msixMappable()) {
            areas = Probe.carveMsix(ri.size(), msix, p.arch().pageSize());
        }
        for (Probe.Area a : areas) {
            out.add(p.mmap(0, a.size(), rw, Mman.MAP_SHARED, fd, ri.offset() + a.offset()));
        }
        return out;
    }
}
