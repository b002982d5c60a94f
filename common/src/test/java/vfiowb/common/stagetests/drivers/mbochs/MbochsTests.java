package vfiowb.common.stagetests.drivers.mbochs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.stagetests.drivers.nonpci.NonPci.assertShortBarRegisterWritesAreKernelBugs;
import static vfiowb.common.stagetests.drivers.nonpci.NonPci.errno;
import static vfiowb.common.stagetests.drivers.nonpci.NonPci.kernelBug;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vfiowb.common.conformance.Limits;
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
import vfiowb.common.stagetests.drivers.nonpci.UserFaults;
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

/**
 * mbochs_dev_ops through the syscall boundary: EDID region, page faults. Offsets come from
 * REGION_INFO: the sample's packed layout in pages before stage 4, the core's cookies after.
 */
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
    private static final int CONFIG = 7;
    private static final int MEM = 0;
    private static final int MMIO = 2;
    private static final int EDID = 9;

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

    /** The file offset REGION_INFO gives region {@code index}. */
    private long offset(Dev d, int index) {
        return d.region(index, roomyArgsz()).info().offset();
    }

    /** Whether the file keeps a tree of cookies: the core resolves every offset. */
    private static boolean onCookiePath(Dev d) {
        return d.file().mmapCookieCount() >= 0;
    }

    private long edidReg(Dev d, String field) {
        return offset(d, EDID) + VfioRegionGfxEdid.LAYOUT.offsetOf(field);
    }

    /** The blob's file offset: {@code MBOCHS_EDID_BLOB_OFFSET}, half a page into the region. */
    private long edidBlob(Dev d) {
        return offset(d, EDID) + page(d) / 2;
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
        void fourRegionsWithBytes(Arch arch) {
            Dev d = mbochs(arch);
            long p = arch.pageSize();
            long[][] expect = {
                {CONFIG, R | W, 0xff},
                {MEM, R | W | M, MEMSIZE},
                {MMIO, R | W, p},
                {EDID, R | W | CAPS, p},
            };
            for (long[] e : expect) {
                RegionInfoReply r = d.region(e[0], roomyArgsz());
                assertEquals(e[1], r.info().flags(), "flags of " + e[0]);
                assertEquals(e[2], r.info().size(), "size of " + e[0]);
            }
            assertEquals(List.of(RegionCap.Type.of(VfioRegionType.VFIO_REGION_TYPE_GFX,
                    VfioRegionType.VFIO_REGION_SUBTYPE_GFX_EDID)), d.region(EDID, roomyArgsz()).caps());
            for (int i : new int[] {1, 3, 4, 5, 6, 8}) {
                RegionInfoReply r = d.region(i, roomyArgsz());
                assertEquals(0, r.info().flags());
                assertEquals(0, r.info().size());
            }
            assertEquals(Errno.EINVAL, errno(() -> d.region(10, roomyArgsz())));
        }

        /**
         * The sample packs its regions in pages: config space at 0, the MMIO BAR at one page, the
         * EDID region at two, video memory from three; empty regions report 0. On the cookie
         * path each region's offset is its own cookie's, and no two overlap.
         */
        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.mbochs.MbochsTests#arches")
        void offsetsArePackedInPagesOrEachRegionsOwn(Arch arch) {
            Dev d = mbochs(arch);
            long p = arch.pageSize();
            if (!onCookiePath(d)) {
                assertEquals(0, offset(d, CONFIG));
                assertEquals(p, offset(d, MMIO));
                assertEquals(2 * p, offset(d, EDID));
                assertEquals(3 * p, offset(d, MEM));
                for (int i : new int[] {1, 3, 4, 5, 6, 8}) {
                    assertEquals(0, offset(d, i));
                }
                return;
            }
            int[] regions = {CONFIG, MMIO, EDID, MEM};
            for (int a : regions) {
                for (int b : regions) {
                    long start = offset(d, a);
                    long end = start + arch.pageAlign(d.region(a, roomyArgsz()).info().size());
                    long other = offset(d, b);
                    assertTrue(a == b || other < start || other >= end,
                            "region " + b + " inside region " + a);
                }
            }
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
            long cfg = offset(d, CONFIG);
            assertEquals(0x1234, d.readLe(cfg, 2));
            assertEquals(0x1111, d.readLe(cfg + 2, 2));
            d.writeLe(cfg + 0x10, 4, 0xffffffffL);
            assertEquals(0xff000008L, d.readLe(cfg + 0x10, 4));
            d.writeLe(cfg + 0x18, 4, 0xffffffffL);
            assertEquals((-arch.pageSize()) & 0xffffffffL, d.readLe(cfg + 0x18, 4));
        }

        @Test
        void dispiRegistersByTwoByteAccess() {
            Dev d = mbochs(Arch.X86_64);
            long mmio = offset(d, MMIO);
            assertEquals(0xB0C5, d.readLe(mmio + 0x500, 2));
            assertEquals(MEMSIZE / 65536, d.readLe(mmio + 0x514, 2));
            d.writeLe(mmio + 0x502, 2, 1024);
            assertEquals(1024, d.readLe(mmio + 0x502, 2));
            assertEquals(0, d.readLe(mmio + 0x500, 4), "not a 2-byte read");
            d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_RESET, 0);
            assertEquals(0, d.readLe(mmio + 0x502, 2));
            assertEquals(0xB0C5, d.readLe(mmio + 0x500, 2));
        }

        /**
         * A region's offset is the same for every file of the device: the sample's fixed
         * offsets upstream, and on the cookie path the default policy (legacy layout, cookies
         * made at open for the {@code nr_regions} mbochs_probe sets) places each file's cookies
         * alike. So a second file reaches config space and the DISPI registers at the offsets
         * the first was told, without asking REGION_INFO.
         */
        @Test
        void aSecondFileReachesTheRegionsWithoutAskingForTheirOffsets() {
            Dev d = mbochs(Arch.X86_64);
            long cfg = offset(d, CONFIG);
            long mmio = offset(d, MMIO);
            Dev second = d.withFd(d.p().open(d.name()));
            assertEquals(0x1234, second.readLe(cfg, 2));
            assertEquals(0xB0C5, second.readLe(mmio + 0x500, 2));
        }

        @Test
        void outsideEveryRegionIsEfault() {
            Dev d = mbochs(Arch.X86_64);
            assertEquals(Errno.EFAULT, errno(() -> d.read(offset(d, CONFIG) + 0x100, 4)));
            assertEquals(Errno.EFAULT, errno(() -> d.read(offset(d, MEM) + MEMSIZE, 4)));
        }
    }

    @Nested
    class EdidRegion {
        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.mbochs.MbochsTests#arches")
        void registersBeforeAnyEdidIsWritten(Arch arch) {
            Dev d = mbochs(arch);
            VfioRegionGfxEdid e = VfioRegionGfxEdid.decode(d.read(offset(d, EDID), 24), 0);
            assertEquals(new VfioRegionGfxEdid(arch.pageSize() / 2, 0x400, 0, 1920, 1440, 0), e);
        }

        @Test
        void blobShowsThroughTheMmioBarOnlyWhileTheLinkIsUp() {
            Dev d = mbochs(Arch.X86_64);
            byte[] blob = ((MbochsDevice) d.hw()).edidBlob();
            long mmio = offset(d, MMIO);
            assertEquals(128, d.write(edidBlob(d), blob));
            d.writeLe(edidReg(d, "edid_size"), 4, 128);
            assertArrayEquals(new byte[16], d.read(mmio, 16), "link not up yet");
            d.writeLe(edidReg(d, "link_state"), 4, VfioRegionGfxEdid.VFIO_DEVICE_GFX_LINK_STATE_UP);
            assertArrayEquals(java.util.Arrays.copyOf(blob, 16), d.read(mmio, 16));
            assertArrayEquals(new byte[4], d.read(mmio + 128, 4), "past edid_size");
            assertArrayEquals(blob, d.read(edidBlob(d), 128));
        }

        @Test
        void badAccessesAreIgnoredNotRefused() {
            Dev d = mbochs(Arch.X86_64);
            assertEquals(4, d.writeLe(edidReg(d, "max_xres"), 4, 640));
            assertEquals(1920, d.readLe(edidReg(d, "max_xres"), 4));
            assertEquals(4, d.writeLe(edidReg(d, "edid_size"), 4, 0x10000));
            assertEquals(0x10000, d.readLe(edidReg(d, "edid_size"), 4), "stored unchecked");
            assertArrayEquals(new byte[2], d.read(edidReg(d, "max_xres"), 2), "2-byte access ignored");
            long blobEnd = edidBlob(d) + 0x400;
            assertEquals(4, d.writeLe(blobEnd, 4, 0x77777777L));
            assertEquals(0, d.readLe(blobEnd, 4));
        }
    }

    @Nested
    class VideoMemoryAccess {
        /**
         * The sample's mdev_access subtracts MBOCHS_MMIO_BAR_OFFSET from a video-memory offset
         * where it means MBOCHS_MEMORY_BAR_OFFSET, so the file reaches two pages further than
         * asked. On the cookie path the offset inside the object is the offset into video memory.
         */
        @Test
        void fileOffsetReachesItsOwnPageOnlyOnTheCookiePath() {
            Dev d = mbochs(Arch.X86_64);
            MbochsDevice hw = (MbochsDevice) d.hw();
            long mem = offset(d, MEM);
            long reached = onCookiePath(d) ? 0x10 : 2 * page(d) + 0x10;
            long untouched = onCookiePath(d) ? 2 * page(d) + 0x10 : 0x10;
            d.writeLe(mem + 0x10, 4, 0xdeadbeefL);
            assertEquals(0xdeadbeefL, hw.memory().read(reached, 4));
            assertEquals(0, hw.memory().read(untouched, 4));
            assertEquals(0xdeadbeefL, d.readLe(mem + 0x10, 4));
        }

        /**
         * Two pages further, the sample's last two pages index {@code pages[]} past
         * {@code pagecount}: the kernel reads and writes past the array. On the cookie path the
         * last page is just the last page.
         */
        @Test
        void lastTwoPagesIndexPastThePageArrayUntilTheCookiePath() {
            Dev d = mbochs(Arch.X86_64);
            long lastPage = offset(d, MEM) + MEMSIZE - page(d);
            if (!onCookiePath(d)) {
                KernelBug b = kernelBug(() -> d.read(lastPage, 4));
                assertEquals("samples/vfio-mdev/mbochs.c:__mbochs_get_page", b.function());
                assertEquals(KernelBug.Kind.OUT_OF_BOUNDS, b.kind());
                assertTrue(b.reason().startsWith("pages[" + (MEMSIZE / page(d) + 1) + "] "), b.reason());
                kernelBug(() -> d.write(lastPage - page(d), new byte[4]));
                assertEquals(4, d.read(lastPage - 2 * page(d), 4).length);
                assertEquals(2, d.p().kernelBugs().size());
                return;
            }
            MbochsDevice hw = (MbochsDevice) d.hw();
            assertEquals(4, d.writeLe(lastPage + page(d) - 4, 4, 0x600df00dL));
            assertEquals(0x600df00dL, hw.memory().read(MEMSIZE - 4, 4));
            assertEquals(0x600df00dL, d.readLe(lastPage + page(d) - 4, 4));
            assertEquals(4, d.read(lastPage - page(d), 4).length);
            assertEquals(2, d.stateLong("pages_allocated"));
            assertTrue(d.p().kernelBugs().isEmpty());
        }

        @Test
        void closeReleasesThePages() {
            Dev d = mbochs(Arch.X86_64);
            KernelFile file = d.file();
            long mem = offset(d, MEM);
            d.writeLe(mem, 4, 0x1234);
            assertEquals(1, stage.driverLong(file, "pages_allocated"));
            d.p().close(d.fd());
            assertEquals(0, stage.driverLong(file, "pages_allocated"));
            Dev again = d.withFd(d.p().open(d.name()));
            assertEquals(0, again.readLe(offset(again, MEM), 4));
        }
    }

    @Nested
    class Mmap {
        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.mbochs.MbochsTests#arches")
        void pagesAreMappedOneFaultAtATime(Arch arch) {
            Dev d = mbochs(arch);
            MbochsDevice hw = (MbochsDevice) d.hw();
            long mem = offset(d, MEM);
            Mapping m = d.mmapShared(MEMSIZE, mem);
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
            long fileAt = onCookiePath(d) ? 5 * arch.pageSize() : 3 * arch.pageSize();
            assertEquals(0x0badcafeL, d.readLe(mem + fileAt + 8, 4),
                    "the file reaches page 5 (at memory offset 3 pages before the cookie path)");
        }

        /**
         * Only video memory maps: config space, the MMIO BAR and the EDID region are -EINVAL
         * (an arch-limit errno where the offset is past a 32-bit mmap's reach). The sample maps
         * video memory only from its first page; on the cookie path from any page.
         */
        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.mbochs.MbochsTests#arches")
        void onlyVideoMemoryMaps(Arch arch) {
            Dev d = mbochs(arch);
            long p = arch.pageSize();
            for (int i : new int[] {CONFIG, MMIO, EDID}) {
                long off = offset(d, i);
                int refused = errno(() -> d.mmapShared(p, off));
                assertTrue(Limits.mmapFits(arch, off, p) ? refused == Errno.EINVAL
                        : Limits.isArchLimitErrno(arch, off, refused), "region " + i + ": "
                        + Errno.name(refused));
            }
            long mem = offset(d, MEM);
            if (!onCookiePath(d)) {
                assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(p, mem + p)));
                return;
            }
            Mapping m = d.mmapShared(p, mem + 4 * p);
            m.store(0, 4, 0x44);
            assertEquals(0x44, ((MbochsDevice) d.hw()).memory().read(4 * p, 4));
        }

        /**
         * Unmapping a VMA's first page moves its start: the sample's fault handler counts pages
         * from {@code vm_start} and then maps page 0 where page 1 belongs; on the cookie path the
         * VMA's offset inside the cookie keeps it right.
         */
        @Test
        void aSplitMappingKeepsItsPagesOnTheCookiePath() {
            Dev d = mbochs(Arch.X86_64);
            MbochsDevice hw = (MbochsDevice) d.hw();
            long p = page(d);
            Mapping m = d.mmapShared(4 * p, offset(d, MEM));
            d.p().munmap(m.addr(), p);
            m.store(p + 8, 4, 0x5157L);
            assertEquals(0x5157L, hw.memory().read((onCookiePath(d) ? p : 0) + 8, 4));
        }

        /** The sample's own length check (-EINVAL); on the cookie path the core's (-ENXIO). */
        @Test
        void longerThanVideoMemoryIsRefused() {
            Dev d = mbochs(Arch.X86_64);
            assertEquals(onCookiePath(d) ? Errno.ENXIO : Errno.EINVAL,
                    errno(() -> d.mmapShared(MEMSIZE + 0x1000, offset(d, MEM))));
        }

        @Test
        void privateMappingIsEinval() {
            Dev d = mbochs(Arch.X86_64);
            assertEquals(Errno.EINVAL, errno(() -> d.mmap(0x1000, Mman.PROT_READ, Mman.MAP_PRIVATE,
                    offset(d, MEM))));
            assertTrue(d.p().mappings().isEmpty(), "nothing left mapped");
        }
    }

    /**
     * mbochs' handlers at their edges: the config-space switch, the MMIO BAR's EDID mirror and
     * DISPI window, the EDID region's register and blob bounds, mdev_access's region ends, the
     * pieces of mbochs_read/mbochs_write, and the clients that pass a short buffer or a
     * REGION_INFO head full of junk.
     */
    @Nested
    class Edges {
        /**
         * handle_pci_cfg_write switches on BAR0 and BAR2 only; a BAR0 value other than all-ones
         * keeps its address bits (PCI_BASE_ADDRESS_MEM_MASK) and the type bits.
         */
        @Test
        void onlyBar0AndBar2AreWritable() {
            Dev d = mbochs(Arch.X86_64);
            long cfg = offset(d, CONFIG);
            for (int reg : new int[] {0x04, 0x14, 0x1c, 0x30}) {
                long before = d.readLe(cfg + reg, 4);
                d.writeLe(cfg + reg, 4, 0xffffffffL);
                assertEquals(before, d.readLe(cfg + reg, 4), "register 0x" + Integer.toHexString(reg));
            }
            d.writeLe(cfg + 0x10, 4, 0xe0000123L);
            assertEquals(0xe0000128L, d.readLe(cfg + 0x10, 4), "0x123: the low nibble is the type");
        }

        /** handle_mmio_write: the DISPI window starts at 0x500, the ID register included. */
        @Test
        void theIdRegisterIsWritable() {
            Dev d = mbochs(Arch.X86_64);
            long mmio = offset(d, MMIO);
            d.writeLe(mmio + 0x500, 2, 0xB0C4);
            assertEquals(0xB0C4, d.readLe(mmio + 0x500, 2));
        }

        /**
         * handle_mmio_read: 0x000 to 0x3ff mirror the blob below edid_size while the link is up,
         * zeros from edid_size on.
         */
        @Test
        void theMirrorEndsAtEdidSizeAndAt0x3ff() {
            Dev d = mbochs(Arch.X86_64);
            long mmio = offset(d, MMIO);
            byte[] blob = new byte[0x400];
            for (int i = 0; i < blob.length; i++) {
                blob[i] = (byte) (i * 7 + 1);
            }
            assertEquals(0x400, d.write(edidBlob(d), blob));
            d.writeLe(edidReg(d, "link_state"), 4, VfioRegionGfxEdid.VFIO_DEVICE_GFX_LINK_STATE_UP);
            d.writeLe(edidReg(d, "edid_size"), 4, 0x200);
            assertArrayEquals(java.util.Arrays.copyOfRange(blob, 0x1fc, 0x200), d.read(mmio + 0x1fc, 4));
            assertArrayEquals(new byte[4], d.read(mmio + 0x200, 4), "from edid_size on");
            d.writeLe(edidReg(d, "edid_size"), 4, 0x400);
            assertEquals(blob[0x3ff], d.read(mmio + 0x3ff, 1)[0]);
            assertArrayEquals(new byte[4], d.read(mmio + 0x400, 4), "past the EDID block");
        }

        /**
         * handle_edid_regs ignores (and mdev_access still counts) an access past the 24 bytes of
         * struct vfio_region_gfx_edid; handle_edid_blob takes the blob's last word.
         */
        @Test
        void edidRegionEdges() {
            Dev d = mbochs(Arch.X86_64);
            long regs = offset(d, EDID);
            assertEquals(4, d.read(regs + 24, 4).length);
            assertEquals(4, d.writeLe(regs + 24, 4, 1));
            assertEquals(4, d.writeLe(edidBlob(d) + 0x3fc, 4, 0x11223344L));
            assertEquals(0x11223344L, d.readLe(edidBlob(d) + 0x3fc, 4));
            assertEquals(4, d.read(regs + page(d) - 4, 4).length, "the region's last word");
        }

        /**
         * mdev_access: config space is {@code pos < 0xff}; the MMIO BAR reaches its last byte.
         * Before the cookie path the memory BAR's last word runs into the sample's
         * out-of-bounds page index (a kernel bug, not a refusal) and one past it is a plain
         * -EFAULT that touches no page.
         */
        @Test
        void regionEnds() {
            Dev d = mbochs(Arch.X86_64);
            long cfg = offset(d, CONFIG);
            long mmio = offset(d, MMIO);
            long mem = offset(d, MEM);
            assertEquals(1, d.read(cfg + 0xfe, 1).length);
            assertEquals(4, d.read(mmio + page(d) - 4, 4).length);
            if (onCookiePath(d)) {
                assertEquals(4, d.read(mem + MEMSIZE - 4, 4).length);
                return;
            }
            assertEquals(Errno.EFAULT, errno(() -> d.read(cfg + 0xff, 1)));
            assertEquals(Errno.EFAULT, errno(() -> d.read(mem + MEMSIZE, 4)));
            assertTrue(d.p().kernelBugs().isEmpty(), "refused before any page is looked up");
            assertEquals("samples/vfio-mdev/mbochs.c:__mbochs_get_page",
                    kernelBug(() -> d.read(mem + MEMSIZE - 4, 4)).function());
        }

        /**
         * A call that runs past its region's end. On the cookie path the core resolves the
         * cookie once, at the call's first byte, and {@code mbochs_read_obj}/
         * {@code mbochs_write_obj} hand {@code mdev_access} each piece's offset inside that
         * region: the piece past the MMIO BAR, the EDID region or video memory is -1 and the
         * call -EFAULT, with no page looked up past video memory. Before the cookies the sample
         * decodes every piece's own file offset, so the MMIO BAR's last bytes run on into the
         * EDID registers (the next page), which ignore a 2-byte access.
         */
        @Test
        void aCallRunningPastItsRegionsEnd() {
            Dev d = mbochs(Arch.X86_64);
            long p = page(d);
            long mmioEnd = offset(d, MMIO) + p;
            if (!onCookiePath(d)) {
                assertEquals(4, d.writeLe(mmioEnd - 2, 4, 0x11223344L));
                assertEquals(4, d.read(mmioEnd - 2, 4).length);
                return;
            }
            assertEquals(Errno.EFAULT, errno(() -> d.read(mmioEnd - 2, 4)), "MMIO BAR");
            assertEquals(Errno.EFAULT, errno(() -> d.write(mmioEnd - 2, new byte[4])), "MMIO BAR");
            long edidEnd = offset(d, EDID) + p;
            assertEquals(Errno.EFAULT, errno(() -> d.read(edidEnd - 2, 4)), "EDID region");
            assertEquals(Errno.EFAULT, errno(() -> d.write(edidEnd - 2, new byte[4])), "EDID region");
            long memEnd = offset(d, MEM) + MEMSIZE;
            assertEquals(Errno.EFAULT, errno(() -> d.read(memEnd - 2, 4)), "video memory");
            assertEquals(Errno.EFAULT, errno(() -> d.write(memEnd - 2, new byte[4])), "video memory");
            assertTrue(d.p().kernelBugs().isEmpty(), "refused before any page past pagecount");
            assertEquals(2, d.read(memEnd - 2, 2).length, "the region's last bytes on their own");
        }

        /** mbochs_write: a piece mdev_access refuses makes the write -EFAULT. */
        @Test
        void aWriteOutsideEveryRegionIsEfault() {
            Dev d = mbochs(Arch.X86_64);
            assertEquals(Errno.EFAULT, errno(() -> d.write(offset(d, CONFIG) + 0x100, new byte[4])));
        }

        /** mbochs_read: single bytes are u8 pieces. */
        @Test
        void singleBytes() {
            Dev d = mbochs(Arch.X86_64);
            long cfg = offset(d, CONFIG);
            assertEquals(0x34, d.read(cfg, 1)[0]);
            assertEquals(0x111234L, d.readLe(cfg, 3));
        }

        /**
         * mbochs_read/mbochs_write: a copy that faults makes the call -EFAULT, and a faulted
         * write's piece never reaches the device.
         */
        @Test
        void aFaultingUserBufferIsEfault() {
            Dev d = mbochs(Arch.X86_64);
            long mmio = offset(d, MMIO);
            assertEquals(-Errno.EFAULT, UserFaults.readInto(d, 2, 4, mmio + 0x500));
            assertEquals(-Errno.EFAULT, UserFaults.readInto(d, 2, 4, mmio + 0x500 - 2));
            assertEquals(-Errno.EFAULT, UserFaults.writeFrom(d, 0, 2, mmio + 0x502));
            assertEquals(0, d.readLe(mmio + 0x502, 2));
        }

        /** mbochs_ioctl copies the GET_INFO and GET_IRQ_INFO heads in: a short buffer is -EFAULT. */
        @Test
        void shortIoctlBuffersAreEfault() {
            Dev d = mbochs(Arch.X86_64);
            UserFaults.assertShortInfoHeadsEfault(d);
        }

        /**
         * mbochs_ioctl_get_region_info sets size, offset and flags on every branch, whatever the
         * request held.
         */
        @Test
        void regionInfoOverwritesAJunkRequest() {
            Dev d = mbochs(Arch.X86_64);
            UserFaults.assertRegionInfoOverwritesJunk(d, roomyArgsz(), MEM, 1, MMIO, CONFIG, 8);
        }

        /**
         * mbochs_get_device_info and mbochs_get_irq_info: the head is read, then the copy_to_user of the
         * answer into read-only user memory faults: -EFAULT.
         */
        @Test
        void answersIntoReadOnlyMemoryAreEfault() {
            Dev d = mbochs(Arch.X86_64);
            d.info();
            UserFaults.assertInfoIntoReadOnlyMemoryEfault(d);
        }

        /**
         * mbochs_write passes a u16 or u8 piece on its stack, and handle_pci_cfg_write loads a u32
         * from it at a BAR register (KASAN stack-out-of-bounds); the process goes on.
         */
        @Test
        void aShortBarRegisterWriteIsAKernelBug() {
            Dev d = mbochs(Arch.X86_64);
            long config = offset(d, CONFIG);
            assertShortBarRegisterWritesAreKernelBugs(d, config + 0x10, 0xe000,
                    "samples/vfio-mdev/mbochs.c:handle_pci_cfg_write");
            assertEquals(4, d.writeLe(config + 0x10, 4, 0xe000), "a whole dword is fine");
            assertEquals(2, d.writeLe(config + 0x04, 2, 0x0002), "no load outside the BARs");
        }
    }
}
