package vfiowb.common.stagetests.drivers.mdpy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.stagetests.drivers.nonpci.NonPci.errno;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
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
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.Mapping;

/** mdpy_dev_ops through the syscall boundary: the sample display, region 16 aliasing BAR0. */
public abstract class MdpyTests {
    private static final int R = VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
    private static final int W = VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;
    private static final int M = VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;
    private static final long MEMSIZE = 4L << 20;

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
        void packedLayoutWithRegionSixteenAliasingBar0(Arch arch) {
            Dev d = mdpy(arch);
            RegionInfoReply cfg = d.region(7);
            assertEquals(R | W, cfg.info().flags());
            assertEquals(0xff, cfg.info().size());
            assertEquals(0, cfg.info().offset());
            for (int i : new int[] {0, 16}) {
                RegionInfoReply fb = d.region(i);
                assertEquals(R | W | M, fb.info().flags());
                assertEquals(MEMSIZE, fb.info().size());
                assertEquals(arch.pageSize(), fb.info().offset(), "MDPY_MEMORY_BAR_OFFSET is PAGE_SIZE");
                assertTrue(fb.caps().isEmpty());
            }
            for (int i : new int[] {1, 2, 3, 4, 5, 6, 8}) {
                RegionInfoReply r = d.region(i);
                assertEquals(0, r.info().flags());
                assertEquals(0, r.info().size());
                assertEquals(0, r.info().offset());
            }
            for (int i : new int[] {9, 15, 17}) {
                assertEquals(Errno.EINVAL, errno(() -> d.region(i)));
            }
        }
    }

    @Nested
    class ReadWrite {
        @Test
        void configSpaceAndBar0Sizing() {
            Dev d = mdpy(Arch.X86_64);
            assertEquals(0x1b36, d.readLe(0, 2));
            assertEquals(0x000f, d.readLe(2, 2));
            d.writeLe(0x10, 4, 0xffffffffL);
            assertEquals(0xffc00008L, d.readLe(0x10, 4));
            d.writeLe(0x10, 4, 0xe0000000L);
            assertEquals(0xe0000008L, d.readLe(0x10, 4));
            d.writeLe(0x14, 4, 0xffffffffL);
            assertEquals(0, d.readLe(0x14, 4), "only BAR0 is handled");
        }

        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.mdpy.MdpyTests#arches")
        void framebufferAccessLandsAtItsStartWhateverTheOffset(Arch arch) {
            Dev d = mdpy(arch);
            MdpyDevice hw = (MdpyDevice) d.hw();
            long bar = arch.pageSize();
            assertEquals(4, d.writeLe(bar + 0x2000, 4, 0xa1b2c3d4L));
            assertEquals(0xa1b2c3d4L, hw.framebuffer().read(0, 4));
            assertEquals(0, hw.framebuffer().read(0x2000, 4), "row 2 untouched (grey 2 * 255 / 768 = 0)");
            hw.framebuffer().write(0, 4, 0x01020304);
            assertEquals(0x01020304L, d.readLe(bar + 0x3000, 4));
        }

        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.mdpy.MdpyTests#arches")
        void betweenConfigAndFramebufferOrPastItIsEfault(Arch arch) {
            Dev d = mdpy(arch);
            assertEquals(Errno.EFAULT, errno(() -> d.read(0x100, 4)));
            assertEquals(Errno.EFAULT, errno(() -> d.read(arch.pageSize() - 4, 4)));
            assertEquals(Errno.EFAULT, errno(() -> d.write(arch.pageSize() + MEMSIZE - 2, new byte[4])));
        }
    }

    @Nested
    class Mmap {
        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.mdpy.MdpyTests#arches")
        void vmallocFramebufferMappedAtOnePage(Arch arch) {
            Dev d = mdpy(arch);
            MdpyDevice hw = (MdpyDevice) d.hw();
            Mapping m = d.mmapShared(MEMSIZE, arch.pageSize());
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

        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.mdpy.MdpyTests#arches")
        void onlyAtExactlyOnePage(Arch arch) {
            Dev d = mdpy(arch);
            assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(arch.pageSize(), 0)));
            assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(arch.pageSize(), 2 * arch.pageSize())));
        }

        @Test
        void sixtyFourKibPagesPutTheFramebufferAtSixtyFourKib() {
            Dev d = mdpy(Arch.ARM64_64K);
            assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(0x10000, 0x1000)), "not page aligned");
            assertEquals(PgProt.WB, d.mmapShared(0x10000, 0x10000).pgprot());
        }

        @Test
        void longerThanTheFramebufferIsEinval() {
            Dev d = mdpy(Arch.X86_64);
            assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(MEMSIZE + 0x1000, 0x1000)));
        }

        @Test
        void privateMappingIsEinval() {
            Dev d = mdpy(Arch.X86_64);
            assertEquals(Errno.EINVAL, errno(() -> d.mmap(0x1000, Mman.PROT_READ, Mman.MAP_PRIVATE, 0x1000)));
        }
    }
}
