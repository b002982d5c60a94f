package vfiowb.common.stagetests.drivers.mdpy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.stagetests.drivers.nonpci.NonPci.assertShortBarRegisterWritesAreKernelBugs;
import static vfiowb.common.stagetests.drivers.nonpci.NonPci.errno;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vfiowb.common.conformance.Limits;
import vfiowb.common.errno.Errno;
import vfiowb.common.hw.MdpyDevice;
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
import vfiowb.common.userspace.Mapping;

/**
 * mdpy_dev_ops through the syscall boundary: the sample display, region 16 aliasing BAR0.
 * Offsets come from REGION_INFO: the sample's packed layout before stage 4 (config space at 0,
 * BAR0 and region 16 both at {@code PAGE_SIZE}), the core's cookies after, where region 16 is a
 * second cookie onto BAR0's memory.
 */
public abstract class MdpyTests {
    private static final int R = VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
    private static final int W = VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;
    private static final int M = VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;
    private static final long MEMSIZE = 4L << 20;
    private static final int CONFIG = 7;
    private static final int DISPLAY = 16;

    private final StageAdapter stage;

    protected MdpyTests(StageAdapter stage) {
        this.stage = stage;
    }

    static List<Arch> arches() {
        return NonPci.arches();
    }

    private Dev mdpy(Arch arch) {
        return NonPci.open(stage, arch, "mdpy");
    }

    /** The file offset REGION_INFO gives region {@code index}. */
    private static long offset(Dev d, int index) {
        return d.region(index).info().offset();
    }

    /** Whether the file keeps a tree of cookies: the core resolves every offset. */
    private static boolean onCookiePath(Dev d) {
        return d.file().mmapCookieCount() >= 0;
    }

    /**
     * Whether region 16 has an offset: on the cookie path under the legacy layout a 32-bit
     * kernel has no key for slot {@code 16 << 40} nor for anything above the 17 fixed slots,
     * so its REGION_INFO is -EOVERFLOW there.
     */
    private static boolean displayRegionPlaced(Dev d) {
        return !(onCookiePath(d) && d.arch().is32Bit());
    }

    @Nested
    class OpsTable {
        @Test
        void theCatalogueDeviceRunsOnThisTable() {
            assertEquals(null, stage.opsTables().get("mdpy_dev_ops").name());
            assertEquals("mdpy_dev_ops", stage.opsTableOf(mdpy(Arch.X86_64).file()));
        }
    }

    @Nested
    class Ioctls {
        @Test
        void getInfoCountsNineRegions() {
            VfioDeviceInfo info = mdpy(Arch.X86_64).info();
            assertEquals(VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI, info.flags());
            assertEquals(9, info.numRegions());
            assertEquals(5, info.numIrqs());
        }

        @Test
        void irqInfoAfterGetInfoEchoesFlagsWithCountZero() {
            Dev d = mdpy(Arch.X86_64);
            byte[] b = new VfioIrqInfo(16, 0x5, 0, 7).encode();
            assertEquals(Errno.EINVAL, errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO, b)));
            d.info();
            d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO, b);
            VfioIrqInfo irq = VfioIrqInfo.decode(b, 0);
            assertEquals(0x5, irq.flags());
            assertEquals(0, irq.count());
            assertEquals(Errno.EINVAL, errno(() -> d.irq(5)));
        }

        @Test
        void setIrqsIsEinvalAndOthersEnotty() {
            Dev d = mdpy(Arch.X86_64);
            assertEquals(Errno.EINVAL, errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_SET_IRQS, new byte[20])));
            assertEquals(Errno.ENOTTY, errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_IOEVENTFD, new byte[32])));
        }

        @Test
        void resetRepaintsTheGradient() {
            Dev d = mdpy(Arch.X86_64);
            MdpyDevice hw = (MdpyDevice) d.hw();
            assertEquals(254, hw.framebuffer().read(767L * 4096, 1));
            hw.framebuffer().write(767L * 4096, 1, 7);
            assertEquals(0, d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_RESET, 0));
            assertEquals(254, hw.framebuffer().read(767L * 4096, 1));
        }
    }

    @Nested
    class RegionInfo {
        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.mdpy.MdpyTests#arches")
        void configSpaceAndTwoViewsOfTheFramebuffer(Arch arch) {
            Dev d = mdpy(arch);
            RegionInfoReply cfg = d.region(CONFIG);
            assertEquals(R | W, cfg.info().flags());
            assertEquals(0xff, cfg.info().size());
            for (int i : displayRegionPlaced(d) ? new int[] {0, DISPLAY} : new int[] {0}) {
                RegionInfoReply fb = d.region(i);
                assertEquals(R | W | M, fb.info().flags());
                assertEquals(MEMSIZE, fb.info().size());
                assertTrue(fb.caps().isEmpty());
            }
            for (int i : new int[] {1, 2, 3, 4, 5, 6, 8}) {
                RegionInfoReply r = d.region(i);
                assertEquals(0, r.info().flags());
                assertEquals(0, r.info().size());
            }
            for (int i : new int[] {9, 15, 17}) {
                assertEquals(Errno.EINVAL, errno(() -> d.region(i)));
            }
        }

        /** The sample's packed layout: the two views share one offset, PAGE_SIZE. */
        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.mdpy.MdpyTests#arches")
        void offsetsArePackedInPagesOrEachRegionsOwn(Arch arch) {
            Dev d = mdpy(arch);
            if (!onCookiePath(d)) {
                assertEquals(0, offset(d, CONFIG));
                assertEquals(arch.pageSize(), offset(d, 0), "MDPY_MEMORY_BAR_OFFSET is PAGE_SIZE");
                assertEquals(arch.pageSize(), offset(d, DISPLAY), "region 16 reports BAR0's offset");
                for (int i : new int[] {1, 2, 3, 4, 5, 6, 8}) {
                    assertEquals(0, offset(d, i));
                }
                return;
            }
            long config = offset(d, CONFIG);
            long bar0 = offset(d, 0);
            assertTrue(config + arch.pageSize() <= bar0 || bar0 + MEMSIZE <= config,
                    "config space and BAR0 apart");
            if (displayRegionPlaced(d)) {
                long display = offset(d, DISPLAY);
                assertTrue(bar0 + MEMSIZE <= display || display + MEMSIZE <= bar0,
                        "region 16 is a cookie of its own");
                assertTrue(config + arch.pageSize() <= display || display + MEMSIZE <= config);
            } else {
                assertEquals(Errno.EOVERFLOW, errno(() -> d.region(DISPLAY)));
            }
        }
    }

    @Nested
    class ReadWrite {
        @Test
        void configSpaceAndBar0Sizing() {
            Dev d = mdpy(Arch.X86_64);
            long cfg = offset(d, CONFIG);
            assertEquals(0x1b36, d.readLe(cfg, 2));
            assertEquals(0x000f, d.readLe(cfg + 2, 2));
            d.writeLe(cfg + 0x10, 4, 0xffffffffL);
            assertEquals(0xffc00008L, d.readLe(cfg + 0x10, 4));
            d.writeLe(cfg + 0x10, 4, 0xe0000000L);
            assertEquals(0xe0000008L, d.readLe(cfg + 0x10, 4));
            d.writeLe(cfg + 0x14, 4, 0xffffffffL);
            assertEquals(0, d.readLe(cfg + 0x14, 4), "only BAR0 is handled");
        }

        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.mdpy.MdpyTests#arches")
        void framebufferAccessLandsAtItsStartWhateverTheOffset(Arch arch) {
            Dev d = mdpy(arch);
            MdpyDevice hw = (MdpyDevice) d.hw();
            long bar = offset(d, 0);
            assertEquals(4, d.writeLe(bar + 0x2000, 4, 0xa1b2c3d4L));
            assertEquals(0xa1b2c3d4L, hw.framebuffer().read(0, 4));
            assertEquals(0, hw.framebuffer().read(0x2000, 4), "row 2 untouched (grey 2 * 255 / 768 = 0)");
            hw.framebuffer().write(0, 4, 0x01020304);
            assertEquals(0x01020304L, d.readLe(bar + 0x3000, 4));
            if (displayRegionPlaced(d)) {
                assertEquals(0x01020304L, d.readLe(offset(d, DISPLAY) + 0x10, 4), "region 16 too");
            }
        }

        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.mdpy.MdpyTests#arches")
        void betweenConfigAndFramebufferOrPastItIsEfault(Arch arch) {
            Dev d = mdpy(arch);
            long cfg = offset(d, CONFIG);
            long bar = offset(d, 0);
            assertEquals(Errno.EFAULT, errno(() -> d.read(cfg + 0x100, 4)));
            assertEquals(Errno.EFAULT, errno(() -> d.read(cfg + arch.pageSize() - 4, 4)));
            assertEquals(Errno.EFAULT, errno(() -> d.write(bar + MEMSIZE - 2, new byte[4])));
        }
    }

    @Nested
    class Mmap {
        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.mdpy.MdpyTests#arches")
        void vmallocFramebufferMappedAtOnePage(Arch arch) {
            Dev d = mdpy(arch);
            MdpyDevice hw = (MdpyDevice) d.hw();
            Mapping m = d.mmapShared(MEMSIZE, offset(d, 0));
            assertEquals(PgProt.WB, m.pgprot());
            assertEquals(MEMSIZE / arch.pageSize(), m.pageTableEntries().get(PageTable.Level.PTE));
            PageTable.Entry e = d.pte(m.addr());
            assertEquals(hw.framebufferStart() >>> arch.pageShift(), e.pfn());
            assertFalse(e.special(), "struct pages, not a PFN map");
            assertTrue(m.vma().hasFlag(VmFlag.VM_MIXEDMAP));
            assertEquals(254, m.load(767L * 4096, 1), "the gradient's last row");
            m.store(0x40, 4, 0x00ff00ffL);
            assertEquals(0x00ff00ffL, hw.framebuffer().read(0x40, 4));
        }

        /** Region 16 maps the same framebuffer as BAR0: its own offset on the cookie path. */
        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.mdpy.MdpyTests#arches")
        void regionSixteenMapsTheSameFramebuffer(Arch arch) {
            Dev d = mdpy(arch);
            if (!displayRegionPlaced(d)) {
                return;
            }
            MdpyDevice hw = (MdpyDevice) d.hw();
            Mapping m = d.mmapShared(2 * arch.pageSize(), offset(d, DISPLAY));
            assertEquals(hw.framebufferStart() >>> arch.pageShift(), d.pte(m.addr()).pfn());
            m.store(0x80, 4, 0x12345678L);
            assertEquals(0x12345678L, hw.framebuffer().read(0x80, 4));
        }

        /**
         * Config space is no framebuffer (-EINVAL on both paths). The sample maps the
         * framebuffer only at its offset exactly; on the cookie path a VMA may start at any page
         * of a framebuffer view and maps from that page.
         */
        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.mdpy.MdpyTests#arches")
        void configSpaceIsNotMappedAndTheFramebufferFromItsPage(Arch arch) {
            Dev d = mdpy(arch);
            long p = arch.pageSize();
            long cfg = offset(d, CONFIG);
            int refused = errno(() -> d.mmapShared(p, cfg));
            assertTrue(Limits.mmapFits(arch, cfg, p) ? refused == Errno.EINVAL
                    : Limits.isArchLimitErrno(arch, cfg, refused), Errno.name(refused));
            long bar = offset(d, 0);
            if (!onCookiePath(d)) {
                assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(p, bar + p)));
                return;
            }
            Mapping m = d.mmapShared(p, bar + 2 * p);
            MdpyDevice hw = (MdpyDevice) d.hw();
            assertEquals((hw.framebufferStart() >>> arch.pageShift()) + 2, d.pte(m.addr()).pfn());
        }

        @Test
        void sixtyFourKibPagesNeedSixtyFourKibAlignedOffsets() {
            Dev d = mdpy(Arch.ARM64_64K);
            long bar = offset(d, 0);
            assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(0x10000, bar + 0x1000)), "not page aligned");
            assertEquals(PgProt.WB, d.mmapShared(0x10000, bar).pgprot());
        }

        /** The sample's own length check (-EINVAL); on the cookie path the core's (-ENXIO). */
        @Test
        void longerThanTheFramebufferIsRefused() {
            Dev d = mdpy(Arch.X86_64);
            assertEquals(onCookiePath(d) ? Errno.ENXIO : Errno.EINVAL,
                    errno(() -> d.mmapShared(MEMSIZE + 0x1000, offset(d, 0))));
        }

        @Test
        void privateMappingIsEinval() {
            Dev d = mdpy(Arch.X86_64);
            assertEquals(Errno.EINVAL, errno(() -> d.mmap(0x1000, Mman.PROT_READ, Mman.MAP_PRIVATE,
                    offset(d, 0))));
        }
    }

    /**
     * The pieces mdpy_read and mdpy_write cut an access into, mdev_access's bounds, and the
     * clients that pass a buffer too short or a REGION_INFO head full of junk.
     */
    @Nested
    class Pieces {
        /**
         * mdpy_write: an aligned u16 is one mdev_access, which memcpys it to the start of the
         * framebuffer; cut into bytes, the second byte would overwrite the first there.
         */
        @Test
        void aHalfwordIsOnePieceAtTheFramebuffersStart() {
            Dev d = mdpy(Arch.X86_64);
            MdpyDevice hw = (MdpyDevice) d.hw();
            long bar = offset(d, 0);
            assertEquals(2, d.write(bar + 2, new byte[] {0x11, 0x22}));
            assertEquals(0x2211, hw.framebuffer().read(0, 2));
            hw.framebuffer().write(0, 2, 0x4433);
            assertEquals(0x4433, d.readLe(bar + 6, 2));
        }

        /** mdpy_read: a single byte is a u8 piece; three bytes a u16 then a u8. */
        @Test
        void singleBytesAreU8Pieces() {
            Dev d = mdpy(Arch.X86_64);
            long cfg = offset(d, CONFIG);
            assertEquals(0x36, d.read(cfg, 1)[0]);
            assertEquals(0x0f1b36L, d.readLe(cfg, 3), "vendor 1b36, device low byte 0f");
        }

        /** mdpy_read and mdpy_write advance *ppos by each piece. */
        @Test
        void eightBytesAreTwoConsecutivePieces() {
            Dev d = mdpy(Arch.X86_64);
            long cfg = offset(d, CONFIG);
            assertEquals(d.readLe(cfg, 4) | d.readLe(cfg + 4, 4) << 32, d.readLe(cfg, 8));
            byte[] b = new byte[8];
            java.util.Arrays.fill(b, (byte) 0xff);
            d.write(cfg + 0x0c, b);
            assertEquals(0xffc00008L, d.readLe(cfg + 0x10, 4), "the second piece is BAR0's");
        }

        /**
         * mdev_access: config space is {@code pos < MDPY_CONFIG_SPACE_SIZE} (0xff); the
         * framebuffer from its first byte to its last, inclusive.
         */
        @Test
        void configSpaceEndsAt0xffAndTheFramebufferIsReachableToItsLastByte() {
            Dev d = mdpy(Arch.X86_64);
            long cfg = offset(d, CONFIG);
            long bar = offset(d, 0);
            assertEquals(1, d.read(cfg + 0xfe, 1).length);
            int e = errno(() -> d.read(cfg + 0xff, 1));
            if (!onCookiePath(d)) {
                assertEquals(Errno.EFAULT, e);
            }
            assertEquals(4, d.read(bar, 4).length);
            assertEquals(4, d.read(bar + MEMSIZE - 4, 4).length);
            assertEquals(4, d.write(bar + MEMSIZE - 4, new byte[4]));
        }

        /**
         * mdpy_reset paints {@code height} rows; the rest of the (power-of-two) framebuffer
         * stays as vzalloc left it.
         */
        @Test
        void resetPaintsOnlyTheVisibleRows() {
            Dev d = mdpy(Arch.X86_64);
            MdpyDevice hw = (MdpyDevice) d.hw();
            long pastTheRows = (long) hw.height() * hw.stride();
            assertEquals(0, hw.framebuffer().read(pastTheRows, 1));
            assertEquals(0, d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_RESET, 0));
            assertEquals(0, hw.framebuffer().read(pastTheRows, 1));
            assertEquals(254, hw.framebuffer().read(pastTheRows - 1, 1));
        }

        /**
         * mdpy_read/mdpy_write: a copy that faults, on the first piece or a later one, makes
         * the call -EFAULT, and a faulted write's piece never reaches the device.
         */
        @Test
        void aFaultingUserBufferIsEfault() {
            Dev d = mdpy(Arch.X86_64);
            MdpyDevice hw = (MdpyDevice) d.hw();
            long bar = offset(d, 0);
            assertEquals(-Errno.EFAULT, UserFaults.readInto(d, 2, 4, bar));
            assertEquals(-Errno.EFAULT, UserFaults.readInto(d, 4, 8, bar));
            hw.framebuffer().write(0, 4, 0x01020304);
            assertEquals(-Errno.EFAULT, UserFaults.writeFrom(d, 0, 4, bar));
            assertEquals(0x01020304L, hw.framebuffer().read(0, 4));
        }

        /** mdpy_ioctl copies the GET_INFO and GET_IRQ_INFO heads in: a short buffer is -EFAULT. */
        @Test
        void shortIoctlBuffersAreEfault() {
            Dev d = mdpy(Arch.X86_64);
            d.info();
            UserFaults.assertShortInfoHeadsEfault(d);
        }

        /**
         * mdpy_ioctl_get_region_info sets size, offset and flags on every branch, whatever the
         * request held (the core copies the whole head in).
         */
        @Test
        void regionInfoOverwritesAJunkRequest() {
            Dev d = mdpy(Arch.X86_64);
            UserFaults.assertRegionInfoOverwritesJunk(d, 256, 0, 1, CONFIG, DISPLAY);
        }

        /**
         * mdpy_get_device_info and mdpy_get_irq_info: the head is read, then the copy_to_user of the
         * answer into read-only user memory faults: -EFAULT.
         */
        @Test
        void answersIntoReadOnlyMemoryAreEfault() {
            Dev d = mdpy(Arch.X86_64);
            d.info();
            UserFaults.assertInfoIntoReadOnlyMemoryEfault(d);
        }

        /**
         * mdpy_write passes a u16 or u8 piece on its stack, and handle_pci_cfg_write loads a u32
         * from it at a BAR register (KASAN stack-out-of-bounds); the process goes on.
         */
        @Test
        void aShortBarRegisterWriteIsAKernelBug() {
            Dev d = mdpy(Arch.X86_64);
            long config = offset(d, CONFIG);
            assertShortBarRegisterWritesAreKernelBugs(d, config + 0x10, 0xe000,
                    "samples/vfio-mdev/mdpy.c:handle_pci_cfg_write");
            assertEquals(4, d.writeLe(config + 0x10, 4, 0xe000), "a whole dword is fine");
            assertEquals(2, d.writeLe(config + 0x04, 2, 0x0002), "no load outside the BARs");
        }
    }
}
