package vfiowb.common.stagetests.drivers.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.stagetests.drivers.nonpci.NonPci.errno;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.PlatformDevice;
import vfiowb.common.hw.PlatformResource;
import vfiowb.common.hw.ResourceDevice;
import vfiowb.common.hw.SimpleDeviceSpec;
import vfiowb.common.hw.SystemBus;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.mm.PageTable;
import vfiowb.common.mm.PgProt;
import vfiowb.common.mm.VmFlag;
import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.stagetests.drivers.nonpci.NonPci.Dev;
import vfiowb.common.stagetests.drivers.nonpci.NonPci;
import vfiowb.common.stagetests.drivers.nonpci.UserFaults;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.KernelFile;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.UserBuffer;

/** vfio_platform_ops and vfio_amba_ops through the syscall boundary: resources, reset handlers. */
public abstract class VfioPlatformTests {
    private static final int R = VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
    private static final int W = VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;
    private static final int M = VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;

    private final StageAdapter stage;

    protected VfioPlatformTests(StageAdapter stage) {
        this.stage = stage;
    }

    static List<Arch> arches() {
        return NonPci.arches();
    }

    private Dev xgmac(Arch arch) {
        return NonPci.open(stage, arch, "platform-xgmac");
    }

    private Dev amba(Arch arch) {
        return NonPci.open(stage, arch, "amba-pl011");
    }

    /** A platform device with the given resources, a reset handler when {@code reset}. */
    private static SimpleDeviceSpec custom(boolean reset, PlatformResource... res) {
        return new SimpleDeviceSpec("plat-test", "vfio-platform", "vfio_platform_ops", "test device",
                bus -> new PlatformDevice("plat-test", "vendor,test-dev", List.of(res), 1, reset, bus));
    }

    /** Region {@code index}'s file offset as REGION_INFO reports it. */
    private static long offset(Dev d, long index) {
        return d.region(index).info().offset();
    }

    /**
     * A file offset no region covers: where one more region would sit, as far past the last
     * region as the last is past the one before ({@code 4 << 40} for the XGMAC, in the driver's
     * own layout and in the core's legacy one).
     */
    private static long pastTheRegions(Dev d) {
        long n = d.info().numRegions();
        long last = offset(d, n - 1);
        return last + (last - offset(d, n - 2));
    }

    /** Whether the device's file keeps a tree of mmap cookies (the cookie path, stage 4 on). */
    private static boolean cookiePath(Dev d) {
        return d.file().mmapCookieCount() >= 0;
    }

    /**
     * What an mmap reaching outside every region's pages fails with: -EINVAL from
     * vfio_platform_mmap's own decoding, -ENXIO from the core on the cookie path (no cookie
     * there, or the VMA leaves the cookie it starts in).
     */
    private static int outsideTheRegionErrno(Dev d) {
        return cookiePath(d) ? Errno.ENXIO : Errno.EINVAL;
    }

    @Nested
    class OpsTables {
        @Test
        void platformAndAmbaShareEveryFunction() {
            StageAdapter.OpsTable platform = stage.opsTables().get("vfio_platform_ops");
            StageAdapter.OpsTable amba = stage.opsTables().get("vfio_amba_ops");
            assertEquals(platform.membersSet(), amba.membersSet());
            assertEquals("vfio-platform", platform.name());
            assertEquals("vfio-amba", amba.name());
            assertTrue(platform.membersSet().contains("mmap")
                    || platform.membersSet().contains("mmap_obj"), platform.membersSet().toString());
            assertEquals("vfio_platform_ops", stage.opsTableOf(xgmac(Arch.X86_64).file()));
            assertEquals("vfio_amba_ops", stage.opsTableOf(amba(Arch.ARM64_4K).file()));
        }
    }

    @Nested
    class GetInfo {
        @Test
        void platformReportsPlatformResetRegionsAndIrqs() {
            VfioDeviceInfo info = xgmac(Arch.X86_64).info();
            assertEquals(VfioDeviceInfo.VFIO_DEVICE_FLAGS_PLATFORM | VfioDeviceInfo.VFIO_DEVICE_FLAGS_RESET,
                    info.flags());
            assertEquals(4, info.numRegions());
            assertEquals(3, info.numIrqs());
        }

        @Test
        void ambaReportsAmbaWithoutReset() {
            VfioDeviceInfo info = amba(Arch.ARM64_4K).info();
            assertEquals(VfioDeviceInfo.VFIO_DEVICE_FLAGS_AMBA, info.flags());
            assertEquals(1, info.numRegions());
            assertEquals(1, info.numIrqs());
        }

        @Test
        void copiesOnlySixteenBytesBack() {
            Dev d = xgmac(Arch.X86_64);
            UserBuffer ub = UserBuffer.wrap(VfioDeviceInfo.of(24, 0, 0, 0, 0).encode());
            d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_INFO, ub);
            assertFalse(ub.wroteAny(16, 24));
        }

        @Test
        void argszBelowSixteenIsEinval() {
            Dev d = xgmac(Arch.X86_64);
            byte[] b = VfioDeviceInfo.of(15, 0, 0, 0, 0).encode();
            assertEquals(Errno.EINVAL, errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_INFO, b)));
        }

        @Test
        void unreadableArgumentIsEfault() {
            Dev d = xgmac(Arch.X86_64);
            assertEquals(Errno.EFAULT, errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_INFO,
                    new byte[8])));
        }

        /**
         * vfio_platform_ioctl's GET_INFO and GET_IRQ_INFO end in
         * {@code copy_to_user(arg, &info, minsz) ? -EFAULT : 0}: an argument in read-only user
         * memory is read (argsz, index) and the answer's copy faults.
         */
        @Test
        void answersIntoReadOnlyMemoryAreEfault() {
            Dev d = xgmac(Arch.X86_64);
            assertArrayEquals(new int[] {Errno.EFAULT, Errno.EFAULT}, UserFaults.infoIntoReadOnlyMemory(d, 0));
        }

        @Test
        void unknownIoctlIsEnotty() {
            Dev d = xgmac(Arch.X86_64);
            assertEquals(Errno.ENOTTY, errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_IOEVENTFD,
                    new byte[32])));
        }
    }

    @Nested
    class IrqInfo {
        @Test
        void everyInterruptIsOneLevelTriggeredEventfd() {
            Dev d = xgmac(Arch.X86_64);
            for (int i = 0; i < 3; i++) {
                VfioIrqInfo irq = d.irq(i);
                assertEquals(VfioIrqInfo.VFIO_IRQ_INFO_EVENTFD | VfioIrqInfo.VFIO_IRQ_INFO_MASKABLE
                        | VfioIrqInfo.VFIO_IRQ_INFO_AUTOMASKED, irq.flags());
                assertEquals(1, irq.count());
            }
        }

        @Test
        void indexPastTheInterruptsIsEinval() {
            Dev d = xgmac(Arch.X86_64);
            assertEquals(Errno.EINVAL, errno(() -> d.irq(3)));
        }

        @Test
        void argszBelowSixteenIsEinval() {
            Dev d = xgmac(Arch.X86_64);
            byte[] b = new VfioIrqInfo(12, 0, 0, 0).encode();
            assertEquals(Errno.EINVAL, errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO, b)));
        }
    }

    @Nested
    class RegionInfo {
        /**
         * Flags and sizes from the resources; the offsets are the driver's {@code index << 40}
         * before the cookie path, the core's after it (page aligned, one range per region).
         */
        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.platform.VfioPlatformTests#arches")
        void everyIndexWithItsResourcesFlagsAndSize(Arch arch) {
            Dev d = xgmac(arch);
            boolean pageSized = arch.pageSize() == 4096;
            long[][] expect = {
                {pageSized ? R | W | M : R | W, 0x1000},
                {R | W, 0x100},
                {R, 0x100},
                {0, 8},
            };
            for (int i = 0; i < expect.length; i++) {
                RegionInfoReply r = d.region(i, 32);
                assertEquals(expect[i][0], r.info().flags(), "flags of region " + i);
                assertEquals(expect[i][1], r.info().size(), "size of region " + i);
                assertEquals(0, r.info().capOffset());
                assertEquals(32, r.info().argsz());
                if (!cookiePath(d)) {
                    assertEquals((long) i << 40, r.info().offset(), "offset of region " + i);
                } else {
                    assertEquals(0, r.info().offset() % arch.pageSize(), "offset of region " + i);
                    for (int j = 0; j < i; j++) {
                        RegionInfoReply o = d.region(j, 32);
                        assertTrue(Long.compareUnsigned(o.info().offset() + o.info().size(),
                                r.info().offset()) <= 0 || Long.compareUnsigned(
                                r.info().offset() + r.info().size(), o.info().offset()) <= 0,
                                "regions " + j + " and " + i + " overlap");
                    }
                }
            }
        }

        @Test
        void fourKibResourceIsNotMappableWithSixtyFourKibPages() {
            assertEquals(R | W, amba(Arch.ARM64_64K).region(0).info().flags());
            assertEquals(R | W | M, amba(Arch.ARM64_4K).region(0).info().flags());
        }

        @Test
        void sizeThatIsNotAPageMultipleIsNotMappable() {
            Dev d = NonPci.open(stage, Arch.X86_64, custom(true, PlatformResource.mmio("odd", 0x1800, true)));
            ResourceDevice hw = (ResourceDevice) d.hw();
            assertEquals(0, hw.resource(0).start() & 0xfff, "start is page aligned");
            assertEquals(R | W, d.region(0).info().flags());
            assertEquals(0x1800, d.region(0).info().size());
        }

        @Test
        void indexPastTheRegionsIsEinval() {
            Dev d = xgmac(Arch.X86_64);
            assertEquals(Errno.EINVAL, errno(() -> d.region(4)));
            assertEquals(Errno.EINVAL, errno(() -> d.region(0xffff_ffffL)));
        }
    }

    /**
     * What each cookie tells about its region where {@code walk --maple} and the pgoff picture
     * print the file's tree ({@code VfioPlatformMmap.describe}): the resource's kind, physical
     * start and the flags REGION_INFO gives. Before the cookies the file has no tree.
     */
    @Test
    void theTreeDumpDescribesEachCookiesRegion() {
        Dev d = xgmac(Arch.X86_64);
        if (!cookiePath(d)) {
            return;
        }
        ResourceDevice hw = (ResourceDevice) d.hw();
        Map<Integer, String> expected = new TreeMap<>();
        String[] kind = {"MMIO", "MMIO", "MMIO", "PIO"};
        for (int i = 0; i < kind.length; i++) {
            expected.put(i, String.format("%s, phys 0x%x, flags 0x%x", kind[i],
                    hw.resource(i).start(), d.region(i).info().flags()));
        }
        assertEquals(expected, NonPci.cookieDescriptions(d, "VfioPlatformMmap"));
    }

    @Nested
    class ReadWrite {
        @Test
        void registerRoundTripReachesTheDevice() {
            Dev d = xgmac(Arch.X86_64);
            long regs = offset(d, 0);
            assertEquals(4, d.writeLe(regs + 0x10, 4, 0xcafef00dL));
            assertEquals(0xcafef00dL, d.readLe(regs + 0x10, 4));
            assertEquals(0xcafef00dL, ((ResourceDevice) d.hw()).resourceMemory(0).read(0x10, 4));
        }

        @Test
        void unalignedRunsSplitIntoNaturalAccesses() {
            Dev d = xgmac(Arch.X86_64);
            byte[] data = {1, 2, 3, 4, 5, 6, 7};
            assertEquals(7, d.write(offset(d, 1) + 1, data));
            assertArrayEquals(data, d.read(offset(d, 1) + 1, 7));
            assertEquals(0x0706050403020100L, ((ResourceDevice) d.hw()).resourceMemory(1).read(0, 8));
        }

        /**
         * What the device sees: vfio_platform_read_mmio and vfio_platform_write_mmio issue
         * ioread32/16/8 (iowrite32/16/8), the widest the remaining count and the offset's
         * alignment allow, never 64 bits.
         */
        @Test
        void eachPieceIsOneAccessOfItsWidth() {
            Dev d = xgmac(Arch.X86_64);
            ResourceDevice hw = (ResourceDevice) d.hw();
            long base = hw.resource(1).start();
            long stats = offset(d, 1);
            java.util.List<SystemBus.Transaction> seen = new java.util.ArrayList<>();
            hw.bus().setAnalyser(seen::add);
            try {
                d.read(stats + 1, 7);
                d.write(stats + 0x11, new byte[7]);
                d.read(stats + 0x20, 8);
                d.read(stats + 0x32, 2);
                d.write(stats + 0x44, new byte[4]);
                d.read(stats + 0x55, 1);
            } finally {
                hw.bus().setAnalyser(null);
            }
            java.util.function.BiFunction<Long, Integer, String> r = (o, w) -> "r" + w + "@" + Long.toHexString(o);
            java.util.function.BiFunction<Long, Integer, String> w = (o, n) -> "w" + n + "@" + Long.toHexString(o);
            assertEquals(List.of(r.apply(1L, 1), r.apply(2L, 2), r.apply(4L, 4),
                    w.apply(0x11L, 1), w.apply(0x12L, 2), w.apply(0x14L, 4),
                    r.apply(0x20L, 4), r.apply(0x24L, 4),
                    r.apply(0x32L, 2),
                    w.apply(0x44L, 4),
                    r.apply(0x55L, 1)),
                    seen.stream().filter(t -> t.address() >= base && t.address() < base + 0x100)
                            .map(t -> (t.write() ? "w" : "r") + t.width() + "@"
                                    + Long.toHexString(t.address() - base)).toList());
        }

        @Test
        void countIsClippedAtTheRegionEnd() {
            Dev d = xgmac(Arch.X86_64);
            long stats = offset(d, 1);
            d.writeLe(stats + 0xfc, 4, 0x11223344L);
            byte[] b = new byte[16];
            assertEquals(4, d.p().pread(d.fd(), b, stats + 0xfc));
            assertEquals(0x11223344L, NonPci.le(b, 0, 4));
            assertEquals(4, d.p().pwrite(d.fd(), b, stats + 0xfc));
        }

        @Test
        void offsetAtOrPastTheRegionEndIsEinval() {
            Dev d = xgmac(Arch.X86_64);
            long end = offset(d, 1) + 0x100;
            assertEquals(Errno.EINVAL, errno(() -> d.read(end, 4)));
            assertEquals(Errno.EINVAL, errno(() -> d.write(end, new byte[4])));
        }

        @Test
        void readOnlyRegionReadsButRefusesWrites() {
            Dev d = xgmac(Arch.X86_64);
            ((ResourceDevice) d.hw()).resourceMemory(2).write(0, 4, 0x5a5a5a5aL);
            long info = offset(d, 2);
            assertEquals(0x5a5a5a5aL, d.readLe(info, 4));
            assertEquals(Errno.EINVAL, errno(() -> d.writeLe(info, 4, 1)));
        }

        @Test
        void portRegionIsNotImplemented() {
            Dev d = xgmac(Arch.X86_64);
            long legacy = offset(d, 3);
            assertEquals(Errno.EINVAL, errno(() -> d.read(legacy, 1)));
            assertEquals(Errno.EINVAL, errno(() -> d.write(legacy, new byte[1])));
        }

        @Test
        void offsetPastEveryRegionIsEinval() {
            Dev d = xgmac(Arch.X86_64);
            long past = pastTheRegions(d);
            assertEquals(Errno.EINVAL, errno(() -> d.read(past, 4)));
            assertEquals(Errno.EINVAL, errno(() -> d.write(past, new byte[4])));
        }

        @Test
        void faultingUserBufferIsEfault() {
            Dev d = xgmac(Arch.X86_64);
            long regs = offset(d, 0);
            var kf = d.p().file(d.fd()).kernelFile();
            assertEquals(-Errno.EFAULT, kf.read(UserBuffer.allocate(2), 4, regs));
            assertEquals(-Errno.EFAULT, kf.write(UserBuffer.allocate(2), 4, regs));
        }
    }

    @Nested
    class Mmap {
        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "I386", "ARM64_4K"})
        void mapsEagerlyUncachedAtTheResource(Arch arch) {
            Dev d = xgmac(arch);
            ResourceDevice hw = (ResourceDevice) d.hw();
            long regs = offset(d, 0);
            Mapping m = d.mmapShared(0x1000, regs);
            assertEquals(PgProt.UC, m.pgprot());
            assertEquals(Map.of(PageTable.Level.PTE, 1L, PageTable.Level.PMD, 0L, PageTable.Level.PUD, 0L),
                    m.pageTableEntries(), "installed at mmap time");
            PageTable.Entry e = d.pte(m.addr());
            assertEquals(hw.resource(0).start() >>> 12, e.pfn());
            if (cookiePath(d)) {
                assertEquals(regs >>> 12, m.vma().vmPgoff(), "vm_pgoff stays in the cookie");
            } else {
                assertEquals(hw.resource(0).start() >>> 12, m.vma().vmPgoff(), "vm_pgoff rewritten to the PFN");
            }
            assertTrue(m.vma().vmFlags().containsAll(List.of(VmFlag.VM_IO, VmFlag.VM_PFNMAP)));
            m.store(0x20, 4, 0x12345678L);
            assertEquals(0x12345678L, hw.resourceMemory(0).read(0x20, 4));
            assertEquals(0x12345678L, d.readLe(regs + 0x20, 4));
        }

        @Test
        void pageOffsetSelectsThePartOfALargeRegion() {
            Dev d = NonPci.open(stage, Arch.X86_64, custom(true, PlatformResource.mmio("big", 0x10000, true)));
            ResourceDevice hw = (ResourceDevice) d.hw();
            long big = offset(d, 0);
            Mapping m = d.mmapShared(0x2000, big + 0x3000);
            assertEquals(2L, m.pageTableEntries().get(PageTable.Level.PTE));
            assertEquals((hw.resource(0).start() >>> 12) + 3, d.pte(m.addr()).pfn());
            assertEquals(outsideTheRegionErrno(d), errno(() -> d.mmapShared(0x2000, big + 0xf000)));
        }

        /**
         * vfio_platform_regions_init gives MMAP only to page-granular regions, and
         * vfio_platform_mmap refuses a region without it (-EINVAL) before
         * vfio_platform_mmap_mmio would have accepted the first page of a 6 KiB region.
         */
        @Test
        void aRegionThatIsNotPageGranularIsNotMapped() {
            Dev d = NonPci.open(stage, Arch.X86_64, custom(true, PlatformResource.mmio("odd", 0x1800, true)));
            assertEquals(R | W, d.region(0).info().flags());
            long odd = offset(d, 0);
            assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(0x1000, odd)));
        }

        @Test
        void privateMappingIsEinval() {
            Dev d = xgmac(Arch.X86_64);
            long regs = offset(d, 0);
            assertEquals(Errno.EINVAL, errno(() -> d.mmap(0x1000, RW, Mman.MAP_PRIVATE, regs)));
        }

        @Test
        void offsetPastEveryRegionIsRefused() {
            Dev d = xgmac(Arch.X86_64);
            long past = pastTheRegions(d);
            assertEquals(outsideTheRegionErrno(d), errno(() -> d.mmapShared(0x1000, past)));
        }

        @Test
        void regionWithoutMmapFlagIsEinval() {
            Dev d = xgmac(Arch.X86_64);
            long stats = offset(d, 1);
            long legacy = offset(d, 3);
            assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(0x1000, stats)));
            assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(0x1000, legacy)), "port region");
        }

        @Test
        void sixtyFourKibPagesRefuseTheFourKibRegion() {
            Dev d = xgmac(Arch.ARM64_64K);
            long regs = offset(d, 0);
            assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(0x10000, regs)));
        }

        @Test
        void writableMappingOfReadOnlyRegionIsEinval() {
            Dev d = NonPci.open(stage, Arch.X86_64, custom(true, PlatformResource.mmio("ro", 0x1000, false)));
            assertEquals(R | M, d.region(0).info().flags());
            long ro = offset(d, 0);
            assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(0x1000, ro)));
            Mapping m = d.mmap(0x1000, Mman.PROT_READ, Mman.MAP_SHARED, ro);
            assertEquals(PgProt.UC, m.pgprot());
        }

        @Test
        void requestPastTheRegionIsRefused() {
            Dev d = xgmac(Arch.X86_64);
            long regs = offset(d, 0);
            assertEquals(outsideTheRegionErrno(d), errno(() -> d.mmapShared(0x2000, regs)));
            assertEquals(outsideTheRegionErrno(d), errno(() -> d.mmapShared(0x1000, regs + 0x1000)));
        }

        @Test
        void secondRegionIsBeyondThirtyTwoBitReach() {
            Dev d = NonPci.open(stage, Arch.I386, custom(true, PlatformResource.mmio("a", 0x1000, true),
                    PlatformResource.mmio("b", 0x1000, true)));
            assertNotNull(d.mmapShared(0x1000, offset(d, 0)));
            long b = offset(d, 1);
            assertEquals(Errno.EOVERFLOW, errno(() -> d.mmapShared(0x1000, b)));
            Dev d64 = NonPci.open(stage, Arch.X86_64, custom(true, PlatformResource.mmio("a", 0x1000, true),
                    PlatformResource.mmio("b", 0x1000, true)));
            assertNotNull(d64.mmapShared(0x1000, offset(d64, 1)));
        }
    }

    @Nested
    class Reset {
        @Test
        void xgmacHandlerMasksInterruptsAndStopsTheMac() {
            Dev d = xgmac(Arch.X86_64);
            long regs = offset(d, 0);
            d.writeLe(regs + 0xf1c, 4, 0xffffffffL);
            d.writeLe(regs + 0xf18, 4, 0x2002 | 0x100);
            d.writeLe(regs, 4, 0xc | 0x1);
            assertEquals(0, d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_RESET, 0));
            assertEquals(0, d.readLe(regs + 0xf1c, 4));
            assertEquals(0x100, d.readLe(regs + 0xf18, 4));
            assertEquals(0x1, d.readLe(regs, 4));
        }

        @Test
        void openAndLastCloseRunTheHandler() {
            Dev d = xgmac(Arch.X86_64);
            KernelFile file = d.file();
            assertEquals(1, stage.driverLong(file, "reset_count"));
            int fd2 = d.p().open(d.name());
            assertEquals(1, stage.driverLong(file, "reset_count"), "only the first open");
            d.p().close(fd2);
            assertEquals(1, stage.driverLong(file, "reset_count"));
            d.p().close(d.fd());
            assertEquals(2, stage.driverLong(file, "reset_count"));
        }

        @Test
        void ambaHasNoHandler() {
            Dev d = amba(Arch.ARM64_4K);
            assertEquals(Errno.EINVAL, errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_RESET, 0)));
        }

        @Test
        void platformDeviceWithoutHandlerIsRefusedAtProbe() {
            ErrnoException e = assertThrows(ErrnoException.class, () -> NonPci.open(stage, Arch.X86_64,
                    custom(false, PlatformResource.mmio("a", 0x1000, true))));
            assertEquals(Errno.ENOENT, e.errno());
        }
    }
}
