package vfiowb.common.conformance.scenarios;

import static vfiowb.common.conformance.scenarios.Support.CAPS;
import static vfiowb.common.conformance.scenarios.Support.MMAP;
import static vfiowb.common.conformance.scenarios.Support.R;
import static vfiowb.common.conformance.scenarios.Support.W;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import vfiowb.common.conformance.DeviceFile;
import vfiowb.common.conformance.DeviceProfile;
import vfiowb.common.conformance.Fmt;
import vfiowb.common.conformance.Transcript;
import vfiowb.common.errno.Errno;
import vfiowb.common.mm.Mman;
import vfiowb.common.mm.PgProt;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.VfioIndex;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionSparseMmapArea;
import vfiowb.common.uapi.VfioRegionType;
import vfiowb.common.userspace.Process;

/** userspace-clients §3.6: device-specific and variant regions (DS-01, DS-02). */
final class DeviceSpecificScenarios {
    private static final long ABSENT_SUBTYPE = 0x7fff;

    private DeviceSpecificScenarios() {}

    static List<Scenario> all() {
        return List.of(
                Scenario.of("DS-01", "Device regions found by type/subtype, as QEMU's IGD code does",
                        d -> d.okRegions().stream().anyMatch(r -> r.cap(RegionCap.Type.class).isPresent()),
                        DeviceSpecificScenarios::ds01),
                Scenario.of("DS-02", "nvgrace-gpu fake BARs: sparse cap, power-of-two size, pgprot",
                        d -> "nvgrace_gpu_pci_ops".equals(d.spec().opsTable())
                                && (d.region(2).filter(r -> r.size() > 0).isPresent()
                                        || d.region(4).filter(r -> r.size() > 0).isPresent()),
                        DeviceSpecificScenarios::ds02));
    }

    private record TypeKey(long type, long subtype) {}

    private static void ds01(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        DeviceFile.DeviceInfoCall di = f.deviceInfo();
        long n = Math.min(di.ok() ? di.info().numRegions() : 0, DeviceProfile.MAX_PROBED_REGIONS);
        Map<Long, DeviceFile.RegionInfoCall> cache = new TreeMap<>();
        t.begin("one pass over every index (QEMU caches the replies)");
        for (long i = 0; i < n; i++) {
            DeviceFile.RegionInfoCall c = f.regionInfoWhileGrows(i);
            if (c.ok()) {
                cache.put(i, c);
            }
        }
        t.end();
        Set<TypeKey> present = new LinkedHashSet<>();
        for (DeviceProfile.Region r : d.okRegions()) {
            r.cap(RegionCap.Type.class).ifPresent(ty -> present.add(new TypeKey(ty.type(), ty.subtype())));
        }
        for (TypeKey k : present) {
            List<Long> found = find(cache, k);
            String name = VfioRegionType.typeName(k.type()) + "/" + VfioRegionType.subtypeName(k.type(),
                    k.subtype());
            t.add("lookup " + name + " -> " + found.stream().map(f::name).toList());
            t.expectEquals(1, found.size(), name + " found exactly once: count");
            if (found.size() != 1) {
                continue;
            }
            long i = found.get(0);
            if (d.isPci()) {
                t.expect(i >= VfioIndex.VFIO_PCI_NUM_REGIONS, name + " is at a device-specific index (>= 9)",
                        f.name(i));
            }
            readTyped(f, d, i, k, cache.get(i).head());
        }
        TypeKey first = present.iterator().next();
        TypeKey absent = new TypeKey(first.type(), ABSENT_SUBTYPE);
        List<Long> none = find(cache, absent);
        t.add("lookup " + VfioRegionType.typeName(absent.type()) + "/" + ABSENT_SUBTYPE + " -> "
                + none.stream().map(f::name).toList());
        t.expect(none.isEmpty(), "an absent subtype is not found", none.toString());
    }

    private static List<Long> find(Map<Long, DeviceFile.RegionInfoCall> cache, TypeKey k) {
        List<Long> out = new ArrayList<>();
        for (Map.Entry<Long, DeviceFile.RegionInfoCall> e : cache.entrySet()) {
            Optional<RegionCap.Type> ty = e.getValue().type();
            if (ty.isPresent() && ty.get().type() == k.type() && ty.get().subtype() == k.subtype()) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    private static void readTyped(DeviceFile f, DeviceProfile d, long i, TypeKey k, VfioRegionInfo h) {
        Transcript t = f.transcript();
        long intel = VfioRegionType.pciVendorType(VfioRegionType.PCI_VENDOR_ID_INTEL);
        boolean igd = d.coreRegion(i) && k.type() == intel;
        if (igd) {
            t.expectEquals(VfioRegionInfo.flagNames(R | CAPS), VfioRegionInfo.flagNames(h.flags()),
                    f.name(i) + " flags (read-only, no MMAP)");
        }
        if (!h.hasFlag(R) || h.size() == 0) {
            return;
        }
        if (k.subtype() == VfioRegionType.VFIO_REGION_SUBTYPE_INTEL_IGD_OPREGION && k.type() == intel) {
            DeviceFile.Rw r = f.pread(i, 0, (int) h.size());
            if (igd) {
                t.expectEquals(h.size(), r.ret(), "the whole OpRegion in one pread: count");
            }
        } else if (k.type() == intel) {
            for (long off : new long[] {0, 2, 8}) {
                DeviceFile.Rw r = f.pread(i, off, 2);
                if (igd) {
                    t.expectEquals(2L, r.ret(), "2-byte read at +" + off + ": count");
                }
            }
        } else {
            f.pread(i, 0, (int) Math.min(h.size(), 16));
        }
        if (igd) {
            DeviceFile.Rw w = f.pwrite(i, 0, new byte[] {0});
            t.expect(w.errno() == Errno.EINVAL, f.name(i) + ": a write fails with EINVAL", Fmt.ret(w.ret()));
        }
    }

    private static void ds02(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        for (long i : new long[] {VfioIndex.VFIO_PCI_BAR2_REGION_INDEX, VfioIndex.VFIO_PCI_BAR4_REGION_INDEX}) {
            if (d.region(i).filter(r -> r.size() > 0).isEmpty()) {
                continue;
            }
            t.begin(f.name(i) + (i == 2 ? " (resmem)" : " (usemem)"));
            DeviceFile.RegionInfoCall c = f.requireRegionInfo(i);
            if (!t.expect(c.ok(), "info succeeds", Fmt.ret(c.ret()))) {
                t.end();
                continue;
            }
            VfioRegionInfo h = c.head();
            t.expectEquals(VfioRegionInfo.flagNames(R | W | MMAP | CAPS), VfioRegionInfo.flagNames(h.flags()),
                    "flags");
            t.expect(Long.bitCount(h.size()) == 1, "size is a power of two", Fmt.hex(h.size()));
            Optional<RegionCap.Sparse> sp = c.sparse();
            if (!t.expect(sp.isPresent() && sp.get().nrAreas() == 1 && sp.get().areas().get(0).offset() == 0,
                    "one sparse area at 0", sp.map(Object::toString).orElse("no sparse cap"))) {
                t.end();
                continue;
            }
            VfioRegionSparseMmapArea a = sp.get().areas().get(0);
            long mem = a.size();
            t.expect(mem > h.size() / 2 && mem <= h.size(),
                    "the size is the memory rounded up to a power of two", Fmt.hex(mem));
            DeviceFile.MmapCall mc = Support.mapArea(f, 0, mem, Mman.PROT_READ | Mman.PROT_WRITE,
                    Mman.MAP_SHARED, i, 0, true);
            if (mc.ok()) {
                t.expectEquals(i == 2 ? PgProt.WC : PgProt.WB, mc.mapped().mapping().pgprot(), "pgprot");
                f.munmap(mc.mapped());
            }
            if (mem < h.size()) {
                DeviceFile.Rw fill = f.pread(i, mem, 4);
                t.expect(fill.ret() == 4 && fill.value(4) == 0xFFFF_FFFFL,
                        "beyond the memory, inside the BAR, reads 0xFF", Support.show(fill, 4));
                long page = mem & -d.pageSize();
                DeviceFile.MmapCall beyond = f.mmap(0, d.pageSize(), Mman.PROT_READ, Mman.MAP_SHARED, i,
                        page);
                t.expect(!beyond.ok(), "mapping past the memory fails", beyond.ok() ? "ok"
                        : Fmt.errno(beyond.errno()));
            }
            DeviceFile.Rw past = f.pread(i, h.size(), 1);
            t.expect(past.errno() == Errno.EINVAL, "reading past the BAR fails with EINVAL", Fmt.ret(past.ret()));
            t.end();
        }
    }
}
