package vfiowb.common.stagetests.drivers.mbochs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.stagetests.drivers.nonpci.NonPci.errno;
import static vfiowb.common.stagetests.drivers.nonpci.NonPci.kernelBug;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.hw.MbochsDevice;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.mm.PageTable;
import vfiowb.common.mm.PgProt;
import vfiowb.common.mm.VmFlag;
import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.stagetests.drivers.nonpci.NonPci.Dev;
import vfiowb.common.stagetests.drivers.nonpci.NonPci;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionGfxEdid;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionType;
import vfiowb.common.userspace.KernelFile;
import vfiowb.common.userspace.Mapping;

/** mbochs_dev_ops through the syscall boundary: packed layout, EDID region, page faults. */
public abstract class MbochsTests {
    /** How the stage's mbochs answers REGION_INFO. */
    public enum RegionInfoCopy {
        /**
         * Before "vfio/mbochs: Convert mbochs to use vfio_info_add_capability()": the sample
         * copies back {@code argsz} bytes of its own 48-byte {@code vfio_region_info_ext} and
         * refuses a larger argsz; a 32-byte caller of the EDID region gets cap_offset 32.
         */
        SAMPLE_EXT_48,
        /** The core's copy-out: any argsz from 32, the "too small" answer with cap_offset 0. */
        CORE
    }

    private static final int R = VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
    private static final int W = VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;
    private static final int M = VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;
    private static final int CAPS = VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS;
    private static final long MEMSIZE = 16L << 20;

    private final StageAdapter stage;
    private final RegionInfoCopy regionInfoCopy;

    /**
     * @param stage the stage under test
     * @param regionInfoCopy how the stage's mbochs answers REGION_INFO
     */
    protected MbochsTests(StageAdapter stage, RegionInfoCopy regionInfoCopy) {
        this.stage = stage;
        this.regionInfoCopy = regionInfoCopy;
    }

    static List<Arch> arches() {
        return NonPci.arches();
    }

    /** The largest argsz the stage's mbochs answers REGION_INFO with. */
    private int roomyArgsz() {
        return regionInfoCopy == RegionInfoCopy.SAMPLE_EXT_48 ? 48 : 256;
    }

    protected Dev mbochs(Arch arch) {
        return NonPci.open(stage, arch, "mbochs");
    }

    private static long page(Dev d) {
        return d.arch().pageSize();
    }

    private static long edidReg(Dev d, String field) {
        return 2 * page(d) + VfioRegionGfxEdid.LAYOUT.offsetOf(field);
    }

    @Nested
    class OpsTable {
        @Test
        void theCatalogueDeviceRunsOnThisTable() {
            assertEquals(null, stage.opsTables().get("mbochs_dev_ops").name());
            assertEquals("mbochs_dev_ops", stage.opsTableOf(mbochs(Arch.X86_64).file()));
        }
    }

    @Nested
    class Ioctls {
        @Test
        void getInfoCountsTheEdidRegion() {
            VfioDeviceInfo info = mbochs(Arch.X86_64).info();
            assertEquals(VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI, info.flags());
            assertEquals(10, info.numRegions());
            assertEquals(5, info.numIrqs());
        }

        @Test
        void irqInfoIsCountZeroWithTheCallersFlags() {
            Dev d = mbochs(Arch.X86_64);
            byte[] b = new VfioIrqInfo(16, 0x3, 4, 9).encode();
            d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO, b);
            assertEquals(new VfioIrqInfo(16, 0x3, 4, 0), VfioIrqInfo.decode(b, 0));
            assertEquals(Errno.EINVAL, errno(() -> d.irq(5)));
        }

        @Test
        void setIrqsIsEinval() {
            Dev d = mbochs(Arch.X86_64);
            assertEquals(Errno.EINVAL, errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_SET_IRQS, new byte[20])));
            assertEquals(Errno.ENOTTY, errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_QUERY_GFX_PLANE,
                    new byte[72])));
        }
    }

    @Nested
    class RegionInfo {
        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.mbochs.MbochsTests#arches")
        void packedLayoutInPages(Arch arch) {
            Dev d = mbochs(arch);
            long p = arch.pageSize();
            long[][] expect = {
                {7, R | W, 0xff, 0},
                {0, R | W | M, MEMSIZE, 3 * p},
                {2, R | W, p, p},
                {9, R | W | CAPS, p, 2 * p},
            };
            for (long[] e : expect) {
                RegionInfoReply r = d.region(e[0], roomyArgsz());
                assertEquals(e[1], r.info().flags(), "flags of " + e[0]);
                assertEquals(e[2], r.info().size(), "size of " + e[0]);
                assertEquals(e[3], r.info().offset(), "offset of " + e[0]);
            }
            assertEquals(List.of(RegionCap.Type.of(VfioRegionType.VFIO_REGION_TYPE_GFX,
                    VfioRegionType.VFIO_REGION_SUBTYPE_GFX_EDID)), d.region(9, roomyArgsz()).caps());
            for (int i : new int[] {1, 3, 4, 5, 6, 8}) {
                RegionInfoReply r = d.region(i, roomyArgsz());
                assertEquals(0, r.info().flags());
                assertEquals(0, r.info().size());
                assertEquals(0, r.info().offset());
            }
            assertEquals(Errno.EINVAL, errno(() -> d.region(10, roomyArgsz())));
        }

        /**
         * A 32-byte caller of the EDID region learns it needs 48 bytes: from the core as the
         * "too small" answer (cap_offset 0), from the pre-series sample with cap_offset 32 (its
         * stage's own tests say more).
         */
        @Test
        void edidCapabilityNeedsALargerBuffer() {
            Dev d = mbochs(Arch.X86_64);
            byte[] b = VfioRegionInfo.request(9, 32);
            d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, b);
            VfioRegionInfo head = VfioRegionInfo.decode(b, 0);
            assertEquals(R | W | CAPS, head.flags());
            assertEquals(regionInfoCopy == RegionInfoCopy.CORE ? 0 : 32, head.capOffset());
            assertEquals(48, head.argsz());
        }
    }

    @Nested
    class ConfigAndMmio {
        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.mbochs.MbochsTests#arches")
        void barSizing(Arch arch) {
            Dev d = mbochs(arch);
            assertEquals(0x1234, d.readLe(0, 2));
            assertEquals(0x1111, d.readLe(2, 2));
            d.writeLe(0x10, 4, 0xffffffffL);
            assertEquals(0xff000008L, d.readLe(0x10, 4));
            d.writeLe(0x18, 4, 0xffffffffL);
            assertEquals((-arch.pageSize()) & 0xffffffffL, d.readLe(0x18, 4));
        }

        @Test
        void dispiRegistersByTwoByteAccess() {
            Dev d = mbochs(Arch.X86_64);
            long mmio = page(d);
            assertEquals(0xB0C5, d.readLe(mmio + 0x500, 2));
            assertEquals(MEMSIZE / 65536, d.readLe(mmio + 0x514, 2));
            d.writeLe(mmio + 0x502, 2, 1024);
            assertEquals(1024, d.readLe(mmio + 0x502, 2));
            assertEquals(0, d.readLe(mmio + 0x500, 4), "not a 2-byte read");
            d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_RESET, 0);
            assertEquals(0, d.readLe(mmio + 0x502, 2));
            assertEquals(0xB0C5, d.readLe(mmio + 0x500, 2));
        }

        @Test
        void outsideEveryRegionIsEfault() {
            Dev d = mbochs(Arch.X86_64);
            assertEquals(Errno.EFAULT, errno(() -> d.read(0x100, 4)));
            assertEquals(Errno.EFAULT, errno(() -> d.read(3 * page(d) + MEMSIZE, 4)));
        }
    }

    @Nested
    class EdidRegion {
        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.mbochs.MbochsTests#arches")
        void registersBeforeAnyEdidIsWritten(Arch arch) {
            Dev d = mbochs(arch);
            VfioRegionGfxEdid e = VfioRegionGfxEdid.decode(d.read(2 * arch.pageSize(), 24), 0);
            assertEquals(new VfioRegionGfxEdid(arch.pageSize() / 2, 0x400, 0, 1920, 1440, 0), e);
        }

        @Test
        void blobShowsThroughTheMmioBarOnlyWhileTheLinkIsUp() {
            Dev d = mbochs(Arch.X86_64);
            byte[] blob = ((MbochsDevice) d.hw()).edidBlob();
            assertEquals(128, d.write(2 * page(d) + page(d) / 2, blob));
            d.writeLe(edidReg(d, "edid_size"), 4, 128);
            assertArrayEquals(new byte[16], d.read(page(d), 16), "link not up yet");
            d.writeLe(edidReg(d, "link_state"), 4, VfioRegionGfxEdid.VFIO_DEVICE_GFX_LINK_STATE_UP);
            assertArrayEquals(java.util.Arrays.copyOf(blob, 16), d.read(page(d), 16));
            assertArrayEquals(new byte[4], d.read(page(d) + 128, 4), "past edid_size");
            assertArrayEquals(blob, d.read(2 * page(d) + page(d) / 2, 128));
        }

        @Test
        void badAccessesAreIgnoredNotRefused() {
            Dev d = mbochs(Arch.X86_64);
            assertEquals(4, d.writeLe(edidReg(d, "max_xres"), 4, 640));
            assertEquals(1920, d.readLe(edidReg(d, "max_xres"), 4));
            assertEquals(4, d.writeLe(edidReg(d, "edid_size"), 4, 0x10000));
            assertEquals(0x10000, d.readLe(edidReg(d, "edid_size"), 4), "stored unchecked");
            assertArrayEquals(new byte[2], d.read(edidReg(d, "max_xres"), 2), "2-byte access ignored");
            long blobEnd = 2 * page(d) + page(d) / 2 + 0x400;
            assertEquals(4, d.writeLe(blobEnd, 4, 0x77777777L));
            assertEquals(0, d.readLe(blobEnd, 4));
        }
    }

    @Nested
    class VideoMemoryAccess {
        @Test
        void fileOffsetReachesTwoPagesFurther() {
            Dev d = mbochs(Arch.X86_64);
            MbochsDevice hw = (MbochsDevice) d.hw();
            long mem = 3 * page(d);
            d.writeLe(mem + 0x10, 4, 0xdeadbeefL);
            assertEquals(0xdeadbeefL, hw.memory().read(2 * page(d) + 0x10, 4));
            assertEquals(0, hw.memory().read(0x10, 4));
            assertEquals(0xdeadbeefL, d.readLe(mem + 0x10, 4));
        }

        @Test
        void lastTwoPagesIndexPastThePageArray() {
            Dev d = mbochs(Arch.X86_64);
            long lastPage = 3 * page(d) + MEMSIZE - page(d);
            KernelBug b = kernelBug(() -> d.read(lastPage, 4));
            assertEquals("samples/vfio-mdev/mbochs.c:__mbochs_get_page", b.function());
            assertEquals(KernelBug.Kind.OUT_OF_BOUNDS, b.kind());
            assertTrue(b.reason().startsWith("pages[" + (MEMSIZE / page(d) + 1) + "] "), b.reason());
            kernelBug(() -> d.write(lastPage - page(d), new byte[4]));
            assertEquals(4, d.read(lastPage - 2 * page(d), 4).length);
            assertEquals(2, d.p().kernelBugs().size());
        }

        @Test
        void closeReleasesThePages() {
            Dev d = mbochs(Arch.X86_64);
            KernelFile file = d.file();
            d.writeLe(3 * page(d), 4, 0x1234);
            assertEquals(1, stage.driverLong(file, "pages_allocated"));
            d.p().close(d.fd());
            assertEquals(0, stage.driverLong(file, "pages_allocated"));
            Dev again = d.withFd(d.p().open(d.name()));
            assertEquals(0, again.readLe(3 * page(d), 4));
        }
    }

    @Nested
    class Mmap {
        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.mbochs.MbochsTests#arches")
        void pagesAreMappedOneFaultAtATime(Arch arch) {
            Dev d = mbochs(arch);
            MbochsDevice hw = (MbochsDevice) d.hw();
            Mapping m = d.mmapShared(MEMSIZE, 3 * arch.pageSize());
            assertEquals(PgProt.WB, m.pgprot());
            assertEquals(0L, m.pageTableEntries().get(PageTable.Level.PTE), "nothing at mmap time");
            assertFalse(m.vma().hasFlag(VmFlag.VM_PFNMAP));
            assertEquals(0, d.stateLong("pages_allocated"));

            m.store(5 * arch.pageSize() + 8, 4, 0x0badcafeL);
            PageTable.Entry e = d.pte(m.addr() + 5 * arch.pageSize());
            assertEquals((hw.memoryStart() >>> arch.pageShift()) + 5, e.pfn());
            assertFalse(e.special(), "a struct page");
            assertEquals(1L, m.pageTableEntries().get(PageTable.Level.PTE));
            assertEquals(1, d.stateLong("pages_allocated"));
            assertEquals(0x0badcafeL, hw.memory().read(5 * arch.pageSize() + 8, 4));
            assertEquals(0x0badcafeL, d.readLe(3 * arch.pageSize() + 3 * arch.pageSize() + 8, 4),
                    "the file reaches page 5 at memory offset 3 pages");
        }

        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.mbochs.MbochsTests#arches")
        void onlyAtExactlyThreePages(Arch arch) {
            Dev d = mbochs(arch);
            long p = arch.pageSize();
            for (long off : new long[] {0, p, 2 * p, 4 * p}) {
                assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(p, off)), "offset " + off);
            }
        }

        @Test
        void longerThanVideoMemoryIsEinval() {
            Dev d = mbochs(Arch.X86_64);
            assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(MEMSIZE + 0x1000, 0x3000)));
        }

        @Test
        void privateMappingIsEinval() {
            Dev d = mbochs(Arch.X86_64);
            assertEquals(Errno.EINVAL, errno(() -> d.mmap(0x1000, Mman.PROT_READ, Mman.MAP_PRIVATE, 0x3000)));
            assertTrue(d.p().mappings().isEmpty(), "nothing left mapped");
        }
    }
}
