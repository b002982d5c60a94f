package vfiowb.common.stagetests.drivers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.PciBar;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.hw.PciFunctionSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.mm.PageTable;
import vfiowb.common.mm.PgProt;
import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceIoeventfd;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.testing.DeviceLockHolder;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;

/**
 * A PCI variant driver whose every region path is vfio-pci-core's (mlx5, pds, qat, xe), through
 * the syscall boundary: each driver's tests name its catalogue device, the BAR its data and mmap
 * tests use, its ops table and the table's {@code .name}.
 */
public abstract class VfioPciCoreRegionPathsTests {
    private static final int RW = VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ
            | VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;
    private static final int MMAP = VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;
    private static final int CAPS = VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS;

    private final StageAdapter stage;
    private final String device;
    /** The BAR the data and mmap tests use. */
    private final int mappedBar;
    private final String table;
    private final String driverName;
    private final Process p;
    private final int fd;
    private final PciFunction hw;

    /** One booted host with the device open. */
    private record Booted(Process p, int fd, PciFunction hw) {}

    /**
     * @param stage the stage under test
     * @param device the catalogue device the driver binds
     * @param mappedBar the BAR the data and mmap tests use
     * @param table the C identifier of the driver's ops table
     * @param driverName the table's {@code .name}
     */
    protected VfioPciCoreRegionPathsTests(StageAdapter stage, String device, int mappedBar,
            String table, String driverName) {
        this.stage = stage;
        this.device = device;
        this.mappedBar = mappedBar;
        this.table = table;
        this.driverName = driverName;
        Booted x86 = on(Arch.X86_64);
        this.p = x86.p();
        this.fd = x86.fd();
        this.hw = x86.hw();
    }

    private Booted on(Arch arch) {
        Process p = new Process(stage.stage().boot(arch,
                List.of(DeviceCatalogue.byName(device).orElseThrow())));
        return new Booted(p, p.open(device), (PciFunction) p.host().device(device));
    }

    static RegionInfoReply regionInfo(Process p, int fd, int index) {
        byte[] buf = VfioRegionInfo.request(index, 32);
        p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf);
        RegionInfoReply r = RegionInfoReply.decode(buf);
        if (r.needsLargerBuffer()) {
            buf = VfioRegionInfo.request(index, (int) r.info().argsz());
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf);
            r = RegionInfoReply.decode(buf);
        }
        return r;
    }

    static long offset(Process p, int fd, int index) {
        return regionInfo(p, fd, index).info().offset();
    }

    static int errno(Executable call) {
        return assertThrows(ErrnoException.class, call).errno();
    }

    /**
     * What an mmap reaching past its region gets: -EINVAL from vfio_pci_core_mmap's own check,
     * or, once the table is on the cookie path, -ENXIO from the core before the driver.
     */
    private int pastTheRegion() {
        return stage.opsTables().get(table).membersSet().contains("mmap_obj")
                ? Errno.ENXIO : Errno.EINVAL;
    }

    /**
     * The legacy layout's slot of a region index the device does not have: no REGION_INFO
     * names it, and at every stage, under the default policy, nothing lives there.
     */
    private static long absentSlot(int index) {
        return (long) index << 40;
    }

    /**
     * The table's open_device and close_device wrap vfio_pci_core_enable and
     * vfio_pci_core_close_device: the open resets the function (pci_try_reset_function), the
     * last close disables it, which drops every ioeventfd and resets the function again
     * (vfio_pci_core_disable), so the next open starts clean.
     */
    @Nested
    class OpenAndClose {
        @Test
        void theLastCloseDropsIoeventfdsAndResetsTheFunction() {
            long bar = offset(p, fd, mappedBar);
            byte[] ev = vfiowb.common.uapi.VfioDeviceIoeventfd.of(
                    vfiowb.common.uapi.VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_32, bar + 0x20, 1, 5)
                    .encode();
            assertEquals(0, p.ioctl(fd, VfioIoctl.VFIO_DEVICE_IOEVENTFD, ev));
            assertEquals(1L, stage.driverLong(p.file(fd).kernelFile(), "ioeventfds_nr"));
            assertEquals(Errno.EEXIST, errno(() -> p.ioctl(fd, VfioIoctl.VFIO_DEVICE_IOEVENTFD, ev)));
            long resets = hw.resetCount();
            p.close(fd);
            assertEquals(hw.pciResetSupported() ? resets + 1 : resets, hw.resetCount(),
                    "vfio_pci_core_disable resets a resettable function");
            int again = p.open(device);
            assertEquals(0L, stage.driverLong(p.file(again).kernelFile(), "ioeventfds_nr"));
            byte[] ev2 = vfiowb.common.uapi.VfioDeviceIoeventfd.of(
                    vfiowb.common.uapi.VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_32,
                    offset(p, again, mappedBar) + 0x20, 1, 5).encode();
            assertEquals(0, p.ioctl(again, VfioIoctl.VFIO_DEVICE_IOEVENTFD, ev2));
        }

        /**
         * vfio_pci_core_enable fails the open when pci_try_reset_function finds the device
         * locked by another path (-EAGAIN); the table's open_device returns that error and
         * skips vfio_pci_core_finish_enable. Once the lock is free the open works.
         */
        @Test
        void theOpenFailsWhileAnotherPathHoldsTheDeviceLock() {
            Process q = new Process(stage.stage().boot(Arch.X86_64,
                    List.of(DeviceCatalogue.byName(device).orElseThrow())));
            PciFunction f = (PciFunction) q.host().device(device);
            int err = DeviceLockHolder.whileHeldElsewhere(f, () -> {
                try {
                    q.close(q.open(device));
                    return 0;
                } catch (ErrnoException e) {
                    return e.errno();
                }
            });
            assertEquals(f.pciResetSupported() ? Errno.EAGAIN : 0, err,
                    "a function without reset is opened without one");
            int qfd = q.open(device);
            assertEquals(3, qfd);
        }

        @Test
        void theOpenResetsAResettableFunction() {
            Process q = new Process(stage.stage().boot(Arch.X86_64,
                    List.of(DeviceCatalogue.byName(device).orElseThrow())));
            PciFunction f = (PciFunction) q.host().device(device);
            long before = f.resetCount();
            int qfd = q.open(device);
            assertEquals(f.pciResetSupported() ? before + 1 : before, f.resetCount());
            VfioDeviceInfoCheck.resetFlag(q, qfd, f.pciResetSupported());
        }
    }

    /** GET_INFO's RESET flag is vfio_pci_core_enable's reset_works. */
    private static final class VfioDeviceInfoCheck {
        static void resetFlag(Process q, int qfd, boolean expected) {
            byte[] b = new byte[vfiowb.common.uapi.VfioDeviceInfo.SIZE];
            b[0] = (byte) vfiowb.common.uapi.VfioDeviceInfo.SIZE;
            q.ioctl(qfd, VfioIoctl.VFIO_DEVICE_GET_INFO, b);
            long flags = vfiowb.common.uapi.VfioDeviceInfo.decode(b, 0).flags();
            assertEquals(expected, (flags & vfiowb.common.uapi.VfioDeviceInfo.VFIO_DEVICE_FLAGS_RESET) != 0);
        }
    }

    @Nested
    class OpsTable {
        @Test
        void theCatalogueDeviceRunsOnThisTable() {
            assertEquals(table, stage.opsTableOf(p.file(fd).kernelFile()));
            assertEquals(table, stage.opsTables().get(table).tableName());
            assertEquals(driverName, stage.opsTables().get(table).name());
        }
    }

    @Nested
    class RegionInfo {
        @ParameterizedTest
        @EnumSource(Arch.class)
        void everyBarAsVfioPciCoreReportsIt(Arch a) {
            Booted t = on(a);
            Set<Long> offsets = new HashSet<>();
            for (int bar = 0; bar < 6; bar++) {
                RegionInfoReply r = regionInfo(t.p(), t.fd(), bar);
                long len = t.hw().pciResourceLen(bar);
                assertEquals(len, r.info().size(), "BAR" + bar);
                if (len == 0) {
                    assertEquals(0, r.info().flags(), "BAR" + bar);
                    continue;
                }
                boolean mmappable = len >= a.pageSize()
                        || (a.isPageAligned(t.hw().pciResourceStart(bar))
                            && restOfPageFree(t, a, bar));
                boolean msix = mmappable && t.hw().msixTableBar() == bar;
                assertEquals(RW | (mmappable ? MMAP : 0) | (msix ? CAPS : 0), r.info().flags(),
                        "BAR" + bar);
                assertEquals(msix, r.msixMappable(), "BAR" + bar);
                assertTrue(a.isPageAligned(r.info().offset()), "BAR" + bar);
                assertTrue(offsets.add(r.info().offset()), "BAR" + bar + " shares an offset");
            }
        }

        /**
         * vfio_pci_probe_mmaps reserves the rest of a sub-page BAR's page; the reservation, and
         * so mmap, fails when another resource of the function already decodes there.
         */
        private boolean restOfPageFree(Booted t, Arch a, int bar) {
            long from = t.hw().pciResourceStart(bar) + t.hw().pciResourceLen(bar);
            long to = t.hw().pciResourceStart(bar) + a.pageSize();
            for (int other = 0; other <= 6; other++) {
                long s = t.hw().pciResourceStart(other);
                long l = t.hw().pciResourceLen(other);
                if (other != bar && l > 0 && s != 0 && (other == 6 || !t.hw().isIoBar(other))
                        && s < to && from < s + l) {
                    return false;
                }
            }
            return true;
        }

        @Test
        void configRegionIsCfgSizeReadWrite() {
            RegionInfoReply r = regionInfo(p, fd, 7);
            assertEquals(RW, r.info().flags());
            assertEquals(hw.cfgSize(), r.info().size());
        }

        @Test
        void vgaAndDeviceSpecificIndexesAreEinval() {
            assertEquals(Errno.EINVAL, errno(() -> regionInfo(p, fd, 8)));
            assertEquals(Errno.EINVAL, errno(() -> regionInfo(p, fd, 9)));
        }
    }

    @Nested
    class ReadWrite {
        @Test
        void configSpaceShowsTheDeviceIds() {
            byte[] id = new byte[4];
            assertEquals(4, p.pread(fd, id, offset(p, fd, 7)));
            assertEquals(hw.vendorId(), (id[0] & 0xff) | (id[1] & 0xff) << 8);
            assertEquals(hw.deviceId(), (id[2] & 0xff) | (id[3] & 0xff) << 8);
        }

        @Test
        void barDataRoundTripsAndPastTheEndIsEinval() {
            long len = hw.pciResourceLen(mappedBar);
            long bar = offset(p, fd, mappedBar);
            byte[] data = {1, 2, 3, 4};
            assertEquals(4, p.pwrite(fd, data, bar + 0x40));
            assertEquals(0x04030201L, hw.barMemory(mappedBar).orElseThrow().read(0x40, 4));
            byte[] back = new byte[4];
            assertEquals(4, p.pread(fd, back, bar + 0x40));
            assertArrayEquals(data, back);
            assertEquals(Errno.EINVAL, errno(() -> p.pread(fd, new byte[4], bar + len)));
            assertEquals(2, p.pread(fd, new byte[8], bar + len - 2));
        }

        /**
         * vfio_pci_core_read and vfio_pci_core_write return 0 for a zero count before they
         * look at the offset (as vfio_device_fops_read does first on the cookie path): a
         * zero-byte write to the ROM (a write there is -EINVAL) and a zero-byte read at an
         * index the device does not have (-EINVAL with a count) both answer 0.
         */
        @Test
        void aZeroCountIsZeroBeforeTheRegionIsChecked() {
            assertEquals(0, p.pwrite(fd, new byte[0], offset(p, fd, 6)));
            assertEquals(0, p.pread(fd, new byte[0], absentSlot(9)));
            assertEquals(Errno.EINVAL, errno(() -> p.pread(fd, new byte[1], absentSlot(9))));
        }

        @Test
        void romAndVgaAndUnknownIndexesAreEinval() {
            assertEquals(Errno.EINVAL, errno(() -> p.pwrite(fd, new byte[4], offset(p, fd, 6))));
            assertEquals(Errno.EINVAL, errno(() -> p.pread(fd, new byte[4], absentSlot(8))));
            assertEquals(Errno.EINVAL, errno(() -> p.pread(fd, new byte[4], absentSlot(9))));
        }
    }

    @Nested
    class Mmap {
        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "ARM64_4K", "ARM64_64K"})
        void sharedMappingIsUncachedAndReachesTheBar(Arch a) {
            Booted t = on(a);
            long len = a.pageAlign(t.hw().pciResourceLen(mappedBar));
            long bar = offset(t.p(), t.fd(), mappedBar);
            if (!regionInfo(t.p(), t.fd(), mappedBar).info().hasFlag(MMAP)) {
                assertEquals(Errno.EINVAL, errno(() -> t.p().mmap(0, len,
                        Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, t.fd(), bar)));
                return;
            }
            Mapping m = t.p().mmap(0, len, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, t.fd(),
                    bar);
            assertEquals(PgProt.UC, m.pgprot());
            m.store(0x80, 4, 0x11223344L);
            assertEquals(0x11223344L, t.hw().barMemory(mappedBar).orElseThrow().read(0x80, 4));
        }

        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "ARM64_4K", "ARM64_64K"})
        void privateOrPastTheBarOrNonBarIsEinval(Arch a) {
            Booted t = on(a);
            long page = a.pageSize();
            long bar = offset(t.p(), t.fd(), mappedBar);
            long cfg = offset(t.p(), t.fd(), 7);
            long len = a.pageAlign(t.hw().pciResourceLen(mappedBar));
            int rw = Mman.PROT_READ | Mman.PROT_WRITE;
            int past = pastTheRegion();
            assertEquals(Errno.EINVAL, errno(() -> t.p().mmap(0, page, rw, Mman.MAP_PRIVATE, t.fd(), bar)));
            assertEquals(past, errno(() -> t.p().mmap(0, len + page, rw, Mman.MAP_SHARED, t.fd(), bar)));
            assertEquals(past, errno(() -> t.p().mmap(0, page, rw, Mman.MAP_SHARED, t.fd(), bar + len)));
            assertEquals(Errno.EINVAL, errno(() -> t.p().mmap(0, page, rw, Mman.MAP_SHARED, t.fd(), cfg)));
            assertEquals(past, errno(() -> t.p().mmap(0, page, rw, Mman.MAP_SHARED, t.fd(), absentSlot(9))));
        }

        @Test
        void i386RefusesEveryOffsetPastFourGibBeforeTheDriver() {
            Booted t = on(Arch.I386);
            long bar1 = offset(t.p(), t.fd(), 1);
            long cfg = offset(t.p(), t.fd(), 7);
            assertTrue(bar1 > 0xffff_ffffL && cfg > 0xffff_ffffL, "the default layout's offsets");
            assertEquals(Errno.EOVERFLOW, errno(() -> t.p().mmap(0, 4096, Mman.PROT_READ,
                    Mman.MAP_SHARED, t.fd(), bar1)));
            assertEquals(Errno.EOVERFLOW, errno(() -> t.p().mmap(0, 4096, Mman.PROT_READ,
                    Mman.MAP_SHARED, t.fd(), cfg)));
        }
    }

    /**
     * vfio_pci_core_mmap (or vfio_pci_core_mmap_obj once the table is on the cookie path) and
     * the fault handler's vma_to_pfn at the edges the tests above leave open.
     */
    @Nested
    class MmapEdges {
        private static final int RW_PROT = Mman.PROT_READ | Mman.PROT_WRITE;

        /**
         * vma_to_pfn: the BAR's start PFN plus the page offset of the mapping inside the BAR, so
         * a one-page mapping of the BAR's second page, and one of its last page, reach those
         * pages of the device.
         */
        @Test
        void aMappingInsideTheBarReachesThePagesItNames() {
            long page = Arch.X86_64.pageSize();
            long len = Arch.X86_64.pageAlign(hw.pciResourceLen(mappedBar));
            long bar = offset(p, fd, mappedBar);
            Mapping second = p.mmap(0, page, RW_PROT, Mman.MAP_SHARED, fd, bar + page);
            second.store(0x10, 4, 0x55667788L);
            assertEquals(0x55667788L, hw.barMemory(mappedBar).orElseThrow().read(page + 0x10, 4));
            Mapping last = p.mmap(0, page, RW_PROT, Mman.MAP_SHARED, fd, bar + len - page);
            last.store(0x20, 4, 0x01020304L);
            assertEquals(0x01020304L, hw.barMemory(mappedBar).orElseThrow().read(len - page + 0x20, 4));
            assertEquals(0L, hw.barMemory(mappedBar).orElseThrow().read(0x20, 4), "not BAR offset 0");
        }

        /** vfio_pci_core_mmap: the ROM (index 6, VFIO_PCI_ROM_REGION_INDEX) is never mapped. */
        @Test
        void theRomIndexIsNeverMapped() {
            long rom = offset(p, fd, vfiowb.common.uapi.VfioIndex.VFIO_PCI_ROM_REGION_INDEX);
            int err = errno(() -> p.mmap(0, 4096, Mman.PROT_READ, Mman.MAP_SHARED, fd, rom));
            assertTrue(err == Errno.EINVAL || err == pastTheRegion(), "errno " + err);
        }

        /**
         * vfio_pci_mmap_huge_fault with is_aligned_for_order on x86_64: on a BAR of at least
         * two PMDs a fault inside a PMD-aligned block maps the whole block with one PMD; a
         * mapping whose PFN is two pages off the PMD alignment gets PTEs only.
         */
        @Test
        void aPmdAlignedBlockTakesOnePmdAndAMisalignedPfnNone() {
            long pmd = Arch.X86_64.pmdSize();
            long len = hw.pciResourceLen(mappedBar);
            org.junit.jupiter.api.Assumptions.assumeTrue(len >= 2 * pmd, "BAR smaller than two PMDs");
            long bar = offset(p, fd, mappedBar);
            Mapping m = p.mmap(0, 2 * pmd, RW_PROT, Mman.MAP_SHARED, fd, bar);
            assertEquals(0, m.addr() % pmd, "a PMD-aligned VA for a PMD-aligned offset");
            assertEquals(1, m.touch(0x3000, 0x4000));
            assertEquals(java.util.Map.of(PageTable.Level.PTE, 0L, PageTable.Level.PMD, 1L,
                    PageTable.Level.PUD, 0L), m.pageTableEntries());
            m.store(pmd - 8, 4, 0x0a0b0c0dL);
            assertEquals(0x0a0b0c0dL, hw.barMemory(mappedBar).orElseThrow().read(pmd - 8, 4));

            long fixed = m.addr() - 64 * pmd;
            Mapping off = p.mmap(fixed, pmd, RW_PROT, Mman.MAP_SHARED | Mman.MAP_FIXED, fd,
                    bar + 0x2000);
            off.touchAll();
            assertEquals(java.util.Map.of(PageTable.Level.PTE, pmd / 4096, PageTable.Level.PMD, 0L,
                    PageTable.Level.PUD, 0L), off.pageTableEntries(), "PFN not aligned to the order");
            off.store(0, 4, 0x11111111L);
            assertEquals(0x11111111L, hw.barMemory(mappedBar).orElseThrow().read(0x2000, 4));
        }

        /** The table's device with its BARs replaced by one 0x100-byte BAR0. */
        private PciFunctionSpec subPage(String name, boolean pageAligned) {
            PciFunctionSpec spec = (PciFunctionSpec) DeviceCatalogue.byName(device).orElseThrow();
            PciFunctionSpec.Builder b = PciFunctionSpec.builder(name)
                    .driver(spec.driver(), spec.opsTable())
                    .ids(spec.vendorId(), spec.deviceId()).classCode(spec.classCode())
                    .bar(PciBar.mem32(0, 0x100, false));
            if (spec.virtfn()) {
                b.virtfn();
            }
            return (pageAligned ? b.alignBar(0, 4096) : b.offPage(0)).build();
        }

        /**
         * vfio_pci_probe_mmaps on the table's open: a sub-page BAR at a page-aligned start is
         * mmappable once the rest of its page is reserved, and vfio_pci_core_mmap maps
         * PAGE_ALIGN(len), one page, and no more; a sub-page BAR whose start is not page
         * aligned is never mmappable (-EINVAL).
         */
        @Test
        void aSubPageBarMapsOnePageOnlyFromAPageAlignedStart() {
            PciFunctionSpec aligned = subPage(device + "-subpage", true);
            Process q = new Process(stage.stage().boot(Arch.X86_64, List.of(aligned)));
            int qfd = q.open(aligned.name());
            PciFunction f = (PciFunction) q.host().device(aligned.name());
            RegionInfoReply r = regionInfo(q, qfd, 0);
            assertTrue(r.info().hasFlag(MMAP), "a page-aligned sub-page BAR is mmappable");
            long bar0 = r.info().offset();
            Mapping m = q.mmap(0, 4096, RW_PROT, Mman.MAP_SHARED, qfd, bar0);
            m.store(0x10, 4, 0x12345678L);
            assertEquals(0x12345678L, f.barMemory(0).orElseThrow().read(0x10, 4));
            int past = errno(() -> q.mmap(0, 8192, RW_PROT, Mman.MAP_SHARED, qfd, bar0));
            assertEquals(pastTheRegion(), past, "two pages of a one-page BAR");

            PciFunctionSpec offPage = subPage(device + "-offpage", false);
            Process o = new Process(stage.stage().boot(Arch.X86_64, List.of(offPage)));
            int ofd = o.open(offPage.name());
            RegionInfoReply ro = regionInfo(o, ofd, 0);
            assertEquals(RW, ro.info().flags(), "an off-page sub-page BAR is not mmappable");
            assertEquals(Errno.EINVAL, errno(() -> o.mmap(0, 4096, RW_PROT, Mman.MAP_SHARED, ofd,
                    ro.info().offset())));
        }
    }

    /**
     * vfio_pci_ioctl_ioeventfd and vfio_pci_ioeventfd through the table's ioctl (or the core's
     * decode and vfio_pci_core_ioeventfd_obj once the table is on the cookie path).
     */
    @Nested
    class Ioeventfd {
        private final int w4 = VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_32;
        private final int w2 = VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_16;

        private long call(byte[] arg) {
            return p.ioctl(fd, VfioIoctl.VFIO_DEVICE_IOEVENTFD, arg);
        }

        private byte[] ev(int flags, long offset, long data, int efd) {
            return VfioDeviceIoeventfd.of(flags, offset, data, efd).encode();
        }

        /**
         * vfio_pci_ioctl_ioeventfd: minsz is offsetofend(fd), 28 bytes (an argsz of exactly
         * that is taken, one short of the header is -EINVAL, a buffer shorter than minsz
         * -EFAULT); unknown flags, no size or two sizes, and an fd below -1 are -EINVAL; an
         * 8-byte ioeventfd is -EINVAL (vfio_pci_ioeventfd).
         */
        @Test
        void theArgumentIsCheckedBeforeTheRange() {
            long bar = offset(p, fd, mappedBar);
            byte[] exact = ev(w4, bar + 0x10, 1, 5);
            exact[0] = 28;
            assertEquals(0, call(exact), "argsz 28");
            byte[] shortArgsz = ev(w4, bar + 0x14, 1, 5);
            shortArgsz[0] = 27;
            assertEquals(Errno.EINVAL, errno(() -> call(shortArgsz)), "argsz 27");
            assertEquals(Errno.EFAULT, errno(() -> call(java.util.Arrays.copyOf(
                    ev(w4, bar + 0x18, 1, 5), 16))), "a buffer short of minsz");
            assertEquals(Errno.EINVAL, errno(() -> call(ev(w4, bar, 1, -2))), "fd below -1");
            assertEquals(Errno.EINVAL, errno(() -> call(ev(w4 | w2, bar, 1, 5))), "two sizes");
            assertEquals(Errno.EINVAL, errno(() -> call(ev(0, bar, 1, 5))), "no size");
            assertEquals(Errno.EINVAL, errno(() -> call(ev(w4 | 1 << 4, bar, 1, 5))), "unknown flag");
            assertEquals(Errno.EINVAL, errno(() -> call(ev(VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_64,
                    bar, 1, 5))), "eight bytes");
            assertEquals(0, call(ev(VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_8, bar + 0x20, 1, 0)),
                    "one byte, fd 0");
        }

        /**
         * vfio_pci_ioeventfd: the range must lie inside the BAR (pos + count <= len) and clear
         * of the MSI-X table when the BAR holds it; the config region is no BAR; the same
         * registration again is -EEXIST, other data is another one; fd -1 removes one and is
         * -ENODEV when there is none.
         */
        @Test
        void theRangeIsInsideTheBarAndClearOfTheMsixTable() {
            long bar = offset(p, fd, mappedBar);
            long len = hw.pciResourceLen(mappedBar);
            assertEquals(0, call(ev(w4, bar + len - 4, 1, 5)), "the BAR's last dword");
            assertEquals(0, call(ev(w2, bar + len - 2, 1, 5)), "the BAR's last word");
            assertEquals(Errno.EINVAL, errno(() -> call(ev(w4, bar + len - 3, 1, 5))), "past the BAR");
            assertEquals(Errno.EINVAL, errno(() -> call(ev(w4, offset(p, fd, 7), 1, 5))), "not a BAR");
            if (hw.msixTableBar() == mappedBar) {
                long t = hw.msixTableOffset();
                long size = hw.msixTableSize();
                assertEquals(0, call(ev(w4, bar + t - 4, 1, 5)), "just below the table");
                assertEquals(0, call(ev(w4, bar + t + size, 1, 5)), "just above the table");
                for (long in : new long[] {t - 2, t, t + size - 4}) {
                    assertEquals(Errno.EINVAL, errno(() -> call(ev(w4, bar + in, 1, 5))),
                            "the MSI-X table at 0x" + Long.toHexString(in));
                }
            }
            byte[] again = ev(w4, bar + len - 4, 1, 5);
            assertEquals(Errno.EEXIST, errno(() -> call(again)));
            assertEquals(0, call(ev(w4, bar + len - 4, 2, 5)), "other data is another registration");
            byte[] remove = ev(w4, bar + len - 4, 1, -1);
            assertEquals(0, call(remove));
            assertEquals(Errno.ENODEV, errno(() -> call(remove)));
            assertEquals(0, call(again), "registered again once removed");
        }
    }
}
