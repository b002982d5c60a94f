package vfiowb.common.conformance.clients;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import vfiowb.common.conformance.DeviceFile;
import vfiowb.common.conformance.Fmt;
import vfiowb.common.conformance.Limits;
import vfiowb.common.conformance.MsixCarve;
import vfiowb.common.conformance.MsixCarve.Area;
import vfiowb.common.conformance.MsixLocation;
import vfiowb.common.conformance.Transcript;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.mm.Mman;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIndex;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionSparseMmapArea;
import vfiowb.common.uapi.VfioRegionType;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;

/**
 * QEMU's vfio-pci realize as userspace-clients §1.1 describes it (hw/vfio/device.c, region.c,
 * pci.c, igd.c, QEMU 9.2+):
 * <ol>
 * <li>device info; a PCI device needs at least 8 regions and 3 IRQ indexes;</li>
 * <li>{@code vfio_region_setup} of BAR0-5: REGION_INFO re-issued while argsz grows, replies
 *     cached per index; sparse areas kept only when non-empty, else one whole-region area;
 *     CONFIG info; the ERR IRQ;</li>
 * <li>one read of the whole config space; ROM BAR sizing through config writes;</li>
 * <li>{@code vfio_msix_early_setup}: MSI-X from config (PBA quirks for Chelsio T5 and Kunlun VFs,
 *     else failure when the PBA lies beyond its BAR) and {@code vfio_pci_fixup_msix_region}
 *     (keep the whole BAR with MSIX_MAPPABLE, else carve out the table's host pages);</li>
 * <li>{@code vfio_region_mmap} of every area: reserve size + align of PROT_NONE, trim to an
 *     aligned window (align = min(1 << ctz(size), 1 GiB)), then MAP_SHARED|MAP_FIXED at region
 *     offset + area offset; any failure unmaps the region's areas and leaves the BAR on the
 *     slow path ("Performance may be slow");</li>
 * <li>a first guest access of each BAR (through the mapping, or pread on the slow path, where a
 *     failed read gives all-ones); the ROM load loop; for an Intel VGA device, the OpRegion
 *     found by type and read in one pread.</li>
 * </ol>
 * A non-PCI device gets QEMU's vfio-platform treatment: every region set up and mapped alike.
 * VGA ({@code x-vga}), MSI-X relocation and interrupts are not modelled.
 */
public final class QemuClient implements Client {
    private static final int CONFIG = VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX;
    private static final int ROM = VfioIndex.VFIO_PCI_ROM_REGION_INDEX;
    private static final int PCI_ROM_ADDRESS = 0x30;
    private static final long PCI_ROM_ADDRESS_MASK = 0xFFFF_F800L;
    private static final int PCI_STATUS = 0x06;
    private static final int PCI_CAPABILITY_LIST = 0x34;
    private static final int PCI_CLASS_DEVICE = 0x0a;
    private static final int PCI_CAP_ID_MSIX = 0x11;
    private static final long GIB = 1L << 30;
    private static final int MAX_ROM_RETRIES = 8;

    @Override
    public String name() {
        return "qemu";
    }

    @Override
    public void run(Process p, String device, Transcript t) {
        DeviceFile f;
        try {
            f = DeviceFile.open(p, device, t);
        } catch (ErrnoException e) {
            t.add("QEMU: cannot open the device: realize fails");
            return;
        }
        new Realize(f).run();
    }

    /** A {@code VFIORegion} after {@code vfio_region_setup}. */
    private static final class Region {
        final long index;
        final long flags;
        final long size;
        List<Area> mmaps = new ArrayList<>();
        final List<DeviceFile.Mapped> mapped = new ArrayList<>();

        Region(long index, long flags, long size) {
            this.index = index;
            this.flags = flags;
            this.size = size;
        }
    }

    /** One realize, with QEMU's per-device REGION_INFO cache. */
    private static final class Realize {
        private final DeviceFile f;
        private final Transcript t;
        private final Map<Long, DeviceFile.RegionInfoCall> cache = new HashMap<>();
        private long numRegions;

        Realize(DeviceFile f) {
            this.f = f;
            this.t = f.transcript();
        }

        /** {@code vfio_device_get_region_info}: cached for indexes below num_regions. */
        DeviceFile.RegionInfoCall info(long index) {
            DeviceFile.RegionInfoCall c = cache.get(index);
            if (c != null) {
                return c;
            }
            c = f.regionInfoWhileGrows(index);
            if (c.ok() && index < numRegions) {
                cache.put(index, c);
            }
            return c;
        }

        void run() {
            DeviceFile.DeviceInfoCall di = f.deviceInfo();
            if (!di.ok()) {
                t.add("QEMU: getting device info failed: realize fails");
                return;
            }
            numRegions = di.info().numRegions();
            if (!di.hasFlag(VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI)) {
                platform();
                return;
            }
            if (numRegions < CONFIG + 1) {
                t.add("QEMU: unexpected number of io regions " + numRegions + ": realize fails");
                return;
            }
            if (di.info().numIrqs() < VfioIndex.VFIO_PCI_MSIX_IRQ_INDEX + 1) {
                t.add("QEMU: unexpected number of irqs " + di.info().numIrqs() + ": realize fails");
                return;
            }
            Region[] bars = new Region[VfioIndex.VFIO_PCI_BAR5_REGION_INDEX + 1];
            t.begin("vfio_populate_device");
            for (int i = 0; i < bars.length; i++) {
                bars[i] = setup(i);
                if (bars[i] == null) {
                    t.add("QEMU: failed to get region " + i + " info: realize fails");
                    t.end();
                    return;
                }
            }
            DeviceFile.RegionInfoCall config = info(CONFIG);
            if (!config.ok()) {
                t.add("QEMU: failed to get config info: realize fails");
                t.end();
                return;
            }
            long configSize = config.head().size();
            t.add("config_size " + Fmt.hex(configSize)
                    + (configSize == 256 ? ": the PCI Express capability is hidden" : ""));
            DeviceFile.IrqInfoCall err = f.irqInfo(VfioIndex.VFIO_PCI_ERR_IRQ_INDEX);
            t.add(err.ok() && err.info().count() == 1 ? "AER: ERR IRQ present" : "AER: no ERR IRQ");
            t.end();

            int n = (int) Math.min(configSize, 4096);
            DeviceFile.Rw cfg = f.pread(CONFIG, 0, n);
            if (cfg.ret() != n) {
                t.add("QEMU: failed to read device config space: realize fails");
                return;
            }
            byte[] config0 = cfg.data();
            int vendor = (int) Fmt.le(config0, 0, 2);
            int device = (int) Fmt.le(config0, 2, 2);
            int klass = (int) Fmt.le(config0, PCI_CLASS_DEVICE, 2);
            t.add(String.format("vendor %04x device %04x class %04x", vendor, device, klass));
            long romSize = sizeRom();

            Optional<MsixLocation> msix = Optional.empty();
            int pos = findCapability(config0, PCI_CAP_ID_MSIX);
            if (pos != 0) {
                t.begin("vfio_msix_early_setup");
                msix = msixEarlySetup(pos, bars, vendor, device);
                if (msix == null) {
                    t.end();
                    return;
                }
                fixupMsixRegion(bars[msix.get().tableBar()], msix.get());
                t.end();
            }
            for (Region r : bars) {
                register(r);
            }
            if (romSize > 0) {
                loadRom();
            }
            if (vendor == VfioRegionType.PCI_VENDOR_ID_INTEL && klass == 0x0300) {
                igdOpRegion();
            }
            t.add("realize complete");
        }

        /** QEMU's vfio-platform: every region set up, mapped and touched like a BAR. */
        void platform() {
            t.add("not a PCI device: every region set up as QEMU's vfio-platform does");
            long n = Math.min(numRegions, 64);
            List<Region> regions = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                Region r = setup(i);
                if (r == null) {
                    t.add("QEMU: failed to get region " + i + " info: realize fails");
                    return;
                }
                regions.add(r);
            }
            for (Region r : regions) {
                register(r);
            }
            t.add("realize complete");
        }

        /** {@code vfio_region_setup}: null when REGION_INFO fails. */
        Region setup(long i) {
            DeviceFile.RegionInfoCall c = info(i);
            if (!c.ok()) {
                return null;
            }
            Region r = new Region(i, c.head().flags(), c.head().size());
            if (r.size == 0) {
                t.add(f.name(i) + ": size 0, no memory region");
                return r;
            }
            if ((r.flags & VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP) != 0) {
                Optional<RegionCap> sparse = CapWalk.find(c, VfioRegionInfo.VFIO_REGION_INFO_CAP_SPARSE_MMAP,
                        t, "QEMU");
                if (sparse.isPresent() && sparse.get() instanceof RegionCap.Sparse) {
                    RegionCap.Sparse s = (RegionCap.Sparse) sparse.get();
                    for (VfioRegionSparseMmapArea a : s.areas()) {
                        if (a.size() != 0) {
                            r.mmaps.add(new Area(a.offset(), a.size()));
                        }
                    }
                    t.add(f.name(i) + ": sparse mmap nr_areas " + s.nrAreas() + ", keeping the non-empty ones");
                } else {
                    r.mmaps.add(new Area(0, r.size));
                }
            }
            t.add(f.name(i) + ": size " + Fmt.hex(r.size) + " flags " + VfioRegionInfo.flagNames(r.flags)
                    + " mmaps " + r.mmaps);
            return r;
        }

        /** {@code vfio_pci_size_rom}: the ROM BAR's size by writing the address mask to config. */
        long sizeRom() {
            Optional<Long> orig = f.readValue(CONFIG, PCI_ROM_ADDRESS, 4);
            if (orig.isEmpty() || !f.writeValue(CONFIG, PCI_ROM_ADDRESS, 4, PCI_ROM_ADDRESS_MASK)) {
                t.add("QEMU: vfio_pci_size_rom failed");
                return 0;
            }
            Optional<Long> mask = f.readValue(CONFIG, PCI_ROM_ADDRESS, 4);
            f.writeValue(CONFIG, PCI_ROM_ADDRESS, 4, orig.get());
            if (mask.isEmpty()) {
                t.add("QEMU: vfio_pci_size_rom failed");
                return 0;
            }
            long size = (~(mask.get() & PCI_ROM_ADDRESS_MASK) + 1) & 0xFFFF_FFFFL;
            t.add(size == 0 ? "no ROM BAR" : "ROM BAR of " + Fmt.hex(size));
            return size;
        }

        /** {@code pci_find_capability} over QEMU's copy of config space. */
        int findCapability(byte[] config, int id) {
            if ((Fmt.le(config, PCI_STATUS, 2) & 0x10) == 0) {
                return 0;
            }
            int pos = config[PCI_CAPABILITY_LIST] & 0xfc;
            for (int ttl = 48; ttl > 0 && pos >= 0x40 && pos + 2 <= config.length; ttl--) {
                int cap = config[pos] & 0xff;
                if (cap == 0xff) {
                    break;
                }
                if (cap == id) {
                    return pos;
                }
                pos = config[pos + 1] & 0xfc;
            }
            return 0;
        }

        /** Null when realize fails here. */
        Optional<MsixLocation> msixEarlySetup(int pos, Region[] bars, int vendor, int device) {
            Optional<Long> ctrl = f.readValue(CONFIG, pos + 2, 2);
            Optional<Long> table = f.readValue(CONFIG, pos + 4, 4);
            Optional<Long> pba = f.readValue(CONFIG, pos + 8, 4);
            if (ctrl.isEmpty() || table.isEmpty() || pba.isEmpty()) {
                t.add("QEMU: failed to read PCI MSIX capability: realize fails");
                return null;
            }
            MsixLocation m = new MsixLocation(pos, (int) (ctrl.get() & 0x7ff) + 1,
                    (int) (table.get() & 7), table.get() & ~7L, (int) (pba.get() & 7), pba.get() & ~7L);
            t.add("MSI-X: " + m.entries() + " entries, table " + f.loc(m.tableBar(), m.tableOffset())
                    + ", PBA " + f.loc(m.pbaBar(), m.pbaOffset()));
            if (m.pbaOffset() >= bars[m.pbaBar()].size) {
                OptionalLong quirk = MsixCarve.qemuPbaQuirk(vendor, device);
                if (quirk.isEmpty()) {
                    t.add("QEMU: hardware reports invalid configuration, MSIX PBA outside of "
                            + "specified BAR: realize fails");
                    return null;
                }
                m = new MsixLocation(m.capOffset(), m.entries(), m.tableBar(), m.tableOffset(), m.pbaBar(),
                        quirk.getAsLong());
                t.add("PBA beyond " + f.name(m.pbaBar()) + ": device quirk moves it to "
                        + Fmt.hex(quirk.getAsLong()));
            }
            return Optional.of(m);
        }

        /** {@code vfio_pci_fixup_msix_region}. */
        void fixupMsixRegion(Region r, MsixLocation m) {
            DeviceFile.RegionInfoCall c = info(r.index);
            if (CapWalk.find(c, VfioRegionInfo.VFIO_REGION_INFO_CAP_MSIX_MAPPABLE, t, "QEMU").isPresent()) {
                t.add(f.name(r.index) + ": MSIX_MAPPABLE: whole BAR mapped, table emulated on top");
                return;
            }
            if (r.mmaps.size() != 1 || r.mmaps.get(0).offset() != 0 || r.mmaps.get(0).size() != r.size) {
                t.add(f.name(r.index) + ": not one whole-BAR area: left as " + r.mmaps);
                return;
            }
            r.mmaps = MsixCarve.qemu(r.size, m.tableOffset(), m.tableSize(), f.arch().pageSize());
            t.add(f.name(r.index) + ": table carved out: mmaps " + r.mmaps);
        }

        /** {@code vfio_bar_register}: map the areas, then the first access. */
        void register(Region r) {
            if (r.size == 0) {
                return;
            }
            t.begin(f.name(r.index));
            if ((r.flags & VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP) != 0 && !r.mmaps.isEmpty()) {
                mmapRegion(r);
            }
            firstAccess(r);
            t.end();
        }

        /** {@code vfio_region_mmap}. */
        void mmapRegion(Region r) {
            int prot = ((r.flags & VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ) != 0 ? Mman.PROT_READ : 0)
                    | ((r.flags & VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE) != 0 ? Mman.PROT_WRITE : 0);
            for (Area a : r.mmaps) {
                long align = Math.min(Limits.lowestPowerOfTwo(a.size()), GIB);
                Optional<Mapping> res = f.reserve(a.size() + align);
                if (res.isEmpty()) {
                    noMmap(r);
                    return;
                }
                long base = res.get().addr();
                long aligned = (base + align - 1) & -align;
                f.unmapQuietly(base, aligned - base);
                f.unmapQuietly(aligned + a.size(), align - (aligned - base));
                DeviceFile.MmapCall mc = f.mmap(aligned, a.size(), prot, Mman.MAP_SHARED | Mman.MAP_FIXED,
                        r.index, a.offset());
                if (!mc.ok()) {
                    f.unmapQuietly(aligned, a.size());
                    noMmap(r);
                    return;
                }
                r.mapped.add(mc.mapped());
            }
        }

        private void noMmap(Region r) {
            for (DeviceFile.Mapped m : r.mapped) {
                f.unmapQuietly(m.mapping().addr(), m.length());
            }
            r.mapped.clear();
            t.add("Failed to mmap " + f.name(r.index) + ". Performance may be slow");
        }

        /** A first 4-byte guest read at offset 0: through a mapping, else {@code vfio_region_read}. */
        void firstAccess(Region r) {
            if (r.size < 4) {
                return;
            }
            for (DeviceFile.Mapped m : r.mapped) {
                if (m.delta() == 0) {
                    f.load(m, 0, 4);
                    return;
                }
            }
            DeviceFile.Rw rw = f.pread(r.index, 0, 4);
            if (rw.ret() != 4) {
                t.add("slow-path read failed: the guest reads " + Fmt.hex(0xFFFF_FFFFL));
            }
        }

        /** {@code vfio_pci_load_rom}, as the first guest ROM read triggers it. */
        void loadRom() {
            DeviceFile.RegionInfoCall c = info(ROM);
            if (!c.ok() || c.head().size() == 0) {
                t.add("QEMU: cannot read device rom: option ROM contents are probably invalid");
                return;
            }
            long size = c.head().size();
            byte[] rom = new byte[(int) size];
            java.util.Arrays.fill(rom, (byte) 0xff);
            long off = 0;
            int retries = 0;
            while (off < size) {
                DeviceFile.Rw r = f.pread(ROM, off, (int) (size - off));
                if (r.ret() == 0) {
                    break;
                }
                if (r.ret() > 0) {
                    System.arraycopy(r.data(), 0, rom, (int) off, (int) r.ret());
                    off += r.ret();
                    continue;
                }
                if ((r.errno() == Errno.EINTR || r.errno() == Errno.EAGAIN) && retries++ < MAX_ROM_RETRIES) {
                    continue;
                }
                t.add("QEMU: error reading device ROM: " + Errno.name(r.errno()));
                break;
            }
            boolean signature = (rom[0] & 0xff) == 0x55 && (rom[1] & 0xff) == 0xaa;
            t.add("ROM loaded: " + Fmt.hex(off) + " of " + Fmt.hex(size) + " bytes, "
                    + (signature ? "0x55aa signature" : "no ROM signature"));
        }

        /** {@code vfio_device_get_region_info_type} for the OpRegion, then one full pread. */
        void igdOpRegion() {
            long want = VfioRegionType.pciVendorType(VfioRegionType.PCI_VENDOR_ID_INTEL);
            for (long i = 0; i < Math.min(numRegions, 64); i++) {
                DeviceFile.RegionInfoCall c = info(i);
                if (!c.ok()) {
                    continue;
                }
                Optional<RegionCap> ty = CapWalk.find(c, VfioRegionInfo.VFIO_REGION_INFO_CAP_TYPE, t, "QEMU");
                if (ty.isPresent() && ty.get() instanceof RegionCap.Type
                        && ((RegionCap.Type) ty.get()).type() == want
                        && ((RegionCap.Type) ty.get()).subtype()
                                == VfioRegionType.VFIO_REGION_SUBTYPE_INTEL_IGD_OPREGION) {
                    long size = c.head().size();
                    DeviceFile.Rw r = f.pread(i, 0, (int) size);
                    t.add(r.ret() == size ? "IGD OpRegion read" : "QEMU: failed to read IGD OpRegion");
                    return;
                }
            }
            t.add("no IGD OpRegion region");
        }
    }
}
