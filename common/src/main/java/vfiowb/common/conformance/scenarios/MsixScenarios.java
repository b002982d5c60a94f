package vfiowb.common.conformance.scenarios;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import vfiowb.common.conformance.DeviceFile;
import vfiowb.common.conformance.DeviceProfile;
import vfiowb.common.conformance.Fmt;
import vfiowb.common.conformance.Limits;
import vfiowb.common.conformance.MsixCarve;
import vfiowb.common.conformance.MsixLocation;
import vfiowb.common.conformance.Transcript;
import vfiowb.common.errno.Errno;
import vfiowb.common.mm.Mman;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.VfioIndex;
import vfiowb.common.userspace.Process;

/** userspace-clients §3.5: MSI-X (MSIX-01, 03, 04, 05). */
final class MsixScenarios {
    private static final int CONFIG = VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX;
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;

    private MsixScenarios() {}

    static List<Scenario> all() {
        return List.of(
                Scenario.of("MSIX-01", "MSI-X-mappable BAR: the capability and a whole-BAR mapping",
                        MsixScenarios::msix01Applies, MsixScenarios::msix01),
                Scenario.of("MSIX-03", "Table not aligned to the host page (64 KiB pages)",
                        d -> tableRegion(d).filter(r -> r.size() > 0).isPresent()
                                && !d.arch().isPageAligned(d.msix().get().tableOffset()),
                        MsixScenarios::msix03),
                Scenario.of("MSIX-04", "PBA offset beyond its BAR",
                        MsixScenarios::msix04Applies, MsixScenarios::msix04),
                Scenario.of("MSIX-05", "Sub-page BAR containing the MSI-X table",
                        d -> tableRegion(d).filter(r -> r.size() > 0 && r.size() < d.pageSize())
                                .isPresent(),
                        MsixScenarios::msix05));
    }

    private static Optional<DeviceProfile.Region> tableRegion(DeviceProfile d) {
        if (!d.isPci() || d.msix().isEmpty()) {
            return Optional.empty();
        }
        return d.region(d.msix().get().tableBar());
    }

    private static boolean msix01Applies(DeviceProfile d) {
        if (!d.isPci()) {
            return false;
        }
        boolean anyCap = d.okRegions().stream().anyMatch(DeviceProfile.Region::msixMappable);
        return anyCap || tableRegion(d).filter(DeviceProfile.Region::mmap).isPresent();
    }

    private static void msix01(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        Optional<MsixLocation> m = d.msix();
        for (long i = 0; i <= VfioIndex.VFIO_PCI_BAR5_REGION_INDEX; i++) {
            Optional<DeviceProfile.Region> r = d.region(i);
            if (r.isEmpty() || r.get().size() == 0) {
                continue;
            }
            DeviceFile.RegionInfoCall c = f.requireRegionInfo(i);
            if (d.coreRegion(i) && d.pciSpec().isPresent()) {
                boolean expected = m.isPresent() && m.get().tableBar() == i && c.hasFlag(Support.MMAP);
                t.expect(c.msixMappable() == expected, f.name(i) + ": MSIX_MAPPABLE exactly when it is "
                        + "the mappable BAR holding the table", c.msixMappable() ? "present" : "absent");
            }
            if (!c.msixMappable() || !c.hasFlag(Support.MMAP)) {
                continue;
            }
            for (MsixCarve.Area a : Support.areas(r.get())) {
                DeviceFile.MmapCall mc = Support.mapArea(f, 0, a.size(), RW, Mman.MAP_SHARED, i, a.offset(), true);
                if (!mc.ok()) {
                    continue;
                }
                if (m.isPresent() && m.get().tableBar() == i && m.get().tableOffset() >= a.offset()
                        && m.get().tableOffset() + 16 <= a.end()) {
                    DeviceFile.Access l = f.load(mc.mapped(), m.get().tableOffset() + 12, 4);
                    t.expect(l.ok(), "the table's first vector control word loads through the mapping",
                            l.signal());
                }
                f.munmap(mc.mapped());
            }
        }
    }

    private static void msix03(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        MsixLocation m = d.msix().orElseThrow();
        int bar = m.tableBar();
        DeviceFile.RegionInfoCall c = f.requireRegionInfo(bar);
        long size = c.head().size();
        long page = d.pageSize();
        List<MsixCarve.Area> qemu = MsixCarve.qemu(size, m.tableOffset(), m.tableSize(), page);
        t.add("QEMU without MSIX_MAPPABLE would map " + qemu);
        MsixCarve.DpdkPlan dpdk = MsixCarve.dpdk(size, m.tableOffset(), m.tableSize(), page);
        t.add("DPDK without MSIX_MAPPABLE: table_start " + Fmt.hex(dpdk.tableStart()) + ", table_end "
                + Fmt.hex(dpdk.tableEnd()) + (dpdk.skip() ? ", skips the BAR" : ", maps " + dpdk.parts()));
        if (!c.hasFlag(Support.MMAP)) {
            t.add(f.name(bar) + " is not mappable on " + d.arch().cliName() + "; nothing to map");
            return;
        }
        DeviceProfile.Region region = d.region(bar).orElseThrow();
        if (region.cap(RegionCap.Sparse.class).isPresent()) {
            t.add(f.name(bar) + " has sparse areas: DPDK maps those instead");
            return;
        }
        if (!dpdk.skip() && !dpdk.parts().isEmpty() && dpdk.parts().get(0).offset() == 0) {
            MsixCarve.Area first = dpdk.parts().get(0);
            t.add("DPDK's first part, which the kernel rounds up to the page holding the table:");
            DeviceFile.MmapCall mc = Support.mapArea(f, 0, first.size(), RW, Mman.MAP_SHARED, bar, 0,
                    c.msixMappable());
            if (!c.msixMappable()) {
                t.add("without MSIX_MAPPABLE the outcome is the kernel's choice; recorded");
            }
            if (mc.ok()) {
                f.munmap(mc.mapped());
            }
        }
    }

    private static boolean msix04Applies(DeviceProfile d) {
        if (!d.isPci() || d.msix().isEmpty()) {
            return false;
        }
        MsixLocation m = d.msix().get();
        Optional<DeviceProfile.Region> r = d.region(m.pbaBar());
        return r.isPresent() && r.get().size() > 0 && Long.compareUnsigned(m.pbaOffset(), r.get().size()) >= 0;
    }

    private static void msix04(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        MsixLocation m = d.msix().orElseThrow();
        int bar = m.pbaBar();
        f.requireRegionInfo(CONFIG);
        DeviceFile.RegionInfoCall c = f.requireRegionInfo(bar);
        long size = c.head().size();
        t.add("PBA at " + f.loc(bar, m.pbaOffset()) + ", beyond the " + Fmt.hex(size) + "-byte region");
        if (d.coreRegion(bar) && d.pciSpec().isPresent()) {
            t.expectEquals(Fmt.hex(d.pciSpec().get().bar(bar).size()), Fmt.hex(size),
                    "the region size is the BAR's exact size, so clients can see the mismatch");
        }
        Optional<Long> vendor = f.readValue(CONFIG, 0, 2);
        Optional<Long> device = f.readValue(CONFIG, 2, 2);
        OptionalLong quirk = vendor.isPresent() && device.isPresent()
                ? MsixCarve.qemuPbaQuirk(vendor.get().intValue(), device.get().intValue())
                : OptionalLong.empty();
        t.add(quirk.isPresent() ? "QEMU applies its quirk: PBA at " + Fmt.hex(quirk.getAsLong())
                : "QEMU: no quirk; realize fails unless MSI-X relocation is on");
        DeviceFile.Rw r = f.pread(bar, m.pbaOffset(), 8);
        if (d.coreRegion(bar)) {
            t.expect(r.errno() == Errno.EINVAL, "pread at the reported PBA (beyond the BAR) fails with EINVAL",
                    Fmt.ret(r.ret()));
        }
        if (quirk.isPresent() && quirk.getAsLong() + 8 <= size) {
            DeviceFile.Rw q = f.pread(bar, quirk.getAsLong(), 8);
            t.expectEquals(8L, q.ret(), "pread at the quirk's PBA returns");
        }
    }

    private static void msix05(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        MsixLocation m = d.msix().orElseThrow();
        int bar = m.tableBar();
        DeviceFile.RegionInfoCall c = f.requireRegionInfo(bar);
        long size = c.head().size();
        long page = d.pageSize();
        List<MsixCarve.Area> qemu = MsixCarve.qemu(size, m.tableOffset(), m.tableSize(), page);
        t.add("QEMU without MSIX_MAPPABLE would map " + qemu);
        boolean inside = qemu.stream().allMatch(a -> a.size() > 0 && a.end() <= size);
        t.expect(inside, "the carved areas stay inside the region (no underflow)", qemu.toString());
        MsixCarve.DpdkPlan dpdk = MsixCarve.dpdk(size, m.tableOffset(), m.tableSize(), page);
        t.add("DPDK without MSIX_MAPPABLE: " + (dpdk.skip() ? "skips the BAR" : "maps " + dpdk.parts()));
        if (d.coreRegion(bar)) {
            t.expect(c.msixMappable() == c.hasFlag(Support.MMAP),
                    "a mappable sub-page table BAR carries MSIX_MAPPABLE", c.msixMappable() ? "present"
                            : "absent");
        }
        if (!c.hasFlag(Support.MMAP)) {
            t.add(f.name(bar) + " is not mappable (sub-page, not page aligned, or not on this arch)");
            return;
        }
        if (!Support.inArea(d.region(bar).orElseThrow(), 0, c.head().size())) {
            t.add(f.name(bar) + ": the table page is outside the mappable areas");
            return;
        }
        boolean fits = Limits.mmapFits(d.arch(), f.offsetOf(bar), page);
        DeviceFile.MmapCall mc = Support.mapArea(f, 0, page, RW, Mman.MAP_SHARED, bar, 0, true);
        if (fits && mc.ok()) {
            DeviceFile.Access a = f.load(mc.mapped(), m.tableOffset() + 12, 4);
            t.expect(a.ok(), "the table loads through the page mapping", a.signal());
            f.munmap(mc.mapped());
        }
    }
}
