package vfiowb.common.conformance.clients;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import vfiowb.common.conformance.DeviceFile;
import vfiowb.common.conformance.Fmt;
import vfiowb.common.conformance.MsixCarve;
import vfiowb.common.conformance.MsixCarve.Area;
import vfiowb.common.conformance.Transcript;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.mm.Mman;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIndex;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionSparseMmapArea;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;

/**
 * DPDK's primary-process probe ({@code pci_vfio_map_resource_primary}, drivers/bus/pci/linux/
 * pci_vfio.c) as userspace-clients §1.2 describes it:
 * <ol>
 * <li>device info; only PCI devices are probed;</li>
 * <li>CONFIG info, REGION_INFO re-issued while the returned argsz differs from the one passed;
 *     config accesses are bounds-checked against its size, then pread/pwrite;</li>
 * <li>MSI-X from the config capability list; its BAR forgotten for mapping purposes if it
 *     reports MSIX_MAPPABLE;</li>
 * <li>for each index below min(num_regions, 6): REGION_INFO (failure fails the probe), skip I/O
 *     BARs (bit 0 of the BAR register) and BARs without MMAP; with a sparse cap of at least one
 *     area, reserve the BAR's size and map each non-empty area at reserve + area offset; else
 *     map around the MSI-X table (clamped table start, the whole BAR skipped when the table
 *     starts it and reaches its end); mappings always PROT_READ|PROT_WRITE, MAP_SHARED at a
 *     forced address; any failure unmaps everything and fails the probe;</li>
 * <li>set memory enable and bus master through config read-modify-write, VFIO_DEVICE_RESET
 *     (EINVAL tolerated);</li>
 * <li>a first access of each mapped BAR through the mapping and through its bounds-checked
 *     pread path, and of each I/O BAR through pread.</li>
 * </ol>
 * Interrupt setup, the VA hint past the hugepages and secondary processes are not modelled.
 */
public final class DpdkClient implements Client {
    private static final int CONFIG = VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX;
    private static final int PCI_MAX_RESOURCE = 6;
    private static final int PCI_COMMAND = 0x04;
    private static final int PCI_COMMAND_MEMORY = 0x2;
    private static final int PCI_COMMAND_MASTER = 0x4;
    private static final int PCI_BASE_ADDRESS_0 = 0x10;
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;

    @Override
    public String name() {
        return "dpdk";
    }

    @Override
    public void run(Process p, String device, Transcript t) {
        DeviceFile f;
        try {
            f = DeviceFile.open(p, device, t);
        } catch (ErrnoException e) {
            t.add("DPDK: cannot open the device: probe fails");
            return;
        }
        new Probe(f).run();
    }

    /** A BAR DPDK mapped: its reservation and the device mappings in it. */
    private record MappedBar(int index, long size, Mapping reservation, List<DeviceFile.Mapped> parts) {}

    private static final class Probe {
        private final DeviceFile f;
        private final Transcript t;
        private long configSize;
        private final List<MappedBar> mapped = new ArrayList<>();
        private final List<Integer> ioBars = new ArrayList<>();

        Probe(DeviceFile f) {
            this.f = f;
            this.t = f.transcript();
        }

        void run() {
            DeviceFile.DeviceInfoCall di = f.deviceInfo();
            if (!di.ok()) {
                t.add("DPDK: cannot get device info: probe fails");
                return;
            }
            if (!di.hasFlag(VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI)) {
                t.add("DPDK: not a PCI device: the PCI bus does not probe it");
                return;
            }
            DeviceFile.RegionInfoCall config = f.regionInfoWhileDiffers(CONFIG);
            if (!config.ok()) {
                t.add("DPDK: cannot get the config region info: probe fails");
                return;
            }
            configSize = config.head().size();
            int msixBar = -1;
            long tableOffset = 0;
            long tableSize = 0;
            t.begin("pci_vfio_get_msix_bar");
            int pos = findCapability(0x11);
            if (pos > 0) {
                Optional<Long> table = readConfig(pos + 4, 4);
                Optional<Long> flags = readConfig(pos + 2, 2);
                if (table.isEmpty() || flags.isEmpty()) {
                    t.add("DPDK: cannot read the MSI-X capability: probe fails");
                    t.end();
                    return;
                }
                msixBar = (int) (table.get() & 7);
                tableOffset = table.get() & ~7L;
                tableSize = 16 * (1 + (flags.get() & 0x7ff));
                t.add("MSI-X table in " + f.loc(msixBar, tableOffset) + ", " + Fmt.hex(tableSize) + " bytes");
                DeviceFile.RegionInfoCall mi = f.regionInfoWhileDiffers(msixBar);
                if (mi.ok() && CapWalk.find(mi, VfioRegionInfo.VFIO_REGION_INFO_CAP_MSIX_MAPPABLE, t, "DPDK")
                        .isPresent()) {
                    t.add("MSI-X table mappable: ignored for mapping");
                    msixBar = -1;
                }
            } else {
                t.add("no MSI-X capability");
            }
            t.end();

            long n = Math.min(di.info().numRegions(), PCI_MAX_RESOURCE);
            for (int i = 0; i < n; i++) {
                t.begin(f.name(i));
                boolean ok = mapBar(i, msixBar, tableOffset, tableSize);
                t.end();
                if (!ok) {
                    unwind();
                    return;
                }
            }
            if (!setupDevice()) {
                unwind();
                return;
            }
            access();
            t.add("probe complete");
        }

        /** False when the probe fails. */
        boolean mapBar(int i, int msixBar, long tableOffset, long tableSize) {
            DeviceFile.RegionInfoCall reg = f.regionInfoWhileDiffers(i);
            if (!reg.ok()) {
                t.add("DPDK: cannot get device region info: probe fails");
                return false;
            }
            Optional<Long> bar = readConfig(PCI_BASE_ADDRESS_0 + 4 * i, 4);
            if (bar.isEmpty()) {
                t.add("DPDK: cannot read the BAR register: probe fails");
                return false;
            }
            if ((bar.get() & 1) != 0) {
                t.add("Ignore mapping IO port bar(" + i + ")");
                ioBars.add(i);
                return true;
            }
            if (!reg.hasFlag(VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP)) {
                t.add("not mappable: skipped");
                return true;
            }
            long size = reg.head().size();
            Optional<RegionCap> sparse = CapWalk.find(reg, VfioRegionInfo.VFIO_REGION_INFO_CAP_SPARSE_MMAP, t,
                    "DPDK");
            if (sparse.isPresent() && sparse.get() instanceof RegionCap.Sparse
                    && ((RegionCap.Sparse) sparse.get()).nrAreas() > 0) {
                List<Area> areas = new ArrayList<>();
                for (VfioRegionSparseMmapArea a : ((RegionCap.Sparse) sparse.get()).areas()) {
                    if (a.size() != 0) {
                        areas.add(new Area(a.offset(), a.size()));
                    }
                }
                t.add("sparse mmap: areas " + areas);
                return mapParts(i, size, areas);
            }
            if (size == 0) {
                t.add("Bar size is 0, skip");
                return true;
            }
            List<Area> parts = List.of(new Area(0, size));
            if (i == msixBar) {
                MsixCarve.DpdkPlan plan = MsixCarve.dpdk(size, tableOffset, tableSize, f.arch().pageSize());
                t.add("holds the MSI-X table: table_start " + Fmt.hex(plan.tableStart()) + " table_end "
                        + Fmt.hex(plan.tableEnd()));
                if (plan.skip()) {
                    t.add("Skipping BAR" + i);
                    return true;
                }
                parts = plan.parts();
            }
            return mapParts(i, size, parts);
        }

        /** Reserve the BAR's size inaccessible, then map each part at reserve + offset. */
        boolean mapParts(int i, long size, List<Area> parts) {
            Optional<Mapping> res = f.reserve(size);
            if (res.isEmpty()) {
                t.add("Failed to map pci BAR" + i + ": probe fails");
                return false;
            }
            List<DeviceFile.Mapped> done = new ArrayList<>();
            for (Area a : parts) {
                DeviceFile.MmapCall mc = f.mmap(res.get().addr() + a.offset(), a.size(), RW,
                        Mman.MAP_SHARED | Mman.MAP_FIXED, i, a.offset());
                if (!mc.ok()) {
                    f.unmapQuietly(res.get().addr(), size);
                    t.add("Failed to map pci BAR" + i + ": probe fails");
                    return false;
                }
                done.add(mc.mapped());
            }
            mapped.add(new MappedBar(i, size, res.get(), done));
            return true;
        }

        void unwind() {
            for (MappedBar b : mapped) {
                f.unmapQuietly(b.reservation().addr(), b.size());
            }
            mapped.clear();
            t.add("mappings undone");
        }

        /** Memory enable, bus master, then reset. */
        boolean setupDevice() {
            Optional<Long> cmd = readConfig(PCI_COMMAND, 2);
            if (cmd.isEmpty()) {
                t.add("DPDK: cannot read PCI_COMMAND: probe fails");
                return false;
            }
            long c = cmd.get();
            if ((c & PCI_COMMAND_MEMORY) == 0) {
                c |= PCI_COMMAND_MEMORY;
                if (!writeConfig(PCI_COMMAND, 2, c)) {
                    t.add("DPDK: cannot enable bus memory: probe fails");
                    return false;
                }
            }
            Optional<Long> cmd2 = readConfig(PCI_COMMAND, 2);
            if (cmd2.isEmpty() || !writeConfig(PCI_COMMAND, 2, cmd2.get() | PCI_COMMAND_MASTER)) {
                t.add("DPDK: cannot set bus master: probe fails");
                return false;
            }
            long ret = f.reset();
            if (ret != 0 && ret != -Errno.EINVAL) {
                t.add("DPDK: unable to reset device: probe fails");
                return false;
            }
            return true;
        }

        /** First access of every BAR, after the reset. */
        void access() {
            for (MappedBar b : mapped) {
                if (b.parts().isEmpty()) {
                    continue;
                }
                DeviceFile.Mapped first = b.parts().get(0);
                f.load(first, first.delta(), 4);
                mmioRead(b.index(), b.size(), first.delta());
            }
            for (int i : ioBars) {
                f.pread(i, 0, 1);
            }
        }

        /** {@code pci_vfio_mmio_read}: bounds check, then pread. */
        void mmioRead(int bar, long size, long off) {
            if (off + 4 > size) {
                t.add("mmio read beyond " + f.name(bar) + " refused");
                return;
            }
            f.pread(bar, off, 4);
        }

        /** {@code pci_vfio_read_config}: refuse when {@code len + offs > size}. */
        Optional<Long> readConfig(long off, int len) {
            if (off + len > configSize) {
                t.add("config read at " + Fmt.hex(off) + " beyond config space refused");
                return Optional.empty();
            }
            return f.readValue(CONFIG, off, len);
        }

        boolean writeConfig(long off, int len, long value) {
            if (off + len > configSize) {
                t.add("config write at " + Fmt.hex(off) + " beyond config space refused");
                return false;
            }
            return f.writeValue(CONFIG, off, len, value);
        }

        /** {@code rte_pci_find_capability} through {@link #readConfig}. */
        int findCapability(int id) {
            Optional<Long> status = readConfig(0x06, 2);
            if (status.isEmpty() || (status.get() & 0x10) == 0) {
                return 0;
            }
            Optional<Long> ptr = readConfig(0x34, 1);
            if (ptr.isEmpty()) {
                return 0;
            }
            long pos = ptr.get() & ~3L;
            for (int ttl = 48; ttl > 0 && pos >= 0x40; ttl--) {
                Optional<Long> ent = readConfig(pos, 2);
                if (ent.isEmpty()) {
                    return -1;
                }
                long cap = ent.get() & 0xff;
                if (cap == 0xff) {
                    break;
                }
                if (cap == id) {
                    return (int) pos;
                }
                pos = (ent.get() >> 8) & ~3L;
            }
            return 0;
        }
    }
}
