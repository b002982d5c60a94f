package vfiowb.common.stagetests.drivers.cdx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import vfiowb.common.hw.CdxDevice;
import vfiowb.common.hw.PlatformResource;
import vfiowb.common.hw.ResourceDevice;
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
import vfiowb.common.uapi.VfioDeviceFeature;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.UserBuffer;

/** vfio_cdx_ops through the syscall boundary: MMIO regions, mmap only, no read or write. */
public abstract class VfioCdxTests {
    private static final int R = VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
    private static final int W = VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;
    private static final int M = VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;

    private final StageAdapter stage;

    protected VfioCdxTests(StageAdapter stage) {
        this.stage = stage;
    }

    static List<Arch> arches() {
        return NonPci.arches();
    }

    private Dev cdx(Arch arch) {
        return NonPci.open(stage, arch, "cdx-dev");
    }

    /** Region {@code index}'s file offset as REGION_INFO reports it. */
    private static long offset(Dev d, long index) {
        return d.region(index).info().offset();
    }

    /**
     * A file offset no region covers: where one more region would sit, as far past the last
     * region as the last is past the one before ({@code 2 << 40} in the driver's own layout and
     * in the core's legacy one).
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
     * What an mmap reaching outside every region's pages fails with: -EINVAL from vfio_cdx_mmap's
     * own decoding, -ENXIO from the core on the cookie path, which checks that before the driver
     * sees the VMA.
     */
    private static int outsideTheRegionErrno(Dev d) {
        return cookiePath(d) ? Errno.ENXIO : Errno.EINVAL;
    }

    /** VFIO_DEVICE_FEATURE BUS_MASTER with the given operation bits and {@code op}, argsz 8 + dataLen. */
    private static long busMaster(Dev d, int ops, int op, int dataLen) {
        byte[] b = new byte[8 + Math.max(dataLen, 4)];
        new VfioDeviceFeature(8 + dataLen, VfioDeviceFeature.flags(VfioDeviceFeature.VFIO_DEVICE_FEATURE_BUS_MASTER,
                ops)).encodeInto(b, 0);
        System.arraycopy(NonPci.le(op, 4), 0, b, 8, 4);
        return d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_FEATURE, b);
    }

    @Nested
    class OpsTable {
        @Test
        void noReadWriteButDeviceFeature() {
            StageAdapter.OpsTable t = stage.opsTables().get("vfio_cdx_ops");
            assertFalse(t.membersSet().contains("read"), t.membersSet().toString());
            assertFalse(t.membersSet().contains("write"), t.membersSet().toString());
            assertFalse(t.membersSet().contains("read_obj"), t.membersSet().toString());
            assertFalse(t.membersSet().contains("write_obj"), t.membersSet().toString());
            assertTrue(t.membersSet().contains("device_feature"), t.membersSet().toString());
            assertEquals("vfio-cdx", t.name());
            assertEquals("vfio_cdx_ops", stage.opsTableOf(cdx(Arch.ARM64_4K).file()));
        }
    }

    @Nested
    class GetInfo {
        @Test
        void cdxWithResetAndOneMsiIndex() {
            VfioDeviceInfo info = cdx(Arch.ARM64_4K).info();
            assertEquals(VfioDeviceInfo.VFIO_DEVICE_FLAGS_CDX | VfioDeviceInfo.VFIO_DEVICE_FLAGS_RESET,
                    info.flags());
            assertEquals(2, info.numRegions());
            assertEquals(1, info.numIrqs());
        }

        @Test
        void argszBelowSixteenIsEinval() {
            Dev d = cdx(Arch.ARM64_4K);
            assertEquals(Errno.EINVAL, errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_INFO,
                    VfioDeviceInfo.of(0, 0, 0, 0, 0).encode())));
        }

        @Test
        void msiIndexCountsTheVectors() {
            Dev d = cdx(Arch.ARM64_4K);
            VfioIrqInfo irq = d.irq(0);
            assertEquals(VfioIrqInfo.VFIO_IRQ_INFO_EVENTFD | VfioIrqInfo.VFIO_IRQ_INFO_NORESIZE, irq.flags());
            assertEquals(4, irq.count());
            assertEquals(Errno.EINVAL, errno(() -> d.irq(1)));
        }

        /**
         * vfio_cdx_ioctl_get_info and vfio_cdx_ioctl_get_irq_info end in
         * {@code copy_to_user(arg, &info, minsz) ? -EFAULT : 0}: an argument in read-only user
         * memory is read (argsz, index) and the answer's copy faults.
         */
        @Test
        void answersIntoReadOnlyMemoryAreEfault() {
            Dev d = cdx(Arch.ARM64_4K);
            assertArrayEquals(new int[] {Errno.EFAULT, Errno.EFAULT}, UserFaults.infoIntoReadOnlyMemory(d, 0));
        }

        @Test
        void functionWithoutMsisHasNoIrqIndex() {
            Dev d = NonPci.open(stage, Arch.ARM64_4K, new SimpleDeviceSpec("cdx-nomsi", "vfio-cdx", "vfio_cdx_ops",
                    "test", bus -> new CdxDevice("cdx-nomsi", 0x10ee, 1,
                            List.of(PlatformResource.mmio("r", 0x1000, true)), 0, bus)));
            assertEquals(0, d.info().numIrqs());
            assertEquals(Errno.EINVAL, errno(() -> d.irq(0)));
        }
    }

    @Nested
    class RegionInfo {
        /**
         * Flags and sizes from the resources; the offsets are the driver's {@code index << 40}
         * before the cookie path, the core's after it (page aligned, disjoint).
         */
        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.cdx.VfioCdxTests#arches")
        void regionsWithTheirResourcesFlagsAndSize(Arch arch) {
            Dev d = cdx(arch);
            RegionInfoReply r0 = d.region(0);
            assertEquals(R | W | M, r0.info().flags());
            assertEquals(0x10000, r0.info().size());
            RegionInfoReply r1 = d.region(1);
            assertEquals(arch.pageSize() == 4096 ? R | M : R, r1.info().flags());
            assertEquals(0x1000, r1.info().size());
            assertEquals(0, r1.info().capOffset());
            long o0 = r0.info().offset();
            long o1 = r1.info().offset();
            if (cookiePath(d)) {
                assertEquals(0, o0 % arch.pageSize());
                assertEquals(0, o1 % arch.pageSize());
                assertTrue(o0 + 0x10000 <= o1 || o1 + 0x1000 <= o0, "the regions overlap");
            } else {
                assertEquals(0, o0);
                assertEquals(1L << 40, o1);
            }
        }

        @Test
        void indexPastTheResourcesIsEinval() {
            assertEquals(Errno.EINVAL, errno(() -> cdx(Arch.ARM64_4K).region(2)));
        }
    }

    /**
     * What each cookie tells about its region where {@code walk --maple} and the pgoff picture
     * print the file's tree ({@code VfioCdxMmap.describe}): the resource's physical start and
     * the flags REGION_INFO gives. Before the cookies the file has no tree.
     */
    @Test
    void theTreeDumpDescribesEachCookiesRegion() {
        Dev d = cdx(Arch.X86_64);
        if (!cookiePath(d)) {
            return;
        }
        ResourceDevice hw = (ResourceDevice) d.hw();
        Map<Integer, String> expected = new TreeMap<>();
        for (int i = 0; i < 2; i++) {
            expected.put(i, String.format("phys 0x%x, flags 0x%x", hw.resource(i).start(),
                    d.region(i).info().flags()));
        }
        assertEquals(expected, NonPci.cookieDescriptions(d, "VfioCdxMmap"));
    }

    @Nested
    class NoReadWrite {
        @Test
        void coreRefusesReadAndWrite() {
            Dev d = cdx(Arch.ARM64_4K);
            long bar0 = offset(d, 0);
            assertEquals(Errno.EINVAL, errno(() -> d.read(bar0, 4)));
            assertEquals(Errno.EINVAL, errno(() -> d.write(bar0, new byte[4])));
        }
    }

    @Nested
    class Mmap {
        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "ARM64_4K", "ARM64_64K"})
        void deviceProtectionEagerlyMapped(Arch arch) {
            Dev d = cdx(arch);
            CdxDevice hw = (CdxDevice) d.hw();
            Mapping m = d.mmapShared(0x10000, offset(d, 0));
            assertEquals(PgProt.DEVICE, m.pgprot());
            assertEquals(0x10000 / arch.pageSize(), m.pageTableEntries().get(PageTable.Level.PTE));
            assertEquals(hw.resource(0).start() >>> arch.pageShift(), d.pte(m.addr()).pfn());
            assertEquals(PgProt.DEVICE, d.pte(m.addr()).prot());
            m.store(8, 4, 0xfeedL);
            assertEquals(0xfeedL, hw.resourceMemory(0).read(8, 4));
        }

        @Test
        void privateMappingIsAccepted() {
            Dev d = cdx(Arch.ARM64_4K);
            CdxDevice hw = (CdxDevice) d.hw();
            Mapping m = d.mmap(0x1000, Mman.PROT_READ, Mman.MAP_PRIVATE, offset(d, 0) + 0x2000);
            assertEquals(PgProt.DEVICE, m.pgprot());
            assertEquals((hw.resource(0).start() >>> 12) + 2, d.pte(m.addr()).pfn());
            assertEquals((hw.resource(0).start() >>> 12) + 2, m.vma().vmPgoff());
        }

        /**
         * A region's offset is the same for every file of the device: upstream it is
         * {@code vfio_cdx_index_to_offset(index)}, and on the cookie path the default policy
         * (legacy layout, cookies made at open for the {@code nr_regions} the driver sets in
         * {@code vfio_cdx_open_device}) places each file's cookies alike. So a second file maps
         * the region at the offset the first was told, without asking REGION_INFO.
         */
        @Test
        void aSecondFileMapsWithoutAskingForTheOffset() {
            Dev d = cdx(Arch.ARM64_4K);
            CdxDevice hw = (CdxDevice) d.hw();
            long bar0 = offset(d, 0);
            Dev second = d.withFd(d.p().open(d.name()));
            Mapping m = second.mmapShared(0x1000, bar0 + 0x1000);
            assertEquals((hw.resource(0).start() >>> 12) + 1, second.pte(m.addr()).pfn());
        }

        @Test
        void offsetPastEveryResourceIsRefused() {
            Dev d = cdx(Arch.ARM64_4K);
            long past = pastTheRegions(d);
            assertEquals(outsideTheRegionErrno(d), errno(() -> d.mmapShared(0x1000, past)));
        }

        @Test
        void regionWithoutMmapIsEinval() {
            Dev d = cdx(Arch.ARM64_64K);
            long rom = offset(d, 1);
            assertEquals(Errno.EINVAL, errno(() -> d.mmap(0x10000, Mman.PROT_READ, Mman.MAP_SHARED, rom)));
        }

        @Test
        void writableMappingOfReadOnlyRegionIsEperm() {
            Dev d = cdx(Arch.ARM64_4K);
            long rom = offset(d, 1);
            assertEquals(Errno.EPERM, errno(() -> d.mmapShared(0x1000, rom)));
            assertEquals(PgProt.DEVICE, d.mmap(0x1000, Mman.PROT_READ, Mman.MAP_SHARED, rom).pgprot());
        }

        /**
         * The driver's order: MMAP flag, permissions, size. On the cookie path the core's own
         * check that the VMA lies in a region comes first, so a too-long mapping with the wrong
         * permissions is the core's -ENXIO, no longer the driver's -EPERM.
         */
        @Test
        void checksRunInTheKernelsOrder() {
            Dev d64k = cdx(Arch.ARM64_64K);
            long rom64k = offset(d64k, 1);
            assertEquals(Errno.EINVAL, errno(() -> d64k.mmapShared(0x10000, rom64k)),
                    "no MMAP flag is checked before the permissions");
            Dev d = cdx(Arch.ARM64_4K);
            long rom = offset(d, 1);
            assertEquals(cookiePath(d) ? Errno.ENXIO : Errno.EPERM, errno(() -> d.mmapShared(0x2000, rom)),
                    "permissions are checked before the size (the core's range check before both)");
            long past = pastTheRegions(d);
            assertEquals(outsideTheRegionErrno(d), errno(() -> d.mmapShared(0x1000, past)),
                    "the region before everything");
        }

        @Test
        void requestPastTheRegionIsRefused() {
            Dev d = cdx(Arch.ARM64_4K);
            long bar0 = offset(d, 0);
            long rom = offset(d, 1);
            assertEquals(outsideTheRegionErrno(d), errno(() -> d.mmapShared(0x11000, bar0)));
            assertEquals(outsideTheRegionErrno(d), errno(() -> d.mmap(0x2000, Mman.PROT_READ, Mman.MAP_SHARED,
                    rom)));
        }
    }

    @Nested
    class ResetAndBusMaster {
        @Test
        void openResetCloseResetTheFunction() {
            Dev d = cdx(Arch.ARM64_4K);
            CdxDevice hw = (CdxDevice) d.hw();
            assertEquals(1, hw.resetCount());
            assertEquals(0, d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_RESET, 0));
            assertEquals(2, hw.resetCount());
            d.p().close(d.fd());
            assertEquals(3, hw.resetCount());
        }

        @Test
        void setAndClearMaster() {
            Dev d = cdx(Arch.ARM64_4K);
            CdxDevice hw = (CdxDevice) d.hw();
            assertFalse(hw.busMasterEnabled());
            assertEquals(0, busMaster(d, VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET, 1, 4));
            assertTrue(hw.busMasterEnabled());
            assertEquals(0, busMaster(d, VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET, 0, 4));
            assertFalse(hw.busMasterEnabled());
        }

        @Test
        void probeAnswersZeroWithoutActing() {
            Dev d = cdx(Arch.ARM64_4K);
            assertEquals(0, busMaster(d, VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET
                    | VfioDeviceFeature.VFIO_DEVICE_FEATURE_PROBE, 1, 4));
            assertFalse(((CdxDevice) d.hw()).busMasterEnabled());
        }

        @Test
        void getUnknownOpAndShortPayloadAreEinval() {
            Dev d = cdx(Arch.ARM64_4K);
            assertEquals(Errno.EINVAL, errno(() -> busMaster(d, VfioDeviceFeature.VFIO_DEVICE_FEATURE_GET, 1, 4)));
            assertEquals(Errno.EINVAL, errno(() -> busMaster(d, VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET, 2, 4)));
            assertEquals(Errno.EINVAL, errno(() -> busMaster(d, VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET, 1, 2)));
            assertFalse(((CdxDevice) d.hw()).busMasterEnabled());
        }

        /**
         * vfio_check_feature: without PROBE one of GET or SET must be set, else -EINVAL (the
         * core passes such flags on; it only refuses GET with SET).
         */
        @Test
        void neitherGetNorSetIsEinval() {
            Dev d = cdx(Arch.ARM64_4K);
            assertEquals(Errno.EINVAL, errno(() -> busMaster(d, 0, 1, 4)));
            assertFalse(((CdxDevice) d.hw()).busMasterEnabled());
        }

        /** vfio_cdx_bm_ctrl reads {@code op} as a u32: a bit in any upper byte is another op. */
        @Test
        void everyByteOfTheOpCounts() {
            Dev d = cdx(Arch.ARM64_4K);
            assertEquals(0, busMaster(d, VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET, 1, 4));
            for (int op : new int[] {0x100, 0x1_0000, 0x100_0000}) {
                assertEquals(Errno.EINVAL, errno(() -> busMaster(d, VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET,
                        op, 4)), "op 0x" + Integer.toHexString(op));
                assertTrue(((CdxDevice) d.hw()).busMasterEnabled(), "not taken for CLEAR_MASTER");
            }
        }

        /**
         * The payload's copy_from_user faulting is -EFAULT and does nothing (the file's ioctl is
         * called directly: the syscall boundary cannot make a short buffer).
         */
        @Test
        void anUnreadablePayloadIsEfault() {
            Dev d = cdx(Arch.ARM64_4K);
            assertEquals(0, busMaster(d, VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET, 1, 4));
            byte[] head = new byte[8];
            new VfioDeviceFeature(12, VfioDeviceFeature.flags(VfioDeviceFeature.VFIO_DEVICE_FEATURE_BUS_MASTER,
                    VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET)).encodeInto(head, 0);
            assertEquals(-Errno.EFAULT, d.file().unlockedIoctl(VfioIoctl.VFIO_DEVICE_FEATURE,
                    UserBuffer.wrap(head)));
            assertTrue(((CdxDevice) d.hw()).busMasterEnabled());
        }

        @Test
        void otherFeaturesAreEnotty() {
            Dev d = cdx(Arch.ARM64_4K);
            byte[] b = new VfioDeviceFeature(16, VfioDeviceFeature.flags(VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_BUF,
                    VfioDeviceFeature.VFIO_DEVICE_FEATURE_GET)).encode();
            byte[] arg = new byte[16];
            System.arraycopy(b, 0, arg, 0, b.length);
            assertEquals(Errno.ENOTTY, errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_FEATURE, arg)));
        }
    }
}
