package vfiowb.common.conformance.scenarios;

import java.util.Arrays;
import java.util.List;
import vfiowb.common.conformance.DeviceFile;
import vfiowb.common.conformance.DeviceProfile;
import vfiowb.common.conformance.Fmt;
import vfiowb.common.conformance.Transcript;
import vfiowb.common.mm.Mman;
import vfiowb.common.userspace.Process;

/** userspace-clients §3.9: dynamic behaviour (DY-01, DY-02). */
final class DynamicScenarios {
    private static final long STORED = 0xA5A5_A5A5L;

    private DynamicScenarios() {}

    static List<Scenario> all() {
        return List.of(
                Scenario.of("DY-01", "Alternating mmap and read/write access to one register",
                        d -> Support.coreMemBar(d, 4, true).isPresent(), DynamicScenarios::dy01),
                Scenario.of("DY-02", "A sub-page BAR mapped as a whole page",
                        d -> subPage(d) != null, DynamicScenarios::dy02));
    }

    private static DeviceProfile.Region subPage(DeviceProfile d) {
        for (DeviceProfile.Region r : d.mmapRegions()) {
            if (r.size() < d.pageSize() && r.size() % 4 == 0 && Support.pageFits(d, r, 0)) {
                return r;
            }
        }
        return null;
    }

    private static void dy01(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        DeviceProfile.Region r = Support.coreMemBar(d, 4, true).orElseThrow();
        long i = r.index();
        long s = Support.scratchOf(d, r, 4);
        f.requireRegionInfo(i);
        DeviceFile.MmapCall mc = f.mmap(0, d.pageSize(), Mman.PROT_READ | Mman.PROT_WRITE,
                Mman.MAP_SHARED, i, Support.pageOf(d, s));
        if (!t.expect(mc.ok(), "the BAR page maps", Fmt.errno(mc.errno()))) {
            return;
        }
        for (int k = 0; k < 3; k++) {
            long viaMap = 0xD100_0000L + k;
            f.store(mc.mapped(), s, 4, viaMap);
            t.expectEquals(Fmt.hex(viaMap), Support.show(f.pread(i, s, 4), 4), "pread after a store");
            long viaWrite = 0xD200_0000L + k;
            f.pwrite(i, s, Fmt.le(viaWrite, 4));
            DeviceFile.Access a = f.load(mc.mapped(), s, 4);
            t.expectEquals(Fmt.hex(viaWrite), a.ok() ? Fmt.hex(a.value()) : a.signal(), "load after a pwrite");
        }
        f.munmap(mc.mapped());
    }

    private static void dy02(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        DeviceProfile.Region r = subPage(d);
        long i = r.index();
        DeviceFile.RegionInfoCall c = f.requireRegionInfo(i);
        long size = c.head().size();
        DeviceFile.MmapCall mc = Support.mapArea(f, 0, d.pageSize(), Support.prot(c.head().flags())
                | Mman.PROT_READ, Mman.MAP_SHARED, i, 0, d.coreRegion(i));
        if (!mc.ok()) {
            return;
        }
        byte[] before = f.pread(i, 0, (int) size).data();
        f.load(mc.mapped(), size, 4);
        DeviceFile.Access st = f.store(mc.mapped(), size, 4, STORED);
        DeviceFile.Access back = f.load(mc.mapped(), size, 4);
        byte[] after = f.pread(i, 0, (int) size).data();
        t.expect(Arrays.equals(before, after), "a store past the BAR leaves the BAR unchanged", "it changed");
        if (d.coreRegion(i)) {
            t.expect(st.ok() && back.ok() && back.value() != STORED,
                    "nothing decodes past the BAR in its page (the kernel reserved it): the store does not stick",
                    back.ok() ? Fmt.hex(back.value()) : back.signal());
        }
        f.munmap(mc.mapped());
    }
}
