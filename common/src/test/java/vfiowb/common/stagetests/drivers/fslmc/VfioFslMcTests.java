package vfiowb.common.stagetests.drivers.fslmc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import vfiowb.common.hw.FslMcDevice;
import vfiowb.common.hw.FslMcRegion;
import vfiowb.common.hw.SimpleDeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.mm.PageTable;
import vfiowb.common.mm.PgProt;
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

/** vfio_fsl_mc_ops through the syscall boundary: the MC command portal and the DPIO portals. */
public abstract class VfioFslMcTests {
    private static final int R = VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
    private static final int W = VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;
    private static final int M = VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;

    private final StageAdapter stage;

    protected VfioFslMcTests(StageAdapter stage) {
        this.stage = stage;
    }

    static List<Arch> arches() {
        return NonPci.arches();
    }

    private Dev dprc(Arch arch) {
        return NonPci.open(stage, arch, "fsl-mc-dprc");
    }

    private Dev dpio(Arch arch) {
        return NonPci.open(stage, arch, "fsl-mc-dpio");
    }

    /** Region {@code index}'s file offset as REGION_INFO reports it. */
    private static long offset(Dev d, long index) {
        return d.region(index).info().offset();
    }

    /**
     * A file offset no region of {@code d} (two regions at least) covers: where one more region
     * would sit, as far past the last as the last is past the one before.
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
     * vfio_fsl_mc_mmap's own decoding, -ENXIO from the core on the cookie path.
     */
    private static int outsideTheRegionErrno(Dev d) {
        return cookiePath(d) ? Errno.ENXIO : Errno.EINVAL;
    }

    /** The driver's {@code index << 40} before the cookie path; the core's, page aligned, after. */
    private static void assertOffset(Dev d, long index, long offset) {
        if (cookiePath(d)) {
            assertEquals(0, offset % d.arch().pageSize(), "offset of region " + index);
        } else {
            assertEquals(index << 40, offset, "offset of region " + index);
        }
    }

    /** A 64-byte MC command: header with {@code status} in byte 2, parameters 1..7 = i * 0x11. */
    private static byte[] command(int status, int cmdId) {
        byte[] c = new byte[64];
        long header = ((long) cmdId << 48) | ((long) status << 16);
        System.arraycopy(NonPci.le(header, 8), 0, c, 0, 8);
        for (int i = 1; i < 8; i++) {
            System.arraycopy(NonPci.le(i * 0x1111_1111_1111_1111L, 8), 0, c, i * 8, 8);
        }
        return c;
    }

    @Nested
    class OpsTable {
        @Test
        void theCatalogueDevicesRunOnThisTable() {
            assertEquals("vfio-fsl-mc", stage.opsTables().get("vfio_fsl_mc_ops").name());
            assertEquals("vfio_fsl_mc_ops", stage.opsTableOf(dprc(Arch.ARM64_4K).file()));
            assertEquals("vfio_fsl_mc_ops", stage.opsTableOf(dpio(Arch.ARM64_4K).file()));
        }
    }

    @Nested
    class GetInfo {
        @Test
        void containerAdvertisesReset() {
            VfioDeviceInfo info = dprc(Arch.ARM64_4K).info();
            assertEquals(VfioDeviceInfo.VFIO_DEVICE_FLAGS_FSL_MC | VfioDeviceInfo.VFIO_DEVICE_FLAGS_RESET,
                    info.flags());
            assertEquals(1, info.numRegions());
            assertEquals(1, info.numIrqs());
        }

        @Test
        void otherObjectsDoNot() {
            VfioDeviceInfo info = dpio(Arch.ARM64_4K).info();
            assertEquals(VfioDeviceInfo.VFIO_DEVICE_FLAGS_FSL_MC, info.flags());
            assertEquals(2, info.numRegions());
        }

        @Test
        void shortArgszIsEinvalAndShortBufferEfault() {
            Dev d = dprc(Arch.ARM64_4K);
            assertEquals(Errno.EINVAL, errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_INFO,
                    VfioDeviceInfo.of(8, 0, 0, 0, 0).encode())));
            assertEquals(Errno.EFAULT, errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_INFO,
                    new byte[4])));
        }

        @Test
        void irqInfoIsOneEventfdPerInterrupt() {
            Dev d = dpio(Arch.ARM64_4K);
            VfioIrqInfo irq = d.irq(0);
            assertEquals(VfioIrqInfo.VFIO_IRQ_INFO_EVENTFD, irq.flags());
            assertEquals(1, irq.count());
            assertEquals(Errno.EINVAL, errno(() -> d.irq(1)));
        }

        @Test
        void resetWorksForEveryObject() {
            for (Dev d : List.of(dprc(Arch.ARM64_4K), dpio(Arch.ARM64_4K))) {
                KernelFile file = d.file();
                assertEquals(0, d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_RESET, 0));
                assertEquals(1, stage.driverLong(file, "reset_count"));
                d.p().close(d.fd());
                assertEquals(2, stage.driverLong(file, "reset_count"), "close_device resets too");
            }
        }

        /**
         * vfio_fsl_mc_ioctl's GET_INFO and GET_IRQ_INFO end in
         * {@code copy_to_user(arg, &info, minsz) ? -EFAULT : 0}: an argument in read-only user
         * memory is read (argsz, index) and the answer's copy faults.
         */
        @Test
        void answersIntoReadOnlyMemoryAreEfault() {
            Dev d = dpio(Arch.ARM64_4K);
            assertArrayEquals(new int[] {Errno.EFAULT, Errno.EFAULT}, UserFaults.infoIntoReadOnlyMemory(d, 0));
        }

        @Test
        void otherIoctlsAreEnotty() {
            Dev d = dpio(Arch.ARM64_4K);
            assertEquals(Errno.ENOTTY, errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_QUERY_GFX_PLANE,
                    new byte[64])));
        }
    }

    @Nested
    class RegionInfo {
        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.fslmc.VfioFslMcTests#arches")
        void containerPortalIsNeverMappable(Arch arch) {
            Dev d = dprc(arch);
            RegionInfoReply r = d.region(0);
            assertEquals(R | W, r.info().flags());
            assertEquals(0x10000, r.info().size());
            assertOffset(d, 0, r.info().offset());
            assertEquals(0, r.info().capOffset());
        }

        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.fslmc.VfioFslMcTests#arches")
        void portalRegionsArePageGranularOnEveryArch(Arch arch) {
            Dev d = dpio(arch);
            for (int i = 0; i < 2; i++) {
                RegionInfoReply r = d.region(i);
                assertEquals(R | W | M, r.info().flags());
                assertEquals(0x10000, r.info().size());
                assertOffset(d, i, r.info().offset());
            }
            assertTrue(offset(d, 0) + 0x10000 <= offset(d, 1) || offset(d, 1) + 0x10000 <= offset(d, 0),
                    "the two portals overlap");
        }

        @Test
        void indexPastTheRegionsIsEinval() {
            assertEquals(Errno.EINVAL, errno(() -> dpio(Arch.ARM64_4K).region(2)));
        }
    }

    /**
     * What each cookie tells about its region where {@code walk --maple} and the pgoff picture
     * print the file's tree ({@code VfioFslMcMmap.describe}): the portal's physical start, its
     * cacheable/shareable type bits and the flags REGION_INFO gives. Before the cookies the
     * file has no tree.
     */
    @Test
    void theTreeDumpDescribesEachCookiesRegion() {
        Dev d = dpio(Arch.ARM64_4K);
        if (!cookiePath(d)) {
            return;
        }
        List<FslMcRegion> regions = ((FslMcDevice) d.hw()).regions();
        Map<Integer, String> expected = new TreeMap<>();
        for (int i = 0; i < regions.size(); i++) {
            expected.put(i, String.format("phys 0x%x, type 0x%x, flags 0x%x", regions.get(i).start(),
                    regions.get(i).typeBits(), d.region(i).info().flags()));
        }
        assertEquals(expected, NonPci.cookieDescriptions(d, "VfioFslMcMmap"));
    }

    @Nested
    class ReadWrite {
        @Test
        void commandToTheContainerPortalCompletes() {
            Dev d = dprc(Arch.ARM64_4K);
            FslMcDevice hw = (FslMcDevice) d.hw();
            long portal = offset(d, 0);
            assertEquals(64, d.write(portal, command(0x01, 0x9b0)));
            assertEquals(1, hw.commandsExecuted());
            byte[] resp = d.read(portal, 64);
            byte[] expect = command(0x00, 0x9b0);
            assertArrayEquals(expect, resp, "status OK, parameters as written");
        }

        @Test
        void commandThatNeverCompletesTimesOut() {
            Dev d = dpio(Arch.ARM64_4K);
            long ci = offset(d, 1);
            assertEquals(Errno.ETIMEDOUT, errno(() -> d.write(ci, command(0x01, 1))));
            assertEquals(64, d.write(ci, command(0x00, 1)));
        }

        @Test
        void onlySixtyFourBytesAtOffsetZero() {
            Dev d = dprc(Arch.ARM64_4K);
            long portal = offset(d, 0);
            assertEquals(Errno.EINVAL, errno(() -> d.read(portal, 8)));
            assertEquals(Errno.EINVAL, errno(() -> d.read(portal + 8, 64)));
            assertEquals(Errno.EINVAL, errno(() -> d.write(portal, new byte[32])));
            assertEquals(Errno.EINVAL, errno(() -> d.write(portal + 64, new byte[64])));
            assertEquals(0, ((FslMcDevice) d.hw()).commandsExecuted());
        }

        /**
         * A region's offset is the same for every file of the device: upstream it is
         * {@code VFIO_FSL_MC_INDEX_TO_OFFSET(index)}, and on the cookie path the default policy
         * (legacy layout, cookies made at open for the {@code nr_regions} the driver sets in
         * {@code vfio_fsl_mc_open_device}) places each file's cookies alike. So a second file
         * reaches the portal at the offset the first was told, without asking REGION_INFO.
         */
        @Test
        void aSecondFileReachesThePortalWithoutAskingForItsOffset() {
            Dev d = dprc(Arch.ARM64_4K);
            long portal = offset(d, 0);
            Dev second = d.withFd(d.p().open(d.name()));
            assertEquals(64, second.write(portal, command(0x01, 0x9b0)));
            assertArrayEquals(command(0x00, 0x9b0), second.read(portal, 64));
            assertEquals(1, ((FslMcDevice) d.hw()).commandsExecuted());
        }

        @Test
        void offsetPastEveryRegionIsEinval() {
            Dev d = dpio(Arch.ARM64_4K);
            long past = pastTheRegions(d);
            assertEquals(Errno.EINVAL, errno(() -> d.read(past, 64)));
            assertEquals(Errno.EINVAL, errno(() -> d.write(past, new byte[64])));
        }

        @Test
        void readOnlyRegionRefusesWrites() {
            Dev d = NonPci.open(stage, Arch.ARM64_4K, new SimpleDeviceSpec("ro-obj", "vfio-fsl-mc", "vfio_fsl_mc_ops",
                    "test", bus -> new FslMcDevice("ro-obj", "dpni", 3,
                            List.of(new FslMcRegion(0, 0x10000, false, false, false)), 0, bus)));
            assertEquals(R | M, d.region(0).info().flags());
            long ro = offset(d, 0);
            assertEquals(64, d.read(ro, 64).length);
            assertEquals(Errno.EINVAL, errno(() -> d.write(ro, new byte[64])));
            assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(0x1000, ro)));
            Mapping m = d.mmap(0x1000, Mman.PROT_READ, Mman.MAP_SHARED, ro);
            assertEquals(PgProt.UC, m.pgprot());
        }

        @Test
        void faultingUserBufferIsEfault() {
            Dev d = dprc(Arch.ARM64_4K);
            long portal = offset(d, 0);
            var kf = d.p().file(d.fd()).kernelFile();
            assertEquals(-Errno.EFAULT, kf.read(UserBuffer.allocate(32), 64, portal));
            assertEquals(-Errno.EFAULT, kf.write(UserBuffer.allocate(32), 64, portal));
        }
    }

    @Nested
    class Mmap {
        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "ARM64_4K", "ARM64_64K"})
        void cacheableShareablePortalKeepsCacheableProtection(Arch arch) {
            Dev d = dpio(arch);
            FslMcDevice hw = (FslMcDevice) d.hw();
            long cePortal = offset(d, 0);
            Mapping ce = d.mmapShared(0x10000, cePortal);
            assertEquals(PgProt.WB, ce.pgprot());
            assertEquals(0x10000 / arch.pageSize(), ce.pageTableEntries().get(PageTable.Level.PTE));
            assertEquals(hw.region(0).start() >>> arch.pageShift(), d.pte(ce.addr()).pfn());
            if (cookiePath(d)) {
                assertEquals(cePortal >>> arch.pageShift(), ce.vma().vmPgoff(), "vm_pgoff stays in the cookie");
            } else {
                assertEquals(hw.region(0).start() >>> arch.pageShift(), ce.vma().vmPgoff(), "vm_pgoff rewritten");
            }
            Mapping ci = d.mmapShared(0x10000, offset(d, 1));
            assertEquals(PgProt.UC, ci.pgprot());
            assertEquals(PgProt.UC, d.pte(ci.addr()).prot());
            ci.store(0x40, 8, 0x0123456789abcdefL);
            assertEquals(0x0123456789abcdefL, hw.regionMemory(1).read(0x40, 8));
        }

        /**
         * vfio_fsl_mc_regions_init gives MMAP only to page-granular regions, and
         * vfio_fsl_mc_mmap refuses a region without it (-EINVAL) even where the request lies
         * inside a region bigger than a page.
         */
        @Test
        void aRegionThatIsNotPageGranularIsNotMapped() {
            Dev d = NonPci.open(stage, Arch.ARM64_4K, new SimpleDeviceSpec("odd-obj", "vfio-fsl-mc",
                    "vfio_fsl_mc_ops", "test", bus -> new FslMcDevice("odd-obj", "dpni", 3,
                            List.of(new FslMcRegion(0, 0x1800, false, false, true)), 0, bus)));
            assertEquals(R | W, d.region(0).info().flags());
            long odd = offset(d, 0);
            assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(0x1000, odd)));
        }

        /**
         * vfio_fsl_mc_mmap_mmio keeps the VMA's cacheable protection only for a region both
         * cacheable and shareable; a cacheable region that is not shareable is mapped
         * non-cached. (A shareable region is always cacheable on the fsl-mc bus.)
         */
        @Test
        void cacheableButNotShareableIsMappedUncached() {
            Dev d = NonPci.open(stage, Arch.ARM64_4K, new SimpleDeviceSpec("half-obj", "vfio-fsl-mc",
                    "vfio_fsl_mc_ops", "test", bus -> new FslMcDevice("half-obj", "dpio", 3,
                            List.of(new FslMcRegion(0, 0x10000, true, false, true),
                                    new FslMcRegion(0, 0x10000, true, true, true)), 0, bus)));
            assertEquals(PgProt.UC, d.mmapShared(0x1000, offset(d, 0)).pgprot(), "cacheable only");
            assertEquals(PgProt.WB, d.mmapShared(0x1000, offset(d, 1)).pgprot(), "both");
        }

        @Test
        void containerPortalIsEinval() {
            Dev d = dprc(Arch.ARM64_4K);
            long portal = offset(d, 0);
            assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(0x1000, portal)));
        }

        @Test
        void privateMappingIsEinval() {
            Dev d = dpio(Arch.ARM64_4K);
            long portal = offset(d, 0);
            assertEquals(Errno.EINVAL, errno(() -> d.mmap(0x1000, Mman.PROT_READ, Mman.MAP_PRIVATE, portal)));
        }

        @Test
        void offsetPastEveryRegionIsRefused() {
            Dev d = dpio(Arch.ARM64_4K);
            long past = pastTheRegions(d);
            assertEquals(outsideTheRegionErrno(d), errno(() -> d.mmapShared(0x1000, past)));
        }

        @Test
        void requestPastTheRegionIsRefused() {
            Dev d = dpio(Arch.ARM64_4K);
            long portal = offset(d, 0);
            assertEquals(outsideTheRegionErrno(d), errno(() -> d.mmapShared(0x11000, portal)));
            assertEquals(outsideTheRegionErrno(d), errno(() -> d.mmapShared(0x2000, portal + 0xf000)));
            Mapping tail = d.mmapShared(0x1000, portal + 0xf000);
            assertEquals((((FslMcDevice) d.hw()).region(0).start() >>> 12) + 15, d.pte(tail.addr()).pfn());
        }
    }
}
