package vfiowb.common.conformance.scenarios;

import static vfiowb.common.conformance.scenarios.Support.CAPS;
import static vfiowb.common.conformance.scenarios.Support.MMAP;
import static vfiowb.common.conformance.scenarios.Support.R;
import static vfiowb.common.conformance.scenarios.Support.W;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import vfiowb.common.conformance.DeviceFile;
import vfiowb.common.conformance.DeviceProfile;
import vfiowb.common.conformance.DriverFacts;
import vfiowb.common.conformance.Fmt;
import vfiowb.common.conformance.Transcript;
import vfiowb.common.errno.Errno;
import vfiowb.common.hw.PciFunctionSpec;
import vfiowb.common.hw.PciRom;
import vfiowb.common.uapi.CapChain;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIndex;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.Process;

/** userspace-clients §3.1: REGION_INFO and argsz (RI-01, 02, 04, 05, 06, 07, 08). */
final class RegionInfoScenarios {
    private static final byte GUARD = (byte) 0xA5;
    private static final long VGA_SIZE = 0xc0000;
    private static final long SHADOW_ROM_SIZE = 0x20000;
    private static final long NO_SUCH_INDEX = 0xFFFF_FFFFL;

    private RegionInfoScenarios() {}

    static List<Scenario> all() {
        return List.of(
                Scenario.of("RI-01", "Plain BAR info with minimal argsz; device info",
                        d -> plainMmapRegion(d).isPresent(), RegionInfoScenarios::ri01),
                Scenario.of("RI-02", "Two-step argsz negotiation of a region with capabilities",
                        d -> !withCaps(d).isEmpty(), RegionInfoScenarios::ri02),
                Scenario.of("RI-04", "Invalid argsz or index: EINVAL, buffer untouched",
                        DeviceProfile::usable, RegionInfoScenarios::ri04),
                Scenario.of("RI-05", "VGA index: EINVAL unless the device is VGA",
                        d -> d.isPci() && d.coreRegion(VfioIndex.VFIO_PCI_VGA_REGION_INDEX),
                        RegionInfoScenarios::ri05),
                Scenario.of("RI-06", "Unimplemented BAR or upper half of a 64-bit BAR",
                        d -> !emptyCoreBars(d).isEmpty(), RegionInfoScenarios::ri06),
                Scenario.of("RI-07", "ROM region shape: absent, ROM BAR, shadow ROM",
                        d -> d.isPci() && d.coreRegion(VfioIndex.VFIO_PCI_ROM_REGION_INDEX),
                        RegionInfoScenarios::ri07),
                Scenario.of("RI-08", "Config region shape",
                        d -> d.isPci() && d.coreRegion(VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX),
                        RegionInfoScenarios::ri08));
    }

    /** The first region with MMAP and no capabilities (for PCI, a BAR). */
    static Optional<DeviceProfile.Region> plainMmapRegion(DeviceProfile d) {
        for (DeviceProfile.Region r : d.mmapRegions()) {
            if (!r.hasFlag(CAPS) && (!d.isPci() || r.index() <= VfioIndex.VFIO_PCI_BAR5_REGION_INDEX)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    static List<DeviceProfile.Region> withCaps(DeviceProfile d) {
        return d.okRegions().stream().filter(r -> r.hasFlag(CAPS)).toList();
    }

    private static List<Integer> emptyCoreBars(DeviceProfile d) {
        Optional<PciFunctionSpec> spec = d.pciSpec();
        if (spec.isEmpty() || !d.isPci()) {
            return List.of();
        }
        return java.util.stream.IntStream.rangeClosed(0, VfioIndex.VFIO_PCI_BAR5_REGION_INDEX)
                .filter(i -> spec.get().bar(i).isEmpty() && d.coreRegion(i)).boxed().toList();
    }

    private static void ri01(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        DeviceFile.DeviceInfoCall di = f.deviceInfo();
        t.expect(di.ok(), "GET_DEVICE_INFO succeeds", Fmt.ret(di.ret()));
        if (di.ok() && di.hasFlag(VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI)) {
            t.expect(di.info().numRegions() >= VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX + 1
                    && di.info().numIrqs() >= VfioIndex.VFIO_PCI_MSIX_IRQ_INDEX + 1,
                    "a PCI device reports at least 8 regions and 3 IRQ indexes (QEMU's minimum)",
                    di.info().numRegions() + " regions, " + di.info().numIrqs() + " irqs");
        }
        if (di.ok() && DriverFacts.vfioPciCore(d.spec())) {
            t.expect(di.hasFlag(VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI)
                    && di.info().numRegions() >= VfioIndex.VFIO_PCI_NUM_REGIONS
                    && di.info().numIrqs() == VfioIndex.VFIO_PCI_NUM_IRQS,
                    "vfio-pci reports PCI, 9 + device regions and 5 IRQ indexes",
                    VfioDeviceInfo.flagNames(di.info().flags()) + ", " + di.info().numRegions()
                            + " regions, " + di.info().numIrqs() + " irqs");
        }
        DeviceProfile.Region r = plainMmapRegion(d).orElseThrow();
        DeviceFile.RegionInfoCall c = f.regionInfo(r.index(), VfioRegionInfo.SIZE, 64, GUARD);
        if (!t.expect(c.ok(), "GET_REGION_INFO with argsz 32 succeeds", Fmt.ret(c.ret()))) {
            return;
        }
        VfioRegionInfo h = c.head();
        t.expectEquals(32L, h.argsz(), "argsz stays");
        t.expectEquals(0L, h.capOffset(), "cap_offset");
        t.expectEquals(VfioRegionInfo.flagNames(r.info().flags()),
                VfioRegionInfo.flagNames(h.flags()), "flags as probed");
        t.expect(Support.untouched(c.buffer(), VfioRegionInfo.SIZE, 64, GUARD),
                "nothing written past byte 32", "bytes beyond 32 changed");
        if (d.coreRegion(r.index()) && d.pciSpec().isPresent()) {
            PciFunctionSpec spec = d.pciSpec().get();
            t.expectEquals(VfioRegionInfo.flagNames(R | W | MMAP), VfioRegionInfo.flagNames(h.flags()),
                    "a mappable BAR's flags");
            t.expectEquals(Fmt.hex(spec.bar((int) r.index()).size()), Fmt.hex(h.size()),
                    "size is the BAR length");
        }
    }

    private static void ri02(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        for (DeviceProfile.Region r : withCaps(d)) {
            long i = r.index();
            t.begin(f.name(i));
            DeviceFile.RegionInfoCall small = f.regionInfo(i, VfioRegionInfo.SIZE, 96, GUARD);
            if (!t.expect(small.ok(), "argsz 32 succeeds", Fmt.ret(small.ret()))) {
                t.end();
                continue;
            }
            VfioRegionInfo s = small.head();
            t.expect(s.hasFlag(CAPS) && s.capOffset() == 0 && s.argsz() > VfioRegionInfo.SIZE,
                    "CAPS set, cap_offset 0, argsz raised",
                    VfioRegionInfo.flagNames(s.flags()) + " cap_offset " + Fmt.num(s.capOffset()) + " argsz "
                            + Fmt.num(s.argsz()));
            t.expect(Support.untouched(small.buffer(), VfioRegionInfo.SIZE, 96, GUARD),
                    "nothing written past byte 32", "bytes beyond 32 changed");
            long need = s.argsz();
            DeviceFile.RegionInfoCall full = f.regionInfo(i, need);
            if (!t.expect(full.ok(), "the returned argsz succeeds", Fmt.ret(full.ret()))) {
                t.end();
                continue;
            }
            VfioRegionInfo h = full.head();
            t.expectEquals(need, h.argsz(), "argsz stays as passed");
            t.expectEquals(32L, h.capOffset(), "cap_offset");
            t.expect(h.flags() == s.flags() && h.size() == s.size() && h.offset() == s.offset(),
                    "flags, size and offset equal the first reply's", "they differ");
            List<CapChain.Found> chain = full.chain();
            if (!chain.isEmpty()) {
                CapChain.Found last = chain.get(chain.size() - 1);
                OptionalLong layout = Support.capLayoutSize(full.caps().get(chain.size() - 1));
                if (layout.isPresent()) {
                    t.expectEquals(need, last.offset() + layout.getAsLong(),
                            "argsz is 32 + the capability chain's size");
                }
            }
            int bigLen = (int) need + 64;
            DeviceFile.RegionInfoCall big = f.regionInfo(i, bigLen, bigLen + 32, GUARD);
            if (t.expect(big.ok(), "a larger argsz succeeds", Fmt.ret(big.ret()))) {
                t.expectEquals((long) bigLen, big.head().argsz(), "argsz left as the caller passed it");
                t.expectEquals(32L, big.head().capOffset(), "cap_offset");
                t.expect(Support.untouched(big.buffer(), (int) need, bigLen + 32, GUARD),
                        "nothing written past the chain", "bytes beyond the chain changed");
            }
            t.end();
        }
    }

    private static void ri04(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        f.deviceInfo();
        Optional<DeviceProfile.Region> valid = d.okRegions().stream().findFirst();
        if (valid.isPresent()) {
            for (long argsz : new long[] {0, 8, 31}) {
                invalid(f, valid.get().index(), argsz, "argsz " + argsz);
            }
        } else {
            t.add("no region answers REGION_INFO: argsz checks skipped");
        }
        invalid(f, d.numRegions(), VfioRegionInfo.SIZE, "index num_regions");
        invalid(f, NO_SUCH_INDEX, VfioRegionInfo.SIZE, "index 0xffffffff");
    }

    private static void invalid(DeviceFile f, long index, long argsz, String what) {
        DeviceFile.RegionInfoCall c = f.regionInfo(index, argsz, VfioRegionInfo.SIZE, GUARD);
        Transcript t = f.transcript();
        t.expect(!c.ok() && c.errno() == Errno.EINVAL, what + " fails with EINVAL", Fmt.ret(c.ret()));
        t.expect(c.user().writtenRanges().isEmpty(), what + ": buffer untouched",
                "kernel wrote " + c.user().writtenRanges());
    }

    private static void ri05(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        int vga = VfioIndex.VFIO_PCI_VGA_REGION_INDEX;
        DeviceFile.RegionInfoCall c = f.regionInfo(vga, VfioRegionInfo.SIZE, VfioRegionInfo.SIZE, GUARD);
        if (!DriverFacts.isVgaClass(d.spec())) {
            t.expect(!c.ok() && c.errno() == Errno.EINVAL, "VGA on a non-VGA device fails with EINVAL",
                    Fmt.ret(c.ret()));
            t.expect(c.user().writtenRanges().isEmpty(), "buffer untouched",
                    "kernel wrote " + c.user().writtenRanges());
            return;
        }
        if (!t.expect(c.ok(), "VGA of a VGA device succeeds", Fmt.ret(c.ret()))) {
            return;
        }
        t.expectEquals(Fmt.hex(VGA_SIZE), Fmt.hex(c.head().size()), "VGA size");
        t.expectEquals(VfioRegionInfo.flagNames(R | W), VfioRegionInfo.flagNames(c.head().flags()),
                "VGA flags");
        t.expectEquals(1L, f.pread(vga, 0x3c0, 1).ret(), "read of I/O window 0x3c0 count");
        t.expectEquals(4L, f.pread(vga, 0xa0000, 4).ret(), "read of the memory window count");
        t.expectEquals(1L, f.pread(vga, 0xbffff, 2).ret(), "read clipped at the window end: count");
        DeviceFile.Rw gap = f.pread(vga, 0x3bc, 4);
        t.expect(gap.errno() == Errno.EINVAL, "read between windows fails with EINVAL", Fmt.ret(gap.ret()));
        DeviceFile.Rw beyond = f.pread(vga, VGA_SIZE, 1);
        t.expect(beyond.errno() == Errno.EINVAL, "read past 0xbffff fails with EINVAL",
                Fmt.ret(beyond.ret()));
    }

    private static void ri06(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        for (int i : emptyCoreBars(d)) {
            DeviceFile.RegionInfoCall c = f.regionInfo(i, VfioRegionInfo.SIZE);
            if (!t.expect(c.ok(), f.name(i) + " info succeeds", Fmt.ret(c.ret()))) {
                continue;
            }
            VfioRegionInfo h = c.head();
            t.expect(h.size() == 0 && h.flags() == 0 && h.capOffset() == 0
                    && h.argsz() == VfioRegionInfo.SIZE,
                    f.name(i) + ": size 0, flags 0, no capabilities",
                    "size " + Fmt.hex(h.size()) + " flags " + VfioRegionInfo.flagNames(h.flags())
                            + " cap_offset " + h.capOffset() + " argsz " + h.argsz());
        }
    }

    private static void ri07(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        PciFunctionSpec spec = d.pciSpec().orElseThrow();
        PciRom rom = spec.rom();
        DeviceFile.RegionInfoCall c = f.regionInfo(VfioIndex.VFIO_PCI_ROM_REGION_INDEX, VfioRegionInfo.SIZE);
        if (!t.expect(c.ok(), "ROM info succeeds", Fmt.ret(c.ret()))) {
            return;
        }
        VfioRegionInfo h = c.head();
        byte[] image = rom.image();
        boolean valid = image.length >= 2 && (image[0] & 0xff) == 0x55 && (image[1] & 0xff) == 0xaa;
        if (!rom.present()) {
            t.add("the device has no ROM");
            t.expect(h.size() == 0 && h.flags() == 0, "no ROM: size 0, flags 0",
                    "size " + Fmt.hex(h.size()) + " flags " + VfioRegionInfo.flagNames(h.flags()));
        } else if (!valid) {
            t.add("the ROM holds no valid image: pci_map_rom fails");
            t.expect(h.size() == 0 && h.flags() == 0, "unreadable ROM: size 0, flags 0",
                    "size " + Fmt.hex(h.size()) + " flags " + VfioRegionInfo.flagNames(h.flags()));
        } else {
            t.add(rom.shadow() ? "shadow ROM" : "ROM BAR of " + Fmt.hex(rom.size()));
            long size = rom.shadow() ? SHADOW_ROM_SIZE : rom.size();
            t.expectEquals(Fmt.hex(size), Fmt.hex(h.size()), "ROM size (the BAR's, not the image's)");
            t.expectEquals(VfioRegionInfo.flagNames(R), VfioRegionInfo.flagNames(h.flags()), "ROM flags");
        }
        t.expect(!h.hasFlag(CAPS) && h.capOffset() == 0, "no capabilities", "CAPS set");
    }

    private static void ri08(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        DeviceFile.RegionInfoCall c = f.regionInfo(VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX, VfioRegionInfo.SIZE);
        if (!t.expect(c.ok(), "CONFIG info succeeds", Fmt.ret(c.ret()))) {
            return;
        }
        t.expectEquals(VfioRegionInfo.flagNames(R | W), VfioRegionInfo.flagNames(c.head().flags()),
                "CONFIG flags (never MMAP or CAPS)");
        d.pciSpec().ifPresent(spec -> t.expectEquals(Fmt.hex(spec.cfgSize()), Fmt.hex(c.head().size()),
                "CONFIG size (cfg_size)"));
        t.expectEquals(0L, c.head().capOffset(), "cap_offset");
    }
}
