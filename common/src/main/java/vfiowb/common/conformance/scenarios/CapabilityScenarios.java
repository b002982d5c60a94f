package vfiowb.common.conformance.scenarios;

import static vfiowb.common.conformance.scenarios.Support.CAPS;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import vfiowb.common.conformance.DeviceFile;
import vfiowb.common.conformance.DeviceProfile;
import vfiowb.common.conformance.DriverFacts;
import vfiowb.common.conformance.Fmt;
import vfiowb.common.conformance.Transcript;
import vfiowb.common.hw.PciFunctionSpec;
import vfiowb.common.uapi.CapChain;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.VfioIndex;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionSparseMmapArea;
import vfiowb.common.uapi.VfioRegionType;
import vfiowb.common.userspace.Process;

/** userspace-clients §3.2: the capability chain (CAP-01, 04, 07, 08). */
final class CapabilityScenarios {
    private static final byte GUARD = (byte) 0xA5;

    private CapabilityScenarios() {}

    static List<Scenario> all() {
        return List.of(
                Scenario.of("CAP-01", "TYPE capability on device-specific regions",
                        d -> !typedOrDeviceSpecific(d).isEmpty(), CapabilityScenarios::cap01),
                Scenario.of("CAP-04", "Sparse mmap capability: layout and areas",
                        d -> !withCap(d, RegionCap.Sparse.class).isEmpty(), CapabilityScenarios::cap04),
                Scenario.of("CAP-07", "CAPS flag rules in every reply",
                        d -> !d.regions().isEmpty(), CapabilityScenarios::cap07),
                Scenario.of("CAP-08", "Structural invariants a defensive parser checks",
                        d -> !RegionInfoScenarios.withCaps(d).isEmpty(), CapabilityScenarios::cap08));
    }

    private static List<DeviceProfile.Region> withCap(DeviceProfile d, Class<? extends RegionCap> kind) {
        return d.okRegions().stream().filter(r -> r.cap(kind).isPresent()).toList();
    }

    /** Regions with a TYPE cap, and for a vfio-pci device every index from 9 up. */
    private static List<DeviceProfile.Region> typedOrDeviceSpecific(DeviceProfile d) {
        boolean pciCore = DriverFacts.vfioPciCore(d.spec()) && d.isPci();
        return d.okRegions().stream().filter(r -> r.cap(RegionCap.Type.class).isPresent()
                || (pciCore && r.index() >= VfioIndex.VFIO_PCI_NUM_REGIONS)).toList();
    }

    private static void cap01(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        boolean pciCore = DriverFacts.vfioPciCore(d.spec()) && d.isPci();
        Set<Long> intelSubtypes = new TreeSet<>();
        long intel = VfioRegionType.pciVendorType(VfioRegionType.PCI_VENDOR_ID_INTEL);
        for (DeviceProfile.Region r : typedOrDeviceSpecific(d)) {
            long i = r.index();
            DeviceFile.RegionInfoCall c = f.requireRegionInfo(i);
            if (!t.expect(c.ok(), f.name(i) + " info succeeds", Fmt.ret(c.ret()))) {
                continue;
            }
            Optional<RegionCap.Type> type = c.type();
            if (pciCore) {
                t.expect(type.isPresent() == (i >= VfioIndex.VFIO_PCI_NUM_REGIONS),
                        f.name(i) + ": CAP_TYPE exactly on indexes from 9 up",
                        type.isPresent() ? "TYPE present" : "TYPE absent");
            }
            if (type.isEmpty()) {
                continue;
            }
            t.expect(c.hasFlag(CAPS) && c.head().capOffset() == VfioRegionInfo.SIZE,
                    f.name(i) + ": CAPS set, chain copied at 32",
                    VfioRegionInfo.flagNames(c.head().flags()) + " cap_offset " + Fmt.num(c.head().capOffset()));
            t.expectEquals(1, type.get().version(), f.name(i) + ": CAP_TYPE version");
            if (type.get().type() == intel) {
                intelSubtypes.add(type.get().subtype());
            }
        }
        if (pciCore && isIntelIgd(d)) {
            t.expectEquals(Set.of(VfioRegionType.VFIO_REGION_SUBTYPE_INTEL_IGD_OPREGION,
                    VfioRegionType.VFIO_REGION_SUBTYPE_INTEL_IGD_HOST_CFG,
                    VfioRegionType.VFIO_REGION_SUBTYPE_INTEL_IGD_LPC_CFG).stream().sorted().toList(),
                    new ArrayList<>(intelSubtypes), "IGD subtypes (OpRegion, host bridge, LPC bridge)");
        }
    }

    /** An Intel VGA function on vfio-pci: vfio_pci_igd_init registers its three regions. */
    static boolean isIntelIgd(DeviceProfile d) {
        Optional<PciFunctionSpec> s = d.pciSpec();
        return s.isPresent() && s.get().vendorId() == VfioRegionType.PCI_VENDOR_ID_INTEL
                && DriverFacts.isVgaClass(d.spec());
    }

    private static void cap04(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        for (DeviceProfile.Region r : withCap(d, RegionCap.Sparse.class)) {
            long i = r.index();
            t.begin(f.name(i));
            DeviceFile.RegionInfoCall small = f.regionInfo(i, VfioRegionInfo.SIZE);
            if (!t.expect(small.ok() && small.needsLargerBuffer(), "argsz 32: CAPS, cap_offset 0",
                    small.ok() ? "cap_offset " + Fmt.num(small.head().capOffset()) : Fmt.ret(small.ret()))) {
                t.end();
                continue;
            }
            DeviceFile.RegionInfoCall full = f.regionInfo(i, small.head().argsz());
            Optional<RegionCap.Sparse> sparse = full.sparse();
            if (!t.expect(full.ok() && sparse.isPresent(), "the full reply carries SPARSE_MMAP",
                    full.ok() ? "absent" : Fmt.ret(full.ret()))) {
                t.end();
                continue;
            }
            t.expectEquals(32L, full.head().capOffset(), "cap_offset");
            t.expectEquals(1, sparse.get().version(), "SPARSE_MMAP version");
            long expectedArgsz = VfioRegionInfo.SIZE;
            boolean allKnown = true;
            for (RegionCap c : full.caps()) {
                OptionalLong l = Support.capLayoutSize(c);
                allKnown &= l.isPresent();
                expectedArgsz += l.orElse(0);
            }
            if (allKnown) {
                t.expectEquals(expectedArgsz, full.head().argsz(),
                        "argsz is 32 + the chain (a sparse cap is 16 + 16 per area)");
            }
            List<VfioRegionSparseMmapArea> areas = sparse.get().areas();
            t.expect(!areas.isEmpty(), "nr_areas at least 1", "0 areas");
            long size = full.head().size();
            long prevEnd = 0;
            for (VfioRegionSparseMmapArea a : areas) {
                String name = "area " + Fmt.hex(a.offset()) + "+" + Fmt.hex(a.size());
                t.expect(a.size() != 0, name + " is not empty", "size 0");
                t.expect(d.arch().isPageAligned(a.offset()), name + " starts page aligned",
                        "offset " + Fmt.hex(a.offset()));
                long end = a.offset() + a.size();
                t.expect(Long.compareUnsigned(end, a.offset()) >= 0
                        && Long.compareUnsigned(end, size) <= 0, name + " lies inside the region",
                        "region size " + Fmt.hex(size));
                t.expect(Long.compareUnsigned(a.offset(), prevEnd) >= 0,
                        name + " follows the previous area", "overlap or out of order");
                prevEnd = end;
            }
            t.end();
        }
    }

    private static void cap07(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        for (DeviceProfile.Region r : d.regions()) {
            long i = r.index();
            DeviceFile.RegionInfoCall s = f.regionInfo(i, VfioRegionInfo.SIZE);
            if (!r.ok()) {
                if (d.coreRegion(i) && d.isPci() && i != VfioIndex.VFIO_PCI_VGA_REGION_INDEX) {
                    t.expect(s.ok(), f.name(i) + ": every vfio-pci index but VGA answers REGION_INFO",
                            Fmt.ret(s.ret()));
                }
                continue;
            }
            if (!t.expect(s.ok(), f.name(i) + " argsz 32 succeeds", Fmt.ret(s.ret()))) {
                continue;
            }
            VfioRegionInfo h = s.head();
            t.expect(h.hasFlag(CAPS) == r.hasFlag(CAPS), f.name(i) + ": CAPS as in the full reply",
                    VfioRegionInfo.flagNames(h.flags()));
            if (!h.hasFlag(CAPS)) {
                t.expect(h.capOffset() == 0 && h.argsz() == VfioRegionInfo.SIZE,
                        f.name(i) + ": without CAPS, cap_offset 0 and argsz untouched",
                        "cap_offset " + Fmt.num(h.capOffset()) + " argsz " + Fmt.num(h.argsz()));
                continue;
            }
            t.expect(h.capOffset() == 0 && h.argsz() > VfioRegionInfo.SIZE,
                    f.name(i) + ": CAPS with a 32-byte buffer: cap_offset 0, argsz raised",
                    "cap_offset " + Fmt.num(h.capOffset()) + " argsz " + Fmt.num(h.argsz()));
            DeviceFile.RegionInfoCall l = f.regionInfo(i, h.argsz());
            if (t.expect(l.ok(), f.name(i) + " full argsz succeeds", Fmt.ret(l.ret()))) {
                t.expect(l.hasFlag(CAPS) && l.head().capOffset() == VfioRegionInfo.SIZE,
                        f.name(i) + ": full reply has CAPS and cap_offset 32",
                        VfioRegionInfo.flagNames(l.head().flags()) + " cap_offset "
                                + l.head().capOffset());
                t.expect(l.head().flags() == h.flags() && l.head().size() == h.size(),
                        f.name(i) + ": flags and size do not depend on argsz", "they differ");
            }
        }
    }

    private static void cap08(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        for (DeviceProfile.Region r : RegionInfoScenarios.withCaps(d)) {
            long i = r.index();
            t.begin(f.name(i));
            DeviceFile.RegionInfoCall s = f.regionInfo(i, VfioRegionInfo.SIZE);
            if (!s.ok()) {
                t.fail(f.name(i) + " argsz 32 failed with " + Fmt.errno(s.ret()));
                t.end();
                continue;
            }
            long need = s.head().argsz();
            DeviceFile.RegionInfoCall full = f.regionInfo(i, need);
            if (!t.expect(full.ok(), "full argsz succeeds", Fmt.ret(full.ret()))) {
                t.end();
                continue;
            }
            t.expect(full.chainError() == null, "the chain walks without error", full.chainError());
            long argsz = full.head().argsz();
            t.expect(full.head().capOffset() >= VfioRegionInfo.SIZE, "cap_offset >= 32",
                    Long.toString(full.head().capOffset()));
            List<CapChain.Found> chain = full.chain();
            t.expect(chain.size() <= (argsz - VfioRegionInfo.SIZE) / 8,
                    "chain length <= (argsz - 32) / 8", chain.size() + " caps in argsz " + argsz);
            long prev = 0;
            for (CapChain.Found c : chain) {
                String name = "cap@" + c.offset();
                t.expect(c.offset() % 8 == 0, name + " is 8-byte aligned", "unaligned");
                t.expect(c.offset() + 8 <= argsz, name + " header lies inside argsz", "argsz " + argsz);
                t.expect(c.offset() > prev, name + " follows the previous header", "backwards");
                prev = c.offset();
            }
            if (need - 1 >= VfioRegionInfo.SIZE) {
                int len = (int) need + 16;
                DeviceFile.RegionInfoCall shortReply = f.regionInfo(i, need - 1, len, GUARD);
                if (t.expect(shortReply.ok(), "argsz one short succeeds", Fmt.ret(shortReply.ret()))) {
                    VfioRegionInfo h = shortReply.head();
                    t.expect(h.hasFlag(CAPS) && h.capOffset() == 0 && h.argsz() == need,
                            "argsz one short: CAPS, cap_offset 0, argsz raised to the need",
                            VfioRegionInfo.flagNames(h.flags()) + " cap_offset " + Fmt.num(h.capOffset())
                                    + " argsz " + Fmt.num(h.argsz()));
                    t.expect(Support.untouched(shortReply.buffer(), VfioRegionInfo.SIZE, len, GUARD),
                            "argsz one short: no capability copied", "bytes beyond 32 changed");
                }
            }
            t.end();
        }
    }
}
