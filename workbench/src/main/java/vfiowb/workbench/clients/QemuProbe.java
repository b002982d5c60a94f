package vfiowb.workbench.clients;

import java.util.ArrayList;
import java.util.List;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.mm.Mman;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIndex;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;

/**
 * QEMU's device setup, reduced to its VFIO calls (hw/vfio/device.c, region.c, pci.c;
 * userspace-clients §1.1): device info; region info of every BAR and config with the
 * grow-and-retry loop; one read of config space; MSI-X found there and its table pages carved
 * out of the BAR's mmap unless the kernel reports MSIX_MAPPABLE; each area mapped MAP_SHARED with
 * the region's READ/WRITE protection (an mmap failure leaves the BAR on the slow path); then one
 * guest access through each mapping.
 *
 * <p>Simplifications: no 9.2-style aligned reservation before the mapping, no VGA, IGD or ROM
 * handling, no interrupts.
 */
public final class QemuProbe implements WalkClient {
    @Override
    public String name() {
        return "qemu";
    }

    @Override
    public String description() {
        return "QEMU-style probe: device info, BAR and config region info (argsz retry), config "
                + "read, MSI-X carve, mmap of each area, one guest access per mapping";
    }

    @Override
    public void run(Process p, String device) {
        int fd = p.open(device);
        VfioDeviceInfo info = Probe.deviceInfo(p, fd);
        boolean pci = (info.flags() & VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI) != 0;
        List<Long> indexes = new ArrayList<>();
        if (pci) {
            for (long i = VfioIndex.VFIO_PCI_BAR0_REGION_INDEX; i <= VfioIndex.VFIO_PCI_BAR5_REGION_INDEX; i++) {
                indexes.add(i);
            }
            indexes.add((long) VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX);
        } else {
            for (long i = 0; i < info.numRegions(); i++) {
                indexes.add(i);
            }
        }
        List<RegionInfoReply> regions = new ArrayList<>();
        for (long i : indexes) {
            regions.add(Probe.regionInfo(p, fd, i, false));
        }
        Probe.Msix msix = null;
        if (pci) {
            VfioRegionInfo cfg = regions.get(regions.size() - 1).info();
            byte[] config = new byte[(int) Math.min(cfg.size(), 4096)];
            p.pread(fd, config, cfg.offset());
            msix = Probe.msix(config);
        }
        for (RegionInfoReply r : regions) {
            VfioRegionInfo ri = r.info();
            if (ri.size() == 0 || !ri.hasFlag(VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP)) {
                continue;
            }
            if (pci && ri.index() > VfioIndex.VFIO_PCI_BAR5_REGION_INDEX) {
                continue;
            }
            mapRegion(p, fd, r, msix);
        }
    }

    private static void mapRegion(Process p, int fd, RegionInfoReply r, Probe.Msix msix) {
        VfioRegionInfo ri = r.info();
        List<Probe.Area> areas = new ArrayList<>();
        if (r.sparseMmap().isPresent()) {
            for (var a : r.sparseMmap().get().areas()) {
                if (a.size() != 0) {
                    areas.add(new Probe.Area(a.offset(), a.size()));
                }
            }
        } else {
            areas.add(new Probe.Area(0, ri.size()));
            if (msix != null && msix.tableBar() == ri.index() && !r.msixMappable()) {
                areas = Probe.carveMsix(ri.size(), msix, p.arch().pageSize());
            }
        }
        int prot = (ri.hasFlag(VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ) ? Mman.PROT_READ : 0)
                | (ri.hasFlag(VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE) ? Mman.PROT_WRITE : 0);
        List<Mapping> maps = new ArrayList<>();
        for (Probe.Area a : areas) {
            try {
                maps.add(p.mmap(0, a.size(), prot, Mman.MAP_SHARED, fd, ri.offset() + a.offset()));
            } catch (ErrnoException e) {
                for (Mapping m : maps) {
                    p.munmap(m);
                }
                return;
            }
        }
        for (Mapping m : maps) {
            if ((prot & Mman.PROT_READ) != 0) {
                m.load(0, 4);
            }
        }
    }
}
