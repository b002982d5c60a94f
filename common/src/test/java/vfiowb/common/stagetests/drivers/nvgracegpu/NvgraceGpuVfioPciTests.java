package vfiowb.common.stagetests.drivers.nvgracegpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.NvgraceGpu;
import vfiowb.common.hw.PciFunctionSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.mm.PageTable;
import vfiowb.common.mm.PgProt;
import vfiowb.common.mm.VmFlag;
import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.testing.DeviceLockHolder;
import vfiowb.common.uapi.LE;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceFeature;
import vfiowb.common.uapi.VfioDeviceIoeventfd;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionSparseMmapArea;
import vfiowb.common.userspace.KernelFile;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.SegvException;
import vfiowb.common.userspace.SigbusException;
import vfiowb.common.userspace.UserBuffer;

/**
 * nvgrace_gpu_pci_ops (GH200 with resmem, GB200 without) and nvgrace_gpu_pci_core_ops (no
 * coherent memory), through the syscall boundary.
 */
public abstract class NvgraceGpuVfioPciTests {
    private static final int RWM = VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ
            | VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE | VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;
    private static final int CAPS = VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS;
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final long GIB = 1L << 30;

    private final StageAdapter stage;

    /** One booted host with the device open. */
    private record Booted(Process p, int fd, NvgraceGpu hw) {
        KernelFile file() {
            return p.file(fd).kernelFile();
        }

        byte[] regionInfoRaw(int index, int argsz) {
            byte[] buf = VfioRegionInfo.request(index, argsz);
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf);
            return buf;
        }

        RegionInfoReply regionInfo(int index) {
            return RegionInfoReply.decode(regionInfoRaw(index, 128));
        }

        /** Where REGION_INFO says region {@code index} is in the file. */
        long offset(int index) {
            return regionInfo(index).info().offset();
        }

        long bar2() {
            return offset(2);
        }

        long bar4() {
            return offset(4);
        }

        long cfg() {
            return offset(7);
        }

        long config32(int reg) {
            byte[] b = new byte[4];
            assertEquals(4, p.pread(fd, b, cfg() + reg));
            return LE.getU32(b, 0);
        }

        long writeConfig32(int reg, long v) {
            byte[] b = new byte[4];
            LE.putU32(b, 0, v);
            return p.pwrite(fd, b, cfg() + reg);
        }

        void setMemoryDecode(boolean on) {
            byte[] cmd = new byte[2];
            p.pread(fd, cmd, cfg() + 4);
            cmd[0] = (byte) (on ? cmd[0] | 0x2 : cmd[0] & ~0x2);
            p.pwrite(fd, cmd, cfg() + 4);
        }
    }

    private final Booted gh200;

    protected NvgraceGpuVfioPciTests(StageAdapter stage) {
        this.stage = stage;
        gh200 = on(Arch.X86_64, "nvgrace-gh200");
    }

    private Booted on(Arch arch, String name) {
        Process p = new Process(stage.stage().boot(arch,
                List.of(DeviceCatalogue.byName(name).orElseThrow())));
        return new Booted(p, p.open(name), (NvgraceGpu) p.host().device(name));
    }

    /** A numeric field of the driver's {@code nvgrace_gpu_pci_core_device}. */
    private long nvdev(Booted b, String field) {
        return stage.driverLong(b.file(), field);
    }

    static int errno(Executable call) {
        return assertThrows(ErrnoException.class, call).errno();
    }

    /**
     * What an mmap no cookie covers gets (a region without bytes, or pages past the reported
     * BAR): -EINVAL from the driver's or vfio_pci_core_mmap's checks, or, on the cookie path,
     * -ENXIO from the core before any driver.
     */
    private int noCookie(String table) {
        return stage.opsTables().get(table).membersSet().contains("mmap_obj")
                ? Errno.ENXIO : Errno.EINVAL;
    }

    static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    @Nested
    class Probe {
        @Test
        void coherentMemoryGetsTheFakeBarTableNoMemoryTheCoreOne() {
            assertEquals("nvgrace_gpu_pci_ops", stage.opsTableOf(gh200.file()));
            assertEquals("nvgrace_gpu_pci_ops",
                    stage.opsTableOf(on(Arch.X86_64, "nvgrace-gb200").file()));
            assertEquals("nvgrace_gpu_pci_core_ops",
                    stage.opsTableOf(on(Arch.X86_64, "nvgrace-gh200-nomem").file()));
        }

        @Test
        void partitionMatchesTheDevice() {
            NvgraceGpu hw = gh200.hw();
            assertEquals(true, stage.driverState(gh200.file(), "has_mig_hw_bug"));
            assertEquals(hw.usememStart(), nvdev(gh200, "usemem.memphys"));
            assertEquals(hw.usememLength(), nvdev(gh200, "usemem.memlength"));
            assertEquals(hw.usememBarSize(), nvdev(gh200, "usemem.bar_size"));
            assertEquals(hw.resmemStart(), nvdev(gh200, "resmem.memphys"));
            assertEquals(hw.resmemLength(), nvdev(gh200, "resmem.memlength"));
            assertEquals(hw.resmemBarSize(), nvdev(gh200, "resmem.bar_size"));
            assertEquals(128 * GIB, nvdev(gh200, "usemem.bar_size"));
            assertEquals(2 * GIB, nvdev(gh200, "resmem.bar_size"));
            assertEquals(0, nvdev(gh200, "usemem.memlength") % NvgraceGpu.memblkSize());
        }

        @Test
        void withoutTheMigBugAllMemoryIsUsemem() {
            Booted gb = on(Arch.X86_64, "nvgrace-gb200");
            assertEquals(false, stage.driverState(gb.file(), "has_mig_hw_bug"));
            assertEquals(gb.hw().deviceMemoryLength(), nvdev(gb, "usemem.memlength"));
            assertEquals(0, nvdev(gb, "resmem.memlength"));
            assertEquals(256 * GIB, nvdev(gb, "usemem.bar_size"));
        }

        /**
         * The same members, except that on the cookie path only the core table has
         * ioeventfd_obj: the fake-BAR table leaves VFIO_DEVICE_IOEVENTFD to its ioctl, which
         * refuses it.
         */
        @Test
        void tableMembers() {
            List<String> main = stage.opsTables().get("nvgrace_gpu_pci_ops").membersSet();
            List<String> core = stage.opsTables().get("nvgrace_gpu_pci_core_ops").membersSet();
            assertFalse(main.contains("ioeventfd_obj"));
            // get_region_mmap (variant wc-cookie): only the core table maps through vfio-pci-core.
            assertEquals(core.stream().filter(m -> !m.equals("ioeventfd_obj") && !m.equals("get_region_mmap"))
                    .toList(), main);
            assertEquals(core.contains("mmap_obj"), core.contains("ioeventfd_obj"));
        }
    }

    @Nested
    class RegionInfo {
        @Test
        void usememIsAPowerOfTwoBarWithOneSparseAreaOverTheRealMemory() {
            byte[] buf = gh200.regionInfoRaw(4, 64);
            VfioRegionInfo info = VfioRegionInfo.decode(buf, 0);
            assertEquals(RWM | CAPS, info.flags());
            assertEquals(128 * GIB, info.size());
            assertEquals(32, info.capOffset());
            assertEquals(64, info.argsz());
            assertEquals(1, LE.getU16(buf, 32), "id SPARSE_MMAP");
            assertEquals(1, LE.getU16(buf, 34), "version");
            assertEquals(0, LE.getU32(buf, 36), "next");
            assertEquals(1, LE.getU32(buf, 40), "nr_areas");
            assertEquals(0, LE.getU32(buf, 44), "reserved");
            assertEquals(0, LE.getU64(buf, 48), "areas[0].offset");
            assertEquals(gh200.hw().usememLength(), LE.getU64(buf, 56), "areas[0].size");
        }

        @Test
        void aShortBufferGetsTheSizeToRetryWith() {
            VfioRegionInfo info = VfioRegionInfo.decode(gh200.regionInfoRaw(4, 32), 0);
            assertEquals(64, info.argsz());
            assertEquals(0, info.capOffset());
            assertEquals(RWM | CAPS, info.flags());
            assertEquals(128 * GIB, info.size());
        }

        @Test
        void resmemIsTheSmallerBar2() {
            RegionInfoReply r = gh200.regionInfo(2);
            assertEquals(2 * GIB, r.info().size());
            assertEquals(RWM | CAPS, r.info().flags());
            assertEquals(RegionCap.Sparse.of(new VfioRegionSparseMmapArea(0,
                    gh200.hw().resmemLength())), r.sparseMmap().orElseThrow());
        }

        @Test
        void realBarsAndBar2WithoutResmemComeFromTheCore() {
            RegionInfoReply bar0 = gh200.regionInfo(0);
            assertEquals(16L << 20, bar0.info().size());
            assertEquals(RWM, bar0.info().flags());
            Booted gb = on(Arch.X86_64, "nvgrace-gb200");
            assertEquals(0, gb.regionInfo(2).info().size());
            assertEquals(0, gb.regionInfo(2).info().flags());
            Booted nomem = on(Arch.X86_64, "nvgrace-gh200-nomem");
            assertEquals(0, nomem.regionInfo(4).info().size());
            assertEquals(0, nomem.regionInfo(4).info().flags());
            assertEquals(Errno.EINVAL, errno(() -> gh200.regionInfo(9)));
        }
    }

    @Nested
    class Mmap {
        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "ARM64_4K", "ARM64_64K"})
        void usememIsCacheableResmemWriteCombining(Arch a) {
            Booted b = on(a, "nvgrace-gh200");
            Mapping use = b.p().mmap(0, a.pageSize(), RW, Mman.MAP_SHARED, b.fd(), b.bar4());
            Mapping res = b.p().mmap(0, a.pageSize(), RW, Mman.MAP_SHARED, b.fd(), b.bar2());
            assertEquals(PgProt.WB, use.pgprot());
            assertEquals(PgProt.WC, res.pgprot());
            assertTrue(res.vma().hasFlag(VmFlag.VM_ALLOW_ANY_UNCACHED));
            assertFalse(use.vma().hasFlag(VmFlag.VM_ALLOW_ANY_UNCACHED));
            for (Mapping m : List.of(use, res)) {
                assertTrue(m.vma().vmFlags().containsAll(List.of(VmFlag.VM_IO, VmFlag.VM_PFNMAP,
                        VmFlag.VM_DONTEXPAND, VmFlag.VM_DONTDUMP)));
            }
            Mapping bar0 = b.p().mmap(0, a.pageSize(), RW, Mman.MAP_SHARED, b.fd(), b.offset(0));
            assertEquals(PgProt.UC, bar0.pgprot());
        }

        /**
         * nvgrace_gpu_mmap keeps only the fake BARs (2 and 4) for itself and hands every other
         * region to vfio_pci_core_mmap, whose answer it returns: a mapping of BAR0 reaches the
         * real BAR's registers, and a private one is vfio_pci_core_mmap's -EINVAL (no VM_SHARED).
         */
        @Test
        void bar0IsVfioPciCoresMapping() {
            Mapping bar0 = gh200.p().mmap(0, 4096, RW, Mman.MAP_SHARED, gh200.fd(), gh200.offset(0));
            bar0.store(0x10, 4, 0x5a5aa5a5L);
            assertEquals(0x5a5aa5a5L, gh200.hw().barRead(0, 0x10, 4));
            assertEquals(0x5a5aa5a5L, bar0.load(0x10, 4));
            assertEquals(Errno.EINVAL, errno(() -> gh200.p().mmap(0, 4096, RW, Mman.MAP_PRIVATE,
                    gh200.fd(), gh200.offset(0))));
        }

        @Test
        void mappingsReachDeviceMemoryAndKeepTheirPgoff() {
            long bar4 = gh200.bar4();
            Mapping use = gh200.p().mmap(0, 8192, RW, Mman.MAP_SHARED, gh200.fd(), bar4 + 4096);
            use.store(8, 8, 0x0123456789abcdefL);
            assertEquals(0x0123456789abcdefL, gh200.hw().deviceMemory().read(4096 + 8, 8));
            assertEquals((bar4 + 4096) / 4096, use.vma().vmPgoff());
            Mapping res = gh200.p().mmap(0, 4096, RW, Mman.MAP_SHARED, gh200.fd(), gh200.bar2());
            res.store(0, 4, 0xcafef00dL);
            long resOff = gh200.hw().resmemStart() - gh200.hw().deviceMemoryStart();
            assertEquals(0xcafef00dL, gh200.hw().deviceMemory().read(resOff, 4));
        }

        @Test
        void theRealMemoryNotTheReportedBarBoundsTheMapping() {
            long use = gh200.hw().usememLength();
            long bar4 = gh200.bar4();
            Mapping last = gh200.p().mmap(0, 4096, RW, Mman.MAP_SHARED, gh200.fd(), bar4 + use - 4096);
            last.store(0, 4, 1);
            assertEquals(Errno.EINVAL, errno(() -> gh200.p().mmap(0, 4096, RW, Mman.MAP_SHARED,
                    gh200.fd(), bar4 + use)));
            assertEquals(Errno.EINVAL, errno(() -> gh200.p().mmap(0, 8192, RW, Mman.MAP_SHARED,
                    gh200.fd(), bar4 + use - 4096)));
            long res = gh200.hw().resmemLength();
            assertEquals(Errno.EINVAL, errno(() -> gh200.p().mmap(0, res + 4096, RW,
                    Mman.MAP_SHARED, gh200.fd(), gh200.bar2())));
        }

        @Test
        void pastTheReportedBarNothingIsMapped() {
            long bar = nvdev(gh200, "usemem.bar_size");
            long bar4 = gh200.bar4();
            assertEquals(noCookie("nvgrace_gpu_pci_ops"), errno(() -> gh200.p().mmap(0, 4096, RW,
                    Mman.MAP_SHARED, gh200.fd(), bar4 + bar)));
        }

        @Test
        void withoutResmemBar2IsTheCoresAndNotMappable() {
            Booted gb = on(Arch.X86_64, "nvgrace-gb200");
            assertEquals(noCookie("nvgrace_gpu_pci_ops"), errno(() -> gb.p().mmap(0, 4096, RW,
                    Mman.MAP_SHARED, gb.fd(), gb.bar2())));
            Booted nomem = on(Arch.X86_64, "nvgrace-gh200-nomem");
            assertEquals(noCookie("nvgrace_gpu_pci_core_ops"), errno(() -> nomem.p().mmap(0, 4096,
                    RW, Mman.MAP_SHARED, nomem.fd(), nomem.bar4())));
        }

        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "ARM64_4K", "ARM64_64K"})
        void aPmdSizedMappingFaultsInOneHugeEntry(Arch a) {
            Booted b = on(a, "nvgrace-gh200");
            Mapping m = b.p().mmap(0, a.pmdSize(), RW, Mman.MAP_SHARED, b.fd(), b.bar4());
            assertEquals(1, m.touchAll());
            Map<PageTable.Level, Long> e = m.pageTableEntries();
            assertEquals(1L, e.get(PageTable.Level.PMD));
            assertEquals(0L, e.get(PageTable.Level.PTE));
        }

        @Test
        void aPudSizedMappingUsesPudsWhereThePfnAllows() {
            Mapping m = gh200.p().mmap(0, GIB, RW, Mman.MAP_SHARED, gh200.fd(), gh200.bar4());
            m.touchAll();
            Map<PageTable.Level, Long> e = m.pageTableEntries();
            if (gh200.hw().usememStart() % GIB == 0) {
                assertEquals(1L, e.get(PageTable.Level.PUD));
            } else {
                assertEquals(GIB / (2L << 20), e.get(PageTable.Level.PMD));
            }
            assertEquals(0L, e.get(PageTable.Level.PTE));
        }

        @Test
        void i386CannotReachTheFakeBars() {
            Booted b = on(Arch.I386, "nvgrace-gh200");
            long bar4 = b.bar4();
            assertTrue(bar4 > 0xffff_ffffL, "the default layout's offset");
            assertEquals(Errno.EOVERFLOW, errno(() -> b.p().mmap(0, 4096, RW, Mman.MAP_SHARED,
                    b.fd(), bar4)));
        }

        @Test
        void memoryDecodeOffMakesFaultsSigbus() {
            Mapping m = gh200.p().mmap(0, 4096, RW, Mman.MAP_SHARED, gh200.fd(), gh200.bar4());
            m.store(0, 4, 7);
            gh200.setMemoryDecode(false);
            assertEquals(0L, m.pageTableEntries().get(PageTable.Level.PTE));
            assertThrows(SigbusException.class, () -> m.load(0, 4));
            gh200.setMemoryDecode(true);
            assertEquals(7, m.load(0, 4));
        }

        @Test
        void resetZapsFakeBarMappingsLikeRealOnes() {
            Mapping use = gh200.p().mmap(0, 4096, RW, Mman.MAP_SHARED, gh200.fd(), gh200.bar4());
            Mapping res = gh200.p().mmap(0, 4096, RW, Mman.MAP_SHARED, gh200.fd(), gh200.bar2());
            use.store(0, 4, 1);
            res.store(0, 4, 2);
            assertEquals(0, gh200.p().ioctl(gh200.fd(), VfioIoctl.VFIO_DEVICE_RESET, 0L));
            assertEquals(0L, use.pageTableEntries().get(PageTable.Level.PTE));
            assertEquals(0L, res.pageTableEntries().get(PageTable.Level.PTE));
            assertEquals(1, use.load(0, 4));
        }

        @Test
        void privateMappingIsAcceptedAndItsFirstFaultHitsTheBugOn() {
            Mapping m = gh200.p().mmap(0, 4096, Mman.PROT_READ, Mman.MAP_PRIVATE, gh200.fd(),
                    gh200.bar4());
            assertEquals(PgProt.WB, m.pgprot());
            SegvException e = assertThrows(SegvException.class, () -> m.load(0, 4));
            KernelBug b = e.kernelBug().orElseThrow();
            assertEquals("mm/memory.c:vmf_insert_pfn_prot", b.function());
            assertEquals(KernelBug.Kind.BUG_ON, b.kind());
            assertTrue(b.reason().contains("nvgrace_gpu_vfio_pci_mmap_ops"), b.reason());
            assertEquals(List.of(b), gh200.p().kernelBugs());
        }
    }

    @Nested
    class ReadWrite {
        @Test
        void usememRoundTripsThroughDeviceMemory() {
            byte[] data = {1, 2, 3, 4, 5, 6, 7, 8, 9};
            long bar4 = gh200.bar4();
            assertEquals(9, gh200.p().pwrite(gh200.fd(), data, bar4 + 0x1003));
            assertEquals(0x0908070605040302L, gh200.hw().deviceMemory().read(0x1004, 8));
            byte[] back = new byte[9];
            assertEquals(9, gh200.p().pread(gh200.fd(), back, bar4 + 0x1003));
            assertArrayEquals(data, back);
        }

        @Test
        void pastTheRealMemoryReadsAllOnesAndWritesAreDropped() {
            long use = gh200.hw().usememLength();
            long bar4 = gh200.bar4();
            gh200.hw().deviceMemory().write(use - 4, 4, 0x44332211L);
            byte[] b = new byte[8];
            assertEquals(8, gh200.p().pread(gh200.fd(), b, bar4 + use - 4));
            assertArrayEquals(new byte[] {0x11, 0x22, 0x33, 0x44, -1, -1, -1, -1}, b);
            assertEquals(16, gh200.p().pwrite(gh200.fd(), new byte[16], bar4 + use + 64));
            byte[] after = new byte[16];
            assertEquals(16, gh200.p().pread(gh200.fd(), after, bar4 + use + 64));
            assertArrayEquals(filled(16, 0xff), after);
        }

        @Test
        void theReportedBarBoundsReadAndWrite() {
            long bar = nvdev(gh200, "usemem.bar_size");
            long bar4 = gh200.bar4();
            assertEquals(Errno.EINVAL, errno(() -> gh200.p().pread(gh200.fd(), new byte[4], bar4 + bar)));
            assertEquals(Errno.EINVAL, errno(() -> gh200.p().pwrite(gh200.fd(), new byte[4], bar4 + bar)));
            byte[] b = new byte[8];
            assertEquals(4, gh200.p().pread(gh200.fd(), b, bar4 + bar - 4));
            assertEquals(4, gh200.p().pwrite(gh200.fd(), b, bar4 + bar - 4));
        }

        @Test
        void resmemRoundTripsThroughDoIoRw() {
            byte[] data = {10, 20, 30, 40, 50, 60, 70, 80};
            long bar2 = gh200.bar2();
            assertEquals(8, gh200.p().pwrite(gh200.fd(), data, bar2 + 0x2000));
            long resOff = gh200.hw().resmemStart() - gh200.hw().deviceMemoryStart();
            assertEquals(LE.getU64(data, 0), gh200.hw().deviceMemory().read(resOff + 0x2000, 8),
                    "resmem's own memory, at the offset inside the fake BAR");
            byte[] back = new byte[8];
            assertEquals(8, gh200.p().pread(gh200.fd(), back, bar2 + 0x2000));
            assertArrayEquals(data, back);
            byte[] beyond = new byte[4];
            long res = gh200.hw().resmemLength();
            assertEquals(4, gh200.p().pread(gh200.fd(), beyond, bar2 + res));
            assertArrayEquals(filled(4, 0xff), beyond);
        }

        @Test
        void aResmemAccessRunningPastTheRealMemoryIsShortAsInTheC() {
            long res = gh200.hw().resmemLength();
            long bar2 = gh200.bar2();
            byte[] b = filled(8, 0x5a);
            assertEquals(4, gh200.p().pread(gh200.fd(), b, bar2 + res - 4));
            assertArrayEquals(new byte[] {0, 0, 0, 0, 0x5a, 0x5a, 0x5a, 0x5a}, b);
            assertEquals(4, gh200.p().pwrite(gh200.fd(), new byte[8], bar2 + res - 4));
        }

        @Test
        void theRealBarsAndOtherRegionsAreTheCores() {
            assertEquals(4, gh200.p().pread(gh200.fd(), new byte[4], gh200.offset(0) + 0x100));
            assertEquals(Errno.EINVAL, errno(() -> gh200.p().pread(gh200.fd(), new byte[4],
                    9L << 40)), "the legacy layout's slot of index 9, which the GPU does not have");
            Booted gb = on(Arch.X86_64, "nvgrace-gb200");
            assertEquals(Errno.EINVAL, errno(() -> gb.p().pread(gb.fd(), new byte[4], gb.bar2())));
        }
    }

    @Nested
    class ConfigEmulation {
        @Test
        void fakeBarRegistersReadAs64BitPrefetchable() {
            assertEquals(0xcL, gh200.config32(0x18));
            assertEquals(0L, gh200.config32(0x1c));
            assertEquals(0xcL, gh200.config32(0x20));
            assertEquals(0L, gh200.config32(0x24));
        }

        @Test
        void sizingReturnsTheReportedBarSizes() {
            for (int reg = 0x18; reg < 0x28; reg += 4) {
                assertEquals(4, gh200.writeConfig32(reg, 0xffffffffL));
            }
            assertEquals(0x8000000cL, gh200.config32(0x18));
            assertEquals(0xffffffffL, gh200.config32(0x1c));
            assertEquals(0x0000000cL, gh200.config32(0x20));
            assertEquals(0xffffffe0L, gh200.config32(0x24));
            assertEquals(-1L, nvdev(gh200, "resmem.bar_val"));
        }

        @Test
        void anAddressIsKeptAboveTheSizeBits() {
            gh200.writeConfig32(0x20, 0x12345678L);
            gh200.writeConfig32(0x24, 0x00000040L);
            assertEquals(0x0000000cL, gh200.config32(0x20));
            assertEquals(0x00000040L, gh200.config32(0x24));
            byte[] both = new byte[8];
            assertEquals(8, gh200.p().pread(gh200.fd(), both, gh200.cfg() + 0x20));
            assertEquals(0x000000400000000cL, LE.getU64(both, 0));
        }

        @Test
        void aWriteOverBothPairsStoresOnlyTheFirstAndIsShort() {
            assertEquals(8, gh200.p().pwrite(gh200.fd(), filled(16, 0xff), gh200.cfg() + 0x18));
            assertEquals(-1L, nvdev(gh200, "resmem.bar_val"));
            assertEquals(0L, nvdev(gh200, "usemem.bar_val"));
        }

        @Test
        void withoutResmemOnlyTheUsememPairIsEmulatedAndOnlyWhenReadAlone() {
            Booted gb = on(Arch.X86_64, "nvgrace-gb200");
            assertEquals(0L, gb.config32(0x18));
            assertEquals(0xcL, gb.config32(0x20));
            byte[] span = new byte[16];
            assertEquals(16, gb.p().pread(gb.fd(), span, gb.cfg() + 0x18));
            assertEquals(0L, LE.getU32(span, 8), "BAR2 overlapped first: no usemem overlay");
        }

        @Test
        void resetClearsTheEmulatedRegisters() {
            gh200.writeConfig32(0x24, 0xffffffffL);
            assertEquals(0xffffffe0L, gh200.config32(0x24));
            assertEquals(0, gh200.p().ioctl(gh200.fd(), VfioIoctl.VFIO_DEVICE_RESET, 0L));
            assertEquals(0L, gh200.config32(0x24));
        }

        @Test
        void otherRegistersAreTheCores() {
            assertEquals(0x234210deL, gh200.config32(0));
        }
    }

    @Nested
    class Ioctl {
        private byte[] ioeventfd() {
            return VfioDeviceIoeventfd.of(VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_32, 0x100, 1,
                    5).encode();
        }

        @Test
        void ioeventfdIsEnottyWithFakeBars() {
            assertEquals(Errno.ENOTTY, errno(() -> gh200.p().ioctl(gh200.fd(),
                    VfioIoctl.VFIO_DEVICE_IOEVENTFD, ioeventfd())));
        }

        @Test
        void theCoreTableRegistersIoeventfds() {
            Booted nomem = on(Arch.X86_64, "nvgrace-gh200-nomem");
            assertEquals(0, nomem.p().ioctl(nomem.fd(), VfioIoctl.VFIO_DEVICE_IOEVENTFD,
                    ioeventfd()));
            assertEquals(1, nvdev(nomem, "ioeventfds_nr"));
        }

        /**
         * nvgrace_gpu_ioctl passes every other command to vfio_pci_core_ioctl and returns its
         * answer, errors included: an IRQ_INFO whose argsz is short of the structure is the
         * core's -EINVAL, an unknown command its -ENOTTY.
         */
        @Test
        void theCoresErrorsComeBackThroughTheDriver() {
            byte[] irq = new byte[16];
            LE.putU32(irq, 0, 8);
            assertEquals(Errno.EINVAL, errno(() -> gh200.p().ioctl(gh200.fd(),
                    VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO, irq)));
            assertEquals(Errno.ENOTTY, errno(() -> gh200.p().ioctl(gh200.fd(),
                    VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO + 0x40, irq)));
        }

        /**
         * nvgrace_gpu_open_device sets both emulated BAR registers back to 0
         * (nvgrace_gpu_init_fake_bar_emu_regs) on every open, as the reset does.
         */
        @Test
        void everyOpenClearsTheEmulatedRegisters() {
            gh200.writeConfig32(0x24, 0xffffffffL);
            assertEquals(0xffffffe0L, gh200.config32(0x24));
            gh200.p().close(gh200.fd());
            int fd = gh200.p().open("nvgrace-gh200");
            byte[] ri = VfioRegionInfo.request(7, 32);
            gh200.p().ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, ri);
            byte[] reg = new byte[4];
            assertEquals(4, gh200.p().pread(fd, reg, VfioRegionInfo.decode(ri, 0).offset() + 0x24));
            assertEquals(0L, LE.getU32(reg, 0));
        }

        @Test
        void otherIoctlsReachTheCore() {
            byte[] info = new byte[24];
            LE.putU32(info, 0, 24);
            assertEquals(0, gh200.p().ioctl(gh200.fd(), VfioIoctl.VFIO_DEVICE_GET_INFO, info));
            assertEquals(9, LE.getU32(info, 8));
        }
    }

    /**
     * A user buffer that faults part-way (the syscall boundary cannot make one, so the file's
     * read and write are called directly): every copy to or from the user in the driver's paths
     * is -EFAULT.
     */
    @Nested
    class UserFaults {
        @Test
        void deviceMemoryCopiesAndTheFillFault() {
            KernelFile nv = gh200.file();
            long use = nvdev(gh200, "usemem.memlength");
            long bar4 = gh200.bar4();
            assertEquals(-Errno.EFAULT, nv.read(UserBuffer.allocate(2), 4, bar4));
            assertEquals(-Errno.EFAULT, nv.write(UserBuffer.allocate(2), 4, bar4));
            assertEquals(-Errno.EFAULT, nv.read(UserBuffer.allocate(6), 8, bar4 + use - 4));
            assertEquals(-Errno.EFAULT, nv.read(UserBuffer.allocate(2), 4, gh200.bar2()));
            assertEquals(4, nv.read(UserBuffer.allocate(4), 4, bar4));
        }

        @Test
        void emulatedConfigRegistersFault() {
            KernelFile nv = gh200.file();
            assertEquals(-Errno.EFAULT, nv.write(UserBuffer.allocate(2), 4, gh200.cfg() + 0x18));
            assertEquals(0L, nvdev(gh200, "resmem.bar_val"));
            assertEquals(-Errno.EFAULT, nv.read(UserBuffer.allocate(2), 4, gh200.cfg() + 0x20));
        }
    }

    /**
     * The driver's answers the other groups leave out: a power-of-two memory, resmem's emulated
     * register on reset, a fault past a mapping's first page, a usemem write that runs past
     * the real memory, the core's config errors and write counts, the close, and the dma-buf
     * lookup of nvgrace_gpu_pci_dev_ops.
     */
    @Nested
    class Edges {
        /**
         * nvgrace_gpu_init_nvdev_struct: the BAR size is roundup_pow_of_two(memlength), which
         * is the length itself when that is a power of two.
         */
        @Test
        void aPowerOfTwoMemoryIsItsOwnBarSize() {
            PciFunctionSpec gh = (PciFunctionSpec) DeviceCatalogue.byName("nvgrace-gb200").orElseThrow();
            PciFunctionSpec pow2 = gh.toBuilder("nvgrace-pow2")
                    .factory((spec, bus) -> new NvgraceGpu(spec, bus, 64 * GIB, false)).build();
            Process p = new Process(stage.stage().boot(Arch.X86_64, List.of(pow2)));
            int fd = p.open("nvgrace-pow2");
            assertEquals(64 * GIB, stage.driverLong(p.file(fd).kernelFile(), "usemem.bar_size"));
        }

        /**
         * nvgrace_gpu_init_fake_bar_emu_regs, on VFIO_DEVICE_RESET: resmem's register too
         * goes back to 0.
         */
        @Test
        void resetClearsResmemsRegister() {
            gh200.writeConfig32(0x1c, 0xffffffffL);
            assertEquals(0xffffffffL, gh200.config32(0x1c));
            assertEquals(0, gh200.p().ioctl(gh200.fd(), VfioIoctl.VFIO_DEVICE_RESET, 0L));
            assertEquals(0L, gh200.config32(0x1c));
            assertEquals(0L, nvdev(gh200, "resmem.bar_val"));
        }

        /**
         * nvgrace_gpu_write_config_emu replaces the bytes it is given: a register written with
         * ones, then zeros, holds zeros.
         */
        @Test
        void aRegisterWriteReplacesTheOldBytes() {
            gh200.writeConfig32(0x24, 0xffffffffL);
            gh200.writeConfig32(0x24, 0);
            assertEquals(0L, gh200.config32(0x24));
            assertEquals(0L, nvdev(gh200, "usemem.bar_val"));
        }

        /**
         * nvgrace_gpu_write_config_emu hands every other register to vfio_pci_core_write and
         * returns its count; nvgrace_gpu_read_config_emu returns vfio_pci_core_read's error
         * (past config space) as it is.
         */
        @Test
        void theCoresConfigCountsAndErrorsComeBack() {
            byte[] cmd = new byte[2];
            assertEquals(2, gh200.p().pread(gh200.fd(), cmd, gh200.cfg() + 4));
            assertEquals(2, gh200.p().pwrite(gh200.fd(), cmd, gh200.cfg() + 4));
            assertEquals(4, gh200.writeConfig32(0x3c, 0x0b));
            int past = errno(() -> gh200.p().pread(gh200.fd(), new byte[4], gh200.cfg() + 0xffe));
            assertEquals(Errno.EFAULT, past, "vfio_config_do_rw: *ppos + count > cfg_size");
        }

        /**
         * addr_to_pgoff: a fault on a mapping's third page reaches the third page of device
         * memory after the mapping's own offset.
         */
        @Test
        void aFaultPastTheFirstPageMapsItsOwnPage() {
            long bar4 = gh200.bar4();
            Mapping use = gh200.p().mmap(0, 3 * 4096, RW, Mman.MAP_SHARED, gh200.fd(), bar4 + 4096);
            use.store(2 * 4096 + 8, 4, 0x0badf00dL);
            assertEquals(0x0badf00dL, gh200.hw().deviceMemory().read(3 * 4096 + 8, 4));
            assertEquals(((gh200.hw().deviceMemoryStart() >>> 12) + 3), gh200.p().mm().pageTable()
                    .lookup(use.addr() + 2 * 4096).pfn());
        }

        /**
         * nvgrace_gpu_write_mem: a usemem write running past the real memory writes the part
         * inside it and returns the whole (BAR-clipped) count.
         */
        @Test
        void aUsememWriteRunningPastTheRealMemoryCountsWhole() {
            long use = gh200.hw().usememLength();
            assertEquals(8, gh200.p().pwrite(gh200.fd(), filled(8, 0x77), gh200.bar4() + use - 4));
            assertEquals(0x77777777L, gh200.hw().deviceMemory().read(use - 4, 4));
        }

        /**
         * vfio_pci_core_close_device on the last close: vfio_pci_core_disable resets the
         * function (reset_works).
         */
        @Test
        void closeResetsTheFunction() {
            long before = gh200.hw().resetCount();
            gh200.p().close(gh200.fd());
            assertEquals(before + 1, gh200.hw().resetCount());
        }

        private long dmaBuf(long region, long off, long len) {
            byte[] b = new byte[VfioDeviceFeature.dataOffset() + 32];
            new VfioDeviceFeature(b.length, (VfioDeviceFeature.VFIO_DEVICE_FEATURE_GET
                    | VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_BUF) & 0xffff_ffffL).encodeInto(b, 0);
            int d = VfioDeviceFeature.dataOffset();
            LE.putU32(b, d, region);
            LE.putU32(b, d + 12, 1);
            LE.putU64(b, d + 16, off);
            LE.putU64(b, d + 24, len);
            return gh200.p().ioctl(gh200.fd(), VfioIoctl.VFIO_DEVICE_FEATURE, b);
        }

        /** Whatever a request that passed every check gets: a dma-buf, or the model's -EOPNOTSUPP. */
        private void accepted(long region, long off, long len) {
            try {
                dmaBuf(region, off, len);
            } catch (ErrnoException e) {
                assertEquals(Errno.EOPNOTSUPP, e.errno(), "region " + region);
            }
        }

        /**
         * nvgrace_get_dmabuf_phys: a fake BAR's ranges are checked against its real memory
         * (vfio_pci_core_fill_phys_vec with memlength), not the reported BAR; the real BAR0
         * goes to vfio_pci_core_get_dmabuf_phys, which checks it against BAR0's length.
         */
        @Test
        void dmaBufRangesOfTheFakeBarsAreCheckedAgainstTheirMemory() {
            long use = gh200.hw().usememLength();
            long res = gh200.hw().resmemLength() & ~0xfffL;
            accepted(4, 0, 4096);
            accepted(4, use - 4096, 4096);
            accepted(2, res - 4096, 4096);
            accepted(0, 0, 4096);
            assertEquals(Errno.EINVAL, errno(() -> dmaBuf(4, use, 4096)), "inside the BAR, past memory");
            assertEquals(Errno.EINVAL, errno(() -> dmaBuf(2, res + 4096, 4096)));
            assertEquals(Errno.EINVAL, errno(() -> dmaBuf(0, 16L << 20, 4096)), "past BAR0");
        }

        /**
         * vfio_pci_core_enable fails the open when pci_try_reset_function finds the device
         * locked by another path (-EAGAIN); nvgrace_gpu_open_device returns that failure. Once
         * the lock is free the device opens.
         */
        @Test
        void anOpenWhileTheDeviceIsLockedElsewhereIsEagain() throws Exception {
            Process p = new Process(stage.stage().boot(Arch.X86_64,
                    List.of(DeviceCatalogue.byName("nvgrace-gh200").orElseThrow())));
            NvgraceGpu hw = (NvgraceGpu) p.host().device("nvgrace-gh200");
            int refused = DeviceLockHolder.whileHeldElsewhere(hw,
                    () -> errno(() -> p.open("nvgrace-gh200")));
            assertEquals(Errno.EAGAIN, refused);
            int fd = p.open("nvgrace-gh200");
            assertEquals("nvgrace_gpu_pci_ops", stage.opsTableOf(p.file(fd).kernelFile()));
        }

        /**
         * Without a reset method the core's VFIO_DEVICE_RESET is -EINVAL (reset_works is
         * false), and nvgrace_gpu_ioctl returns it; the emulated registers were cleared first.
         */
        @Test
        void withoutAResetMethodTheResetIsEinvalAfterTheRegistersAreCleared() {
            PciFunctionSpec gh = (PciFunctionSpec) DeviceCatalogue.byName("nvgrace-gh200").orElseThrow();
            PciFunctionSpec noReset = gh.toBuilder("nvgrace-noreset").noFlr().build();
            Process p = new Process(stage.stage().boot(Arch.X86_64, List.of(noReset)));
            Booted b = new Booted(p, p.open("nvgrace-noreset"), (NvgraceGpu) p.host().device("nvgrace-noreset"));
            assertTrue(b.hw().resetMethods().isEmpty(), b.hw().resetMethods().toString());
            b.writeConfig32(0x24, 0xffffffffL);
            assertEquals(Errno.EINVAL, errno(() -> p.ioctl(b.fd(), VfioIoctl.VFIO_DEVICE_RESET, 0L)));
            assertEquals(0L, b.config32(0x24));
        }
    }
}
