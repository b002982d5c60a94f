package vfiowb.common.conformance.scenarios;

import static vfiowb.common.conformance.scenarios.Support.R;
import static vfiowb.common.conformance.scenarios.Support.W;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import vfiowb.common.conformance.DeviceFile;
import vfiowb.common.conformance.DeviceProfile;
import vfiowb.common.conformance.DriverFacts;
import vfiowb.common.conformance.Fmt;
import vfiowb.common.conformance.Limits;
import vfiowb.common.conformance.MsixLocation;
import vfiowb.common.conformance.Transcript;
import vfiowb.common.errno.Errno;
import vfiowb.common.hw.PciFunctionSpec;
import vfiowb.common.hw.PciRom;
import vfiowb.common.mm.Mman;
import vfiowb.common.uapi.VfioIndex;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.Process;

/** userspace-clients §3.3: read() and write() at region offsets (RW-01, 02, 04-08, 10, 11). */
final class ReadWriteScenarios {
    private static final int CONFIG = VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX;
    private static final int ROM = VfioIndex.VFIO_PCI_ROM_REGION_INDEX;
    private static final int PCI_COMMAND = 0x04;
    private static final int PCI_COMMAND_MEMORY = 0x2;
    private static final int PCI_COMMAND_MASTER = 0x4;
    private static final int PCI_BASE_ADDRESS_0 = 0x10;
    private static final int ROM_CHUNK = 4096;

    private ReadWriteScenarios() {}

    static List<Scenario> all() {
        return List.of(
                Scenario.of("RW-01", "Config identity and bulk read",
                        d -> d.isPci() && d.region(CONFIG).filter(r -> r.hasFlag(R) && r.size() >= 4)
                                .isPresent(),
                        ReadWriteScenarios::rw01),
                Scenario.of("RW-02", "PCI_COMMAND bus-master round trip",
                        d -> d.isPci() && d.coreRegion(CONFIG) && d.region(CONFIG).isPresent(),
                        ReadWriteScenarios::rw02),
                Scenario.of("RW-04", "Zero-length transfers",
                        d -> firstWith(d, R).isPresent(), ReadWriteScenarios::rw04),
                Scenario.of("RW-05", "read()/write() over the MSI-X table; ioeventfd refused there",
                        d -> msixTableBar(d).isPresent(), ReadWriteScenarios::rw05),
                Scenario.of("RW-06", "Access splitting: 8 bytes aligned, 4 bytes at offset 2",
                        d -> Support.coreMemBar(d, 8, false).isPresent(), ReadWriteScenarios::rw06),
                Scenario.of("RW-07", "Memory decode disabled: EIO and SIGBUS, then back",
                        d -> d.coreRegion(CONFIG) && d.region(CONFIG).isPresent()
                                && Support.coreMemBar(d, 4, false).isPresent(),
                        ReadWriteScenarios::rw07),
                Scenario.of("RW-08", "ROM read loop and write refusal",
                        d -> d.isPci() && d.coreRegion(ROM)
                                && d.region(ROM).filter(r -> r.size() > 0 && r.hasFlag(R)).isPresent(),
                        ReadWriteScenarios::rw08),
                Scenario.of("RW-10", "I/O-port BAR through read/write",
                        d -> !ioBars(d).isEmpty(), ReadWriteScenarios::rw10),
                Scenario.of("RW-11", "First, last and first past-the-end byte of every region",
                        d -> !d.okRegions().isEmpty(), ReadWriteScenarios::rw11));
    }

    private static Optional<DeviceProfile.Region> firstWith(DeviceProfile d, int flags) {
        return d.okRegions().stream().filter(r -> r.hasFlag(flags) && r.size() > 0).findFirst();
    }

    private static Optional<MsixLocation> msixTableBar(DeviceProfile d) {
        Optional<MsixLocation> m = d.msix();
        if (m.isEmpty() || !d.coreRegion(m.get().tableBar()) || d.pciSpec().isEmpty()) {
            return Optional.empty();
        }
        Optional<DeviceProfile.Region> r = d.region(m.get().tableBar());
        return r.isPresent() && m.get().tableOffset() + 16 <= r.get().size() ? m : Optional.empty();
    }

    private static List<Integer> ioBars(DeviceProfile d) {
        Optional<PciFunctionSpec> spec = d.pciSpec();
        if (spec.isEmpty() || !d.isPci()) {
            return List.of();
        }
        return IntStream.rangeClosed(0, VfioIndex.VFIO_PCI_BAR5_REGION_INDEX)
                .filter(i -> spec.get().bar(i).isIo() && d.coreRegion(i) && d.region(i).isPresent())
                .boxed().toList();
    }

    private static void rw01(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        DeviceFile.RegionInfoCall c = f.requireRegionInfo(CONFIG);
        if (!t.expect(c.ok(), "CONFIG info succeeds", Fmt.ret(c.ret()))) {
            return;
        }
        DeviceFile.Rw vendor = f.pread(CONFIG, 0, 2);
        DeviceFile.Rw device = f.pread(CONFIG, 2, 2);
        t.expect(vendor.ret() == 2 && device.ret() == 2, "2-byte reads return 2",
                Fmt.ret(vendor.ret()) + ", " + Fmt.ret(device.ret()));
        int size = (int) c.head().size();
        DeviceFile.Rw all = f.pread(CONFIG, 0, size);
        t.expectEquals((long) size, all.ret(), "bulk read of the whole config space returns");
        if (all.ret() == size && vendor.ret() == 2 && device.ret() == 2) {
            t.expect(all.value(2) == vendor.value(2) && Fmt.le(all.data(), 2, 2) == device.value(2),
                    "the bulk read agrees with the 2-byte reads", "they differ");
        }
        d.pciSpec().filter(s -> d.coreRegion(CONFIG)).ifPresent(s -> {
            t.expectEquals(Fmt.hex(s.vendorId()), Support.show(vendor, 2), "vendor ID");
            t.expectEquals(Fmt.hex(s.deviceId()), Support.show(device, 2), "device ID");
        });
        t.add("read past config space (errno not pinned by kernel-facts; recorded):");
        f.pread(CONFIG, size, 1);
    }

    /**
     * A one-byte pread of each region's first byte, last byte and first byte past its end (for
     * an empty region, its offset), each recorded: what a driver answers at its edges is its own
     * (kernel-facts pins no errno past the end), but it must not be a kernel bug, and where
     * upstream has one (mbochs' and mtty's unchecked accesses) the run says so.
     */
    private static void rw11(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        for (DeviceProfile.Region r : d.okRegions()) {
            f.requireRegionInfo(r.index());
            long size = r.size();
            long[] edges = size == 0 ? new long[] {0} : size == 1 ? new long[] {0, 1}
                    : new long[] {0, size - 1, size};
            for (long delta : edges) {
                f.pread(r.index(), delta, 1);
            }
        }
    }

    private static void rw02(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        f.requireRegionInfo(CONFIG);
        Optional<Long> cmd = f.readValue(CONFIG, PCI_COMMAND, 2);
        if (!t.expect(cmd.isPresent(), "PCI_COMMAND reads", "short read")) {
            return;
        }
        t.expect((cmd.get() & PCI_COMMAND_MASTER) == 0, "bus master is clear after open",
                Fmt.hex(cmd.get()));
        t.expect(f.writeValue(CONFIG, PCI_COMMAND, 2, cmd.get() | PCI_COMMAND_MASTER),
                "writing bus master on transfers 2 bytes", "short write");
        Optional<Long> on = f.readValue(CONFIG, PCI_COMMAND, 2);
        t.expect(on.isPresent() && (on.get() & PCI_COMMAND_MASTER) != 0, "bus master reads back set",
                on.map(Fmt::hex).orElse("short read"));
        t.expect(f.writeValue(CONFIG, PCI_COMMAND, 2, cmd.get() & ~PCI_COMMAND_MASTER),
                "writing bus master off transfers 2 bytes", "short write");
        Optional<Long> off = f.readValue(CONFIG, PCI_COMMAND, 2);
        t.expect(off.isPresent() && (off.get() & PCI_COMMAND_MASTER) == 0,
                "bus master reads back clear", off.map(Fmt::hex).orElse("short read"));
    }

    private static void rw04(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        DeviceProfile.Region r = firstWith(d, R).orElseThrow();
        f.requireRegionInfo(r.index());
        DeviceFile.Rw read = f.pread(r.index(), 0, 0);
        DeviceFile.Rw past = f.pread(r.index(), r.size(), 0);
        if (d.coreRegion(r.index())) {
            t.expectEquals(0L, read.ret(), "zero-length read returns");
            t.expectEquals(0L, past.ret(), "zero-length read at the region end returns (count 0 "
                    + "returns before any check)");
        }
        Optional<DeviceProfile.Region> w = firstWith(d, W);
        if (w.isPresent()) {
            f.requireRegionInfo(w.get().index());
            DeviceFile.Rw write = f.pwrite(w.get().index(), 0, new byte[0]);
            if (d.coreRegion(w.get().index())) {
                t.expectEquals(0L, write.ret(), "zero-length write returns");
            }
        }
    }

    private static void rw05(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        MsixLocation m = msixTableBar(d).orElseThrow();
        int bar = m.tableBar();
        DeviceFile.RegionInfoCall info = f.requireRegionInfo(bar);
        long table = m.tableOffset();
        DeviceFile.Rw r = f.pread(bar, table, 16);
        byte[] ff = new byte[16];
        Arrays.fill(ff, (byte) 0xff);
        t.expect(r.ret() == 16 && Arrays.equals(ff, r.data()), "16 bytes of the table read as 0xFF",
                r.ret() == 16 ? Fmt.bytes(r.data(), 16) : Fmt.ret(r.ret()));
        DeviceFile.Mapped mapped = null;
        long page = Support.pageOf(d, table);
        DeviceProfile.Region region = d.region(bar).orElseThrow();
        if (info.ok() && info.hasFlag(Support.MMAP) && info.msixMappable()
                && Support.inArea(region, page, Math.min(d.pageSize(), region.size()))
                && Limits.mmapFits(d.arch(), f.offsetOf(bar) + page, d.pageSize())) {
            DeviceFile.MmapCall mc = f.mmap(0, d.pageSize(), Mman.PROT_READ | Mman.PROT_WRITE,
                    Mman.MAP_SHARED, bar, page);
            t.expect(mc.ok(), "the MSI-X-mappable table page maps", Fmt.errno(mc.errno()));
            mapped = mc.mapped();
        }
        DeviceFile.Access before = mapped == null ? null : f.load(mapped, table + 4, 4);
        DeviceFile.Rw w = f.pwrite(bar, table + 4, Fmt.le(0x12345678L, 4));
        t.expectEquals(4L, w.ret(), "a 4-byte write into the table reports");
        if (mapped != null) {
            DeviceFile.Access after = f.load(mapped, table + 4, 4);
            t.expect(before.ok() && after.ok() && before.value().equals(after.value()),
                    "the write was dropped (the table as mapped is unchanged)",
                    (before.ok() ? Fmt.hex(before.value()) : before.signal()) + " -> "
                            + (after.ok() ? Fmt.hex(after.value()) : after.signal()));
        }
        DeviceFile.Rw again = f.pread(bar, table + 4, 4);
        t.expectEquals(Fmt.hex(0xFFFF_FFFFL), Support.show(again, 4), "the table still reads");
        if (!DriverFacts.coreIoeventfd(d.spec())) {
            t.add("ioeventfd is the driver's own (recorded):");
            f.ioeventfd(bar, table, 4, 0, 9);
            return;
        }
        long e = f.ioeventfd(bar, table, 4, 0, 9);
        t.expect(e == -Errno.EINVAL, "ioeventfd on the table fails with EINVAL", Fmt.ret(e));
        long outside = table >= 4 ? 0 : table + m.tableSize();
        if (outside + 4 <= info.head().size()) {
            long add = f.ioeventfd(bar, outside, 4, 1, 9);
            t.expectEquals(0L, add, "ioeventfd outside the table is accepted");
            long del = f.ioeventfd(bar, outside, 4, 1, -1);
            t.expectEquals(0L, del, "and removed with fd -1");
        }
    }

    private static void rw06(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        DeviceProfile.Region r = Support.coreMemBar(d, 8, false).orElseThrow();
        long i = r.index();
        long s = Support.scratchOf(d, r, 8);
        f.requireRegionInfo(i);
        long pattern = 0x1122_3344_5566_7788L;
        t.expectEquals(8L, f.pwrite(i, s, Fmt.le(pattern, 8)).ret(), "an aligned 8-byte write reports");
        DeviceFile.Rw back = f.pread(i, s, 8);
        t.expectEquals(Fmt.hex(pattern), Support.show(back, 8), "the 8 bytes read back");
        t.expectEquals(4L, f.pwrite(i, s + 2, Fmt.le(0xAABB_CCDDL, 4)).ret(),
                "a 4-byte write at offset 2 reports");
        long merged = (pattern & ~0x0000_FFFF_FFFF_0000L) | (0xAABB_CCDDL << 16);
        t.expectEquals(Fmt.hex(merged), Support.show(f.pread(i, s, 8), 8),
                "the unaligned write landed on bytes 2..5 only");
    }

    private static void rw07(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        DeviceProfile.Region r = Support.coreMemBar(d, 4, false).orElseThrow();
        long i = r.index();
        long s = Support.scratchOf(d, r, 4);
        f.requireRegionInfo(CONFIG);
        f.requireRegionInfo(i);
        Optional<Long> cmd = f.readValue(CONFIG, PCI_COMMAND, 2);
        if (!t.expect(cmd.isPresent(), "PCI_COMMAND reads", "short read")) {
            return;
        }
        long on = cmd.get() | PCI_COMMAND_MEMORY;
        if ((cmd.get() & PCI_COMMAND_MEMORY) == 0) {
            t.add("memory decode is off: turning it on first");
            f.writeValue(CONFIG, PCI_COMMAND, 2, on);
        }
        DeviceFile.Mapped m = null;
        long page = Support.pageOf(d, s);
        if (r.mmap() && Support.pageFits(d, r, page)
                && Support.inArea(r, page, Math.min(d.pageSize(), r.size()))) {
            DeviceFile.MmapCall mc = f.mmap(0, d.pageSize(), Mman.PROT_READ | Mman.PROT_WRITE,
                    Mman.MAP_SHARED, i, page);
            t.expect(mc.ok(), "the BAR page maps", Fmt.errno(mc.errno()));
            m = mc.mapped();
        }
        if (m != null) {
            t.expect(f.load(m, s, 4).ok(), "a load works while decode is on", "signal");
        }
        t.expect(f.writeValue(CONFIG, PCI_COMMAND, 2, on & ~PCI_COMMAND_MEMORY),
                "clearing PCI_COMMAND.MEMORY transfers 2 bytes", "short write");
        DeviceFile.Rw off = f.pread(i, s, 4);
        DeviceFile.Access offLoad = m == null ? null : f.load(m, s, 4);
        if (DriverFacts.memoryEnableGates(d.spec())) {
            t.expect(off.errno() == Errno.EIO, "pread with decode off fails with EIO", Fmt.ret(off.ret()));
            if (m != null) {
                t.expect(offLoad.sigbus(), "a load with decode off raises SIGBUS",
                        offLoad.ok() ? Fmt.hex(offLoad.value()) : offLoad.signal());
            }
        } else {
            t.add("SR-IOV VF: the kernel keeps memory decode on (no_command_memory); recorded");
        }
        t.expect(f.writeValue(CONFIG, PCI_COMMAND, 2, on), "setting PCI_COMMAND.MEMORY again transfers 2 bytes",
                "short write");
        DeviceFile.Rw back = f.pread(i, s, 4);
        t.expectEquals(4L, back.ret(), "pread after re-enable returns");
        if (m != null) {
            DeviceFile.Access a = f.load(m, s, 4);
            t.expect(a.ok() && back.ret() == 4 && a.value() == back.value(4),
                    "the mapping refaults and agrees with pread",
                    a.ok() ? Fmt.hex(a.value()) : a.signal());
        }
    }

    private static void rw08(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        DeviceFile.RegionInfoCall info = f.requireRegionInfo(ROM);
        long size = info.head().size();
        PciRom rom = d.pciSpec().orElseThrow().rom();
        byte[] data = new byte[(int) size];
        long off = 0;
        long last = 0;
        int maxChunks = (int) (size / ROM_CHUNK) + 2;
        for (int n = 0; n < maxChunks && off < size + ROM_CHUNK; n++) {
            DeviceFile.Rw r = f.pread(ROM, off, ROM_CHUNK);
            last = r.ret();
            if (r.ret() <= 0) {
                break;
            }
            if (off < size) {
                System.arraycopy(r.data(), 0, data, (int) off, (int) Math.min(r.ret(), size - off));
            }
            off += r.ret();
        }
        t.add("read " + Fmt.hex(off) + " of " + Fmt.hex(size) + " bytes: "
                + Fmt.bytes(data, (int) Math.min(off, size)));
        if (!rom.shadow()) {
            t.expectEquals(Fmt.hex(size), Fmt.hex(off), "the reads cover the whole ROM region");
            t.expect(last == -Errno.EINVAL, "reading at the region end fails with EINVAL", Fmt.ret(last));
            byte[] image = rom.image();
            int imageLen = (int) Math.min(image.length, size);
            boolean imageOk = Arrays.equals(Arrays.copyOf(data, imageLen), Arrays.copyOf(image, imageLen));
            boolean fillOk = true;
            for (int k = imageLen; k < Math.min(off, size); k++) {
                fillOk &= data[k] == (byte) 0xff;
            }
            t.expect(imageOk, "the image reads back", "differs");
            t.expect(fillOk, "bytes past the image read 0xFF", "not 0xFF");
        } else {
            t.add("shadow ROM: how far reads go is not pinned by kernel-facts; recorded");
        }
        DeviceFile.Rw w = f.pwrite(ROM, 0, new byte[] {0});
        t.expect(w.errno() == Errno.EINVAL, "a write to the ROM fails with EINVAL", Fmt.ret(w.ret()));
    }

    private static void rw10(Process p, DeviceProfile d, Transcript t) {
        DeviceFile f = DeviceFile.open(p, d, t);
        PciFunctionSpec spec = d.pciSpec().orElseThrow();
        f.requireRegionInfo(CONFIG);
        for (int i : ioBars(d)) {
            t.begin(f.name(i));
            DeviceFile.RegionInfoCall c = f.requireRegionInfo(i);
            t.expectEquals(VfioRegionInfo.flagNames(R | W), VfioRegionInfo.flagNames(c.head().flags()),
                    "an I/O BAR's flags (no MMAP)");
            t.expectEquals(Fmt.hex(spec.bar(i).size()), Fmt.hex(c.head().size()), "size");
            Optional<Long> reg = f.readValue(CONFIG, PCI_BASE_ADDRESS_0 + 4L * i, 4);
            t.expect(reg.isPresent() && (reg.get() & 1) != 0, "the BAR register says I/O space",
                    reg.map(Fmt::hex).orElse("short read"));
            t.expectEquals(1L, f.pwrite(i, 0, new byte[] {0x5a}).ret(), "a 1-byte port write reports");
            t.expectEquals(1L, f.pread(i, 0, 1).ret(), "a 1-byte port read reports");
            if (c.head().size() >= 4) {
                t.expectEquals(4L, f.pread(i, 0, 4).ret(), "a 4-byte port read reports");
            }
            boolean fits = Limits.mmapFits(d.arch(), f.offsetOf(i), d.pageSize());
            DeviceFile.MmapCall mc = f.mmap(0, d.pageSize(), Mman.PROT_READ, Mman.MAP_SHARED, i, 0);
            t.expect(!mc.ok() && (fits ? mc.errno() == Errno.EINVAL
                    : Limits.isArchLimitErrno(d.arch(), f.offsetOf(i), mc.errno())),
                    "mmap of an I/O BAR fails", mc.ok() ? "ok" : Fmt.errno(mc.errno()));
            t.end();
        }
    }
}
