package vfiowb.common.conformance.scenarios;

import static vfiowb.common.conformance.scenarios.Support.R;
import static vfiowb.common.conformance.scenarios.Support.W;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import vfiowb.common.conformance.DeviceFile;
import vfiowb.common.conformance.DeviceProfile;
import vfiowb.common.conformance.DriverFacts;
import vfiowb.common.conformance.Fmt;
import vfiowb.common.conformance.Limits;
import vfiowb.common.conformance.MsixCarve.Area;
import vfiowb.common.conformance.Transcript;
import vfiowb.common.errno.Errno;
import vfiowb.common.mm.Mman;
import vfiowb.common.mm.PgProt;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioRegionSparseMmapArea;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.SegvException;
import vfiowb.common.userspace.SigbusException;

/** userspace-clients §3.4: mmap (MM-01, 02, 03, 06, 07, 08, 09, 11). */
final class MmapScenarios {
    private static final long GIB = 1L << 30;

    private MmapScenarios() {}

    static List<Scenario> all() {
        return List.of(
                Scenario.of("MM-01", "Whole-area shared mapping of every mappable region",
                        d -> !d.mmapRegions().isEmpty(), MmapScenarios::mm01),
                Scenario.of("MM-02", "MAP_PRIVATE refused",
                        d -> !d.mmapRegions().isEmpty(), MmapScenarios::mm02),
                Scenario.of("MM-03", "Reserve-then-MAP_FIXED, aligned and misaligned",
                        d -> fittingRegion(d).isPresent(), MmapScenarios::mm03),
                Scenario.of("MM-06", "Page-unaligned file offset",
                        d -> !d.mmapRegions().isEmpty(), MmapScenarios::mm06),
                Scenario.of("MM-07", "Regions without MMAP cannot be mapped",
                        d -> !unmappable(d).isEmpty(), MmapScenarios::mm07),
                Scenario.of("MM-08", "prot against region flags",
                        d -> fittingRegion(d).isPresent(), MmapScenarios::mm08),
                Scenario.of("MM-09", "A failing second mapping leaves the first intact",
                        d -> fittingRegion(d).isPresent(), MmapScenarios::mm09),
                Scenario.of("MM-11", "Duplicate mappings, reset and fork",
                        d -> Support.coreMemBar(d, 4, true).isPresent(), MmapScenarios::mm11),
                Scenario.of("MM-12", "MAP_PRIVATE accepted: copy-on-write, the device untouched",
                        d -> !privateRegions(d).isEmpty(), MmapScenarios::mm12));
    }

    /**
     * Mappable regions whose driver does not check {@code VM_SHARED} (vfio-cdx, nvgrace-gpu's
     * fake BARs), whose first area's first page the arch can map.
     */
    private static List<DeviceProfile.Region> privateRegions(DeviceProfile d) {
        return d.mmapRegions().stream()
                .filter(r -> !DriverFacts.refusesPrivate(d.spec(), r.index()))
                .filter(r -> Support.pageFits(d, r, Support.areas(r).get(0).offset()))
                .toList();
    }

    /** The first mappable region whose first area's first page the arch can map. */
    static Optional<DeviceProfile.Region> fittingRegion(DeviceProfile d) {
        for (DeviceProfile.Region r : d.mmapRegions()) {
            List<Area> a = Support.areas(r);
            if (DriverFacts.mayRefuseAdvertisedMmap(d.spec(), r.index())) {
                continue;
            }
            if (!a.isEmpty() && Limits.mmapFits(d.arch(), r.info().offset() + a.get(0).offset(),
                    Math.min(d.pageSize(), a.get(0).size()))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    private static List<DeviceProfile.Region> unmappable(DeviceProfile d) {
        return d.okRegions().stream()
                .filter(r -> !r.hasFlag(Support.MMAP)).toList();
    }

    private static void mm01(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        for (DeviceProfile.Region r : d.mmapRegions()) {
            long i = r.index();
            t.begin(f.name(i));
            DeviceFile.RegionInfoCall c = f.requireRegionInfo(i);
            int prot = Support.prot(c.head().flags());
            for (Area a : Support.areas(r)) {
                DeviceFile.MmapCall mc = Support.mapArea(f, 0, a.size(), prot, Mman.MAP_SHARED, i,
                        a.offset(), !DriverFacts.mayRefuseAdvertisedMmap(d.spec(), i));
                if (!mc.ok()) {
                    continue;
                }
                boolean core = d.coreRegion(i);
                if (core && i <= 5) {
                    t.expectEquals(PgProt.UC, mc.mapped().mapping().pgprot(),
                            "vfio-pci maps BARs uncached: pgprot");
                }
                OptionalLong s = Support.scratch(d, i, a.offset(), a.end(), 4);
                if (s.isPresent() && (prot & Mman.PROT_READ) != 0 && r.hasFlag(R)) {
                    Support.compareWithPread(f, mc.mapped(), s.getAsLong(), core);
                }
                f.munmap(mc.mapped());
            }
            t.end();
        }
    }

    private static void mm02(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        DeviceProfile.Region r = fittingRegion(d).orElse(d.mmapRegions().get(0));
        long i = r.index();
        f.requireRegionInfo(i);
        long delta = Support.areas(r).get(0).offset();
        boolean fits = Support.pageFits(d, r, delta);
        DeviceFile.MmapCall mc = f.mmap(0, d.pageSize(), Mman.PROT_READ, Mman.MAP_PRIVATE, i, delta);
        if (!fits) {
            t.expect(!mc.ok() && Limits.isArchLimitErrno(d.arch(), f.offsetOf(i) + delta, mc.errno()),
                    "MAP_PRIVATE beyond the arch's mmap limits fails with the limit's errno",
                    mc.ok() ? "ok" : Fmt.errno(mc.errno()));
        } else if (DriverFacts.refusesPrivate(d.spec(), i)) {
            t.expect(!mc.ok() && mc.errno() == Errno.EINVAL, "MAP_PRIVATE fails with EINVAL",
                    mc.ok() ? "ok" : Fmt.errno(mc.errno()));
        } else {
            t.add("this driver's mmap does not check VM_SHARED (kernel-facts D.6); recorded");
        }
    }

    /**
     * Where a driver lets {@code MAP_PRIVATE} through, the mapping must behave as a private one
     * does, seen against a shared mapping of the same page (the device): a load reads what the
     * device holds (a value stored through the shared mapping first, where writable), a store is copied on write (the private mapping reads it back) and never
     * reaches the device (the shared mapping still reads the old value). nvgrace-gpu's
     * fault-based fake BARs cannot get there upstream: the first fault of the private mapping
     * hits the {@code BUG_ON} against private {@code VM_PFNMAP} mappings in
     * {@code vmf_insert_pfn}, which the run reports.
     */
    private static void mm12(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        for (DeviceProfile.Region r : privateRegions(d)) {
            long i = r.index();
            t.begin(f.name(i));
            f.requireRegionInfo(i);
            long delta = Support.areas(r).get(0).offset();
            int prot = Support.prot(r.info().flags());
            DeviceFile.MmapCall shared = f.mmap(0, d.pageSize(), prot, Mman.MAP_SHARED, i, delta);
            DeviceFile.MmapCall priv = f.mmap(0, d.pageSize(), prot, Mman.MAP_PRIVATE, i, delta);
            t.expect(shared.ok() && priv.ok(), "shared and private mappings of the page succeed",
                    Fmt.errno(shared.errno()) + ", " + Fmt.errno(priv.errno()));
            if (shared.ok() && priv.ok()) {
                privateAgainstShared(f, priv.mapped(), shared.mapped(), delta, prot);
            }
            for (DeviceFile.MmapCall c : List.of(priv, shared)) {
                if (c.ok()) {
                    f.munmap(c.mapped());
                }
            }
            t.end();
        }
    }

    private static void privateAgainstShared(DeviceFile f, DeviceFile.Mapped priv,
            DeviceFile.Mapped shared, long delta, int prot) {
        Transcript t = f.transcript();
        if ((prot & Mman.PROT_WRITE) != 0) {
            f.store(shared, delta, 4, 0x5a5a_5a5aL);
        }
        DeviceFile.Access before = f.load(priv, delta, 4);
        DeviceFile.Access device = f.load(shared, delta, 4);
        if (!before.ok() || !device.ok()) {
            return;
        }
        t.expectEquals(Fmt.hex(device.value()), Fmt.hex(before.value()),
                "a load through the private mapping reads the device");
        if ((prot & Mman.PROT_WRITE) == 0) {
            return;
        }
        long v = ~before.value() & 0xffff_ffffL;
        f.store(priv, delta, 4, v);
        DeviceFile.Access back = f.load(priv, delta, 4);
        t.expect(back.ok() && back.value() == v, "the store is read back through the private mapping",
                back.ok() ? Fmt.hex(back.value()) : back.signal());
        DeviceFile.Access after = f.load(shared, delta, 4);
        t.expect(after.ok() && after.value().equals(device.value()),
                "the device never sees a store to a private mapping",
                after.ok() ? Fmt.hex(after.value()) : after.signal());
    }

    private static void mm03(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        DeviceProfile.Region r = fittingRegion(d).orElseThrow();
        long i = r.index();
        DeviceFile.RegionInfoCall c = f.requireRegionInfo(i);
        int prot = Support.prot(c.head().flags());
        Area a = Support.areas(r).get(0);
        boolean core = d.coreRegion(i);
        OptionalLong s = Support.scratch(d, i, a.offset(), a.end(), 4);

        t.begin("(a) aligned: reserve size + align, trim, MAP_FIXED");
        long align = Math.max(Limits.qemuAlignment(a.size()), 1);
        long len = a.size();
        boolean fits = Limits.mmapFits(d.arch(), f.offsetOf(i) + a.offset(), len);
        Optional<Mapping> res = fits ? f.reserve(len + align) : Optional.empty();
        if (!fits) {
            t.add("the whole area does not fit " + d.arch().cliName() + "'s mmap limits: skipped");
        } else if (res.isPresent()) {
            long base = res.get().addr();
            long aligned = (base + align - 1) & -align;
            f.unmapQuietly(base, aligned - base);
            f.unmapQuietly(aligned + len, align - (aligned - base));
            t.add("window aligned to " + Fmt.hex(align));
            DeviceFile.MmapCall mc = f.mmap(aligned, len, prot, Mman.MAP_SHARED | Mman.MAP_FIXED, i,
                    a.offset());
            t.expect(mc.ok() && mc.mapped().mapping().addr() == aligned,
                    "MAP_FIXED at the aligned window succeeds there", mc.ok() ? "elsewhere"
                            : Fmt.errno(mc.errno()));
            if (mc.ok()) {
                if (s.isPresent()) {
                    Support.compareWithPread(f, mc.mapped(), s.getAsLong(), core);
                }
                f.munmap(mc.mapped());
            }
        }
        t.end();

        t.begin("(b) misaligned: 1 GiB-aligned + one page, MAP_FIXED of min(size, 1 GiB)");
        long l = Math.min(d.arch().pageAlign(a.size()), GIB);
        Optional<Mapping> res2 = f.reserve(GIB + d.pageSize() + l);
        if (res2.isPresent()) {
            long base = res2.get().addr();
            long target = ((base + GIB - 1) & -GIB) + d.pageSize();
            DeviceFile.MmapCall mc = f.mmap(target, l, prot, Mman.MAP_SHARED | Mman.MAP_FIXED, i,
                    a.offset());
            t.expect(mc.ok() && mc.mapped().mapping().addr() == target,
                    "MAP_FIXED at a misaligned address succeeds there", mc.ok() ? "elsewhere"
                            : Fmt.errno(mc.errno()));
            if (mc.ok() && s.isPresent() && s.getAsLong() + 4 <= a.offset() + l) {
                Support.compareWithPread(f, mc.mapped(), s.getAsLong(), core);
            }
            f.unmapQuietly(base, GIB + d.pageSize() + l);
        }
        t.end();
    }

    private static void mm06(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        DeviceProfile.Region r = d.mmapRegions().get(0);
        long i = r.index();
        DeviceFile.RegionInfoCall c = f.requireRegionInfo(i);
        DeviceFile.MmapCall mc = f.mmap(0, d.pageSize(), Support.prot(c.head().flags()),
                Mman.MAP_SHARED, i, 0x10);
        t.expect(!mc.ok() && mc.errno() == Errno.EINVAL, "mmap at region + 0x10 fails with EINVAL",
                mc.ok() ? "ok" : Fmt.errno(mc.errno()));
        for (DeviceProfile.Region sr : d.mmapRegions()) {
            Optional<RegionCap.Sparse> sp = sr.cap(RegionCap.Sparse.class);
            if (sp.isEmpty()) {
                continue;
            }
            for (VfioRegionSparseMmapArea a : sp.get().areas()) {
                t.expect(d.arch().isPageAligned(a.offset()), f.name(sr.index())
                        + " sparse area " + Fmt.hex(a.offset()) + " starts page aligned", "unaligned");
            }
        }
    }

    private static void mm07(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        for (DeviceProfile.Region r : unmappable(d)) {
            long i = r.index();
            f.requireRegionInfo(i);
            boolean fits = Limits.mmapFits(d.arch(), f.offsetOf(i), d.pageSize());
            DeviceFile.MmapCall mc = f.mmap(0, d.pageSize(), Mman.PROT_READ, Mman.MAP_SHARED, i, 0);
            if (fits && d.cookiePath() && r.size() == 0 && DriverFacts.hasMmap(d.spec())) {
                t.expect(!mc.ok() && mc.errno() == Errno.ENXIO, f.name(i)
                        + " (no bytes, so no cookie) fails with ENXIO",
                        mc.ok() ? "ok" : Fmt.errno(mc.errno()));
            } else if (fits) {
                t.expect(!mc.ok() && mc.errno() == Errno.EINVAL,
                        f.name(i) + " (no MMAP) fails with EINVAL", mc.ok() ? "ok" : Fmt.errno(mc.errno()));
            } else {
                t.expect(!mc.ok() && Limits.isArchLimitErrno(d.arch(), f.offsetOf(i), mc.errno()), f.name(i)
                        + " (no MMAP, beyond the arch's mmap limits) fails with the limit's errno",
                        mc.ok() ? "ok" : Fmt.errno(mc.errno()));
            }
        }
    }

    private static void mm08(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        DeviceProfile.Region r = fittingRegion(d).orElseThrow();
        long i = r.index();
        DeviceFile.RegionInfoCall c = f.requireRegionInfo(i);
        long delta = Support.areas(r).get(0).offset();
        boolean readWrite = c.hasFlag(R | W);
        DeviceFile.MmapCall rw = f.mmap(0, d.pageSize(), Mman.PROT_READ | Mman.PROT_WRITE,
                Mman.MAP_SHARED, i, delta);
        if (readWrite || d.coreRegion(i)) {
            t.expect(rw.ok(), "PROT_READ|PROT_WRITE (as DPDK always asks) maps",
                    rw.ok() ? "ok" : Fmt.errno(rw.errno()));
        } else {
            t.add("a region without WRITE mapped writable: the driver's rule; recorded");
        }
        DeviceFile.MmapCall ro = f.mmap(0, d.pageSize(), Mman.PROT_READ, Mman.MAP_SHARED, i, delta);
        if (c.hasFlag(R)) {
            t.expect(ro.ok(), "PROT_READ maps", ro.ok() ? "ok" : Fmt.errno(ro.errno()));
        }
        if (rw.ok()) {
            f.munmap(rw.mapped());
        }
        if (ro.ok()) {
            f.munmap(ro.mapped());
        }
    }

    private static void mm09(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        DeviceProfile.Region r = fittingRegion(d).orElseThrow();
        long i = r.index();
        DeviceFile.RegionInfoCall c = f.requireRegionInfo(i);
        int prot = Support.prot(c.head().flags());
        Area a = Support.areas(r).get(0);
        DeviceFile.MmapCall first = f.mmap(0, d.pageSize(), prot, Mman.MAP_SHARED, i, a.offset());
        if (!t.expect(first.ok(), "the first area's first page maps", Fmt.errno(first.errno()))) {
            return;
        }
        long bogus = d.arch().pageAlign(r.size()) - d.pageSize();
        boolean fits = Limits.mmapFits(d.arch(), f.offsetOf(i) + bogus, 2 * d.pageSize());
        DeviceFile.MmapCall second = f.mmap(0, 2 * d.pageSize(), prot, Mman.MAP_SHARED, i, bogus);
        t.expect(!second.ok() && (fits || Limits.isArchLimitErrno(d.arch(), f.offsetOf(i) + bogus,
                second.errno())),
                "a mapping running past the end of the region fails",
                second.ok() ? "ok" : Fmt.errno(second.errno()));
        OptionalLong s = Support.scratch(d, i, a.offset(), Math.min(a.end(),
                a.offset() + d.pageSize()), 4);
        if (s.isPresent() && r.hasFlag(R)) {
            Support.compareWithPread(f, first.mapped(), s.getAsLong(), d.coreRegion(i));
        }
        f.munmap(first.mapped());
    }

    private static void mm11(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        DeviceFile.DeviceInfoCall di = f.deviceInfo();
        DeviceProfile.Region r = Support.coreMemBar(d, 4, true).orElseThrow();
        long i = r.index();
        long s = Support.scratchOf(d, r, 4);
        long page = Support.pageOf(d, s);
        f.requireRegionInfo(i);
        int rw = Mman.PROT_READ | Mman.PROT_WRITE;
        DeviceFile.MmapCall m1 = f.mmap(0, d.pageSize(), rw, Mman.MAP_SHARED, i, page);
        DeviceFile.MmapCall m2 = f.mmap(0, d.pageSize(), rw, Mman.MAP_SHARED, i, page);
        if (!t.expect(m1.ok() && m2.ok(), "two mappings of the same page", "mmap failed")) {
            return;
        }
        f.store(m1.mapped(), s, 4, 0xC0FFEE01L);
        DeviceFile.Access viaOther = f.load(m2.mapped(), s, 4);
        t.expect(viaOther.ok() && viaOther.value() == 0xC0FFEE01L,
                "the second mapping sees the first one's store", viaOther.ok()
                        ? Fmt.hex(viaOther.value()) : viaOther.signal());
        t.expectEquals(Fmt.hex(0xC0FFEE01L), Support.show(f.pread(i, s, 4), 4), "pread sees it");
        long ret = f.reset();
        boolean canReset = di.hasFlag(VfioDeviceInfo.VFIO_DEVICE_FLAGS_RESET);
        if (!canReset) {
            t.expect(ret == -Errno.EINVAL, "reset without the RESET flag fails with EINVAL", Fmt.ret(ret));
            return;
        }
        if (!t.expectEquals(0L, ret, "VFIO_DEVICE_RESET with the RESET flag returns")) {
            return;
        }
        long entries = m1.mapped().mapping().pageTableEntries().values().stream()
                .mapToLong(Long::longValue).sum();
        t.expectEquals(0L, entries, "reset zapped the BAR mapping: page-table entries left");
        DeviceFile.Access after = f.load(m1.mapped(), s, 4);
        t.expect(after.ok(), "the mapping refaults after reset (no SIGBUS)", after.signal());
        DeviceFile.Rw pr = f.pread(i, s, 4);
        if (after.ok()) {
            t.expect(pr.ret() == 4 && pr.value(4) == after.value(),
                    "after reset the mapping and pread agree", Support.show(pr, 4));
        }
        f.store(m1.mapped(), s, 4, 0x5EED0002L);
        Process child = p.fork();
        try {
            Mapping cm = child.mappings().stream()
                    .filter(x -> x.addr() == m1.mapped().mapping().addr()).findFirst().orElseThrow();
            String v;
            try {
                v = Fmt.hex(cm.load(s - page, 4));
            } catch (SigbusException e) {
                v = "SIGBUS";
            } catch (SegvException e) {
                v = "SIGSEGV";
            }
            t.add("child load32 " + f.loc(i, s) + " via inherited mapping -> " + v);
            t.expectEquals(Fmt.hex(0x5EED0002L), v, "the child sees the device through its copy");
        } finally {
            child.exit();
        }
        t.expect(m2.mapped().mapping().isMapped(), "the parent's mappings survive the child's exit",
                "unmapped");
    }
}
