package vfiowb.common.conformance.scenarios;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import vfiowb.common.conformance.DeviceFile;
import vfiowb.common.conformance.DeviceProfile;
import vfiowb.common.conformance.Fmt;
import vfiowb.common.conformance.Limits;
import vfiowb.common.conformance.MsixCarve.Area;
import vfiowb.common.conformance.Transcript;
import vfiowb.common.mm.Mman;
import vfiowb.common.mm.PageTable;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;

/** userspace-clients §3.7: large regions and limits (LG-01, LG-02). */
final class LimitScenarios {
    private static final long GIB4 = 4L << 30;
    private static final long TIB = 1L << 40;

    private LimitScenarios() {}

    static List<Scenario> all() {
        return List.of(
                Scenario.of("LG-01", "Large 64-bit BARs: exact size, QEMU-aligned mapping",
                        d -> d.mmapRegions().stream().anyMatch(r -> Long.compareUnsigned(r.size(), GIB4) >= 0),
                        LimitScenarios::lg01),
                Scenario.of("LG-02", "Regions of 1 TiB or more: offsets past 1 TiB (undefined upstream)",
                        d -> d.okRegions().stream().anyMatch(r -> Long.compareUnsigned(r.size(), TIB) >= 0),
                        LimitScenarios::lg02));
    }

    private static void expectSpecSize(DeviceProfile d, DeviceFile f, long i, long size) {
        if (d.coreRegion(i) && i <= 5 && d.pciSpec().isPresent()) {
            f.transcript().expectEquals(Fmt.hex(d.pciSpec().get().bar((int) i).size()), Fmt.hex(size),
                    "the exact 64-bit size");
        }
    }

    static String entries(Map<PageTable.Level, Long> m) {
        return m.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ", "{", "}"));
    }

    private static void lg01(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        for (DeviceProfile.Region r : d.mmapRegions()) {
            if (Long.compareUnsigned(r.size(), GIB4) < 0) {
                continue;
            }
            long i = r.index();
            t.begin(f.name(i));
            DeviceFile.RegionInfoCall c = f.requireRegionInfo(i);
            expectSpecSize(d, f, i, c.head().size());
            Area a = Support.areas(r).get(0);
            long align = Limits.qemuAlignment(a.size());
            if (!Limits.mmapFits(d.arch(), f.offsetOf(i) + a.offset(), a.size())) {
                f.reserve(a.size() + align);
                t.add("does not fit " + d.arch().cliName() + "'s mmap limits: QEMU traps the BAR");
                t.end();
                continue;
            }
            Optional<Mapping> res = f.reserve(a.size() + align);
            if (res.isEmpty()) {
                t.end();
                continue;
            }
            long base = res.get().addr();
            long aligned = (base + align - 1) & -align;
            f.unmapQuietly(base, aligned - base);
            f.unmapQuietly(aligned + a.size(), align - (aligned - base));
            t.add("window aligned to " + Fmt.hex(align));
            DeviceFile.MmapCall mc = f.mmap(aligned, a.size(), Support.prot(c.head().flags()),
                    Mman.MAP_SHARED | Mman.MAP_FIXED, i, a.offset());
            t.expect(mc.ok() && mc.mapped().mapping().addr() == aligned,
                    "the aligned MAP_FIXED mapping succeeds there", mc.ok() ? "elsewhere" : Fmt.errno(mc.errno()));
            if (mc.ok()) {
                f.load(mc.mapped(), a.offset(), 4);
                long last = Math.min(a.end(), a.offset() + TIB) - 4;
                Support.compareWithPread(f, mc.mapped(), last, d.coreRegion(i));
                t.add("page-table entries after touching the first page and the last below 1 TiB: "
                        + entries(mc.mapped().mapping().pageTableEntries()));
                f.munmap(mc.mapped());
            }
            t.end();
        }
    }

    private static void lg02(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        for (DeviceProfile.Region r : d.okRegions()) {
            if (Long.compareUnsigned(r.size(), TIB) < 0) {
                continue;
            }
            long i = r.index();
            t.begin(f.name(i));
            DeviceFile.RegionInfoCall c = f.requireRegionInfo(i);
            expectSpecSize(d, f, i, c.head().size());
            t.add("offsets past 1 TiB inside one region: no rule upstream (index << 40 aliases them); "
                    + "outcomes recorded");
            f.pread(i, TIB + 8, 8);
            if (r.mmap() && Limits.mmapFits(d.arch(), f.offsetOf(i), r.size())) {
                DeviceFile.MmapCall mc = f.mmap(0, r.size(), Support.prot(c.head().flags()),
                        Mman.MAP_SHARED, i, 0);
                if (mc.ok()) {
                    f.load(mc.mapped(), 0, 4);
                    f.load(mc.mapped(), TIB + 8, 4);
                    f.munmap(mc.mapped());
                }
            }
            t.end();
        }
    }
}
