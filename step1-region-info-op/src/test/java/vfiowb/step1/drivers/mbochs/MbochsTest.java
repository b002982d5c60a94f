package vfiowb.step1.drivers.mbochs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.step1.drivers.nonpci.NonPci.errno;
import static vfiowb.step1.drivers.nonpci.NonPci.kernelBug;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.hw.MbochsDevice;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.mm.PageTable;
import vfiowb.common.mm.PgProt;
import vfiowb.common.mm.VmFlag;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionGfxEdid;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionType;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.step1.drivers.nonpci.NonPci;
import vfiowb.step1.drivers.nonpci.NonPci.Dev;

class MbochsTest {
    private static final int R = VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
    private static final int W = VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;
    private static final int M = VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;
    private static final int CAPS = VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS;
    private static final long MEMSIZE = 16L << 20;
    /** {@code sizeof(struct vfio_region_info_ext)}, the largest argsz the sample accepts. */
    private static final int EXT = 48;

    static List<Arch> arches() {
        return NonPci.arches();
    }

    private static Dev mbochs(Arch arch) {
        return NonPci.open(arch, "mbochs");
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
        void membersAsUpstream() {
            assertEquals(List.of("close_device", "read", "write", "ioctl", "mmap"),
                    Mbochs.MBOCHS_DEV_OPS.membersSet());
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
        @MethodSource("vfiowb.step1.drivers.mbochs.MbochsTest#arches")
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
                RegionInfoReply r = d.region(e[0], EXT);
                assertEquals(e[1], r.info().flags(), "flags of " + e[0]);
                assertEquals(e[2], r.info().size(), "size of " + e[0]);
                assertEquals(e[3], r.info().offset(), "offset of " + e[0]);
            }
            assertEquals(List.of(RegionCap.Type.of(VfioRegionType.VFIO_REGION_TYPE_GFX,
                    VfioRegionType.VFIO_REGION_SUBTYPE_GFX_EDID)), d.region(9, EXT).caps());
            for (int i : new int[] {1, 3, 4, 5, 6, 8}) {
                RegionInfoReply r = d.region(i, EXT);
                assertEquals(0, r.info().flags());
                assertEquals(0, r.info().size());
                assertEquals(0, r.info().offset());
            }
            assertEquals(Errno.EINVAL, errno(() -> d.region(10, EXT)));
        }
    }

    /**
     * REGION_INFO as the sample answered it before "Convert mbochs to use
     * vfio_info_add_capability()": through {@code struct vfio_region_info_ext}, copying back
     * exactly {@code argsz} bytes. These are userspace-visible differences from stage 2, where the
     * core's rules apply (any {@code argsz} from 32, "too small" answered with
     * {@code cap_offset} 0).
     */
    @Nested
    class PreSeriesRegionInfo {
        /** The ioctl on a buffer of {@code bufferLength} bytes, 0xAA past the 32-byte head. */
        private UserBuffer call(Dev d, long index, int argsz, int bufferLength) {
            byte[] b = new byte[bufferLength];
            java.util.Arrays.fill(b, (byte) 0xAA);
            System.arraycopy(VfioRegionInfo.request(index, argsz), 0, b, 0, VfioRegionInfo.SIZE);
            UserBuffer arg = UserBuffer.wrap(b);
            d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, arg);
            return arg;
        }

        @ParameterizedTest
        @ValueSource(ints = {49, 64, 256})
        void argszAboveTheExtStructIsEinvalAndNothingIsWritten(int argsz) {
            Dev d = mbochs(Arch.X86_64);
            for (long index : new long[] {0, 9}) {
                byte[] b = VfioRegionInfo.request(index, argsz);
                UserBuffer arg = UserBuffer.wrap(b);
                assertEquals(Errno.EINVAL, errno(() -> d.p().ioctl(d.fd(),
                        VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, arg)));
                assertTrue(arg.writtenRanges().isEmpty());
            }
        }

        @Test
        void edidWithA32ByteBufferGetsCapOffset32NotTheTooSmallAnswer() {
            UserBuffer arg = call(mbochs(Arch.X86_64), 9, 32, 64);
            VfioRegionInfo out = VfioRegionInfo.decode(arg.array(), 0);
            assertEquals(48, out.argsz());
            assertEquals(32, out.capOffset());
            assertEquals(R | W | CAPS, out.flags());
            assertEquals(32, arg.writtenEnd());
        }

        @Test
        void edidWithA40ByteBufferGetsHalfTheCapability() {
            UserBuffer arg = call(mbochs(Arch.X86_64), 9, 40, 64);
            assertEquals(40, arg.writtenEnd());
            assertEquals(VfioRegionInfo.VFIO_REGION_INFO_CAP_TYPE, NonPci.le(arg.array(), 32, 2));
            assertEquals(1, NonPci.le(arg.array(), 34, 2));
            assertEquals(0, NonPci.le(arg.array(), 36, 4));
            assertEquals(0xAAAA_AAAA_AAAA_AAAAL, NonPci.le(arg.array(), 40, 8),
                    "type and subtype are not copied");
        }

        @Test
        void edidWith48BytesIsTheWholeCapabilityAtOffset32() {
            RegionInfoReply r = mbochs(Arch.X86_64).region(9, 48);
            assertEquals(32, r.info().capOffset());
            assertEquals(48, r.info().argsz());
            assertEquals(List.of(RegionCap.Type.of(VfioRegionType.VFIO_REGION_TYPE_GFX,
                    VfioRegionType.VFIO_REGION_SUBTYPE_GFX_EDID)), r.caps());
        }

        @Test
        void otherRegionsCopyArgszBytesTooWithoutCapabilities() {
            UserBuffer arg = call(mbochs(Arch.X86_64), 0, 48, 64);
            VfioRegionInfo out = VfioRegionInfo.decode(arg.array(), 0);
            assertEquals(48, out.argsz());
            assertEquals(0, out.capOffset());
            assertEquals(R | W | M, out.flags());
            assertEquals(48, arg.writtenEnd());
        }

        @Test
        void aQemuStyleProbeGetsTheCapabilityOnItsSecondCall() {
            Dev d = mbochs(Arch.X86_64);
            UserBuffer first = call(d, 9, 32, 32);
            RegionInfoReply again = d.region(9, (int) VfioRegionInfo.decode(first.array(), 0).argsz());
            assertEquals(List.of(RegionCap.Type.of(VfioRegionType.VFIO_REGION_TYPE_GFX,
                    VfioRegionType.VFIO_REGION_SUBTYPE_GFX_EDID)), again.caps());
        }
    }

    @Nested
    class ConfigAndMmio {
        @ParameterizedTest
        @MethodSource("vfiowb.step1.drivers.mbochs.MbochsTest#arches")
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
        @MethodSource("vfiowb.step1.drivers.mbochs.MbochsTest#arches")
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
            MbochsState s = (MbochsState) d.vdev();
            d.writeLe(3 * page(d), 4, 0x1234);
            assertEquals(1, s.pagesAllocated());
            d.p().close(d.fd());
            assertEquals(0, s.pagesAllocated());
            Dev again = new Dev(d.p(), d.p().open(d.name()), d.name());
            assertEquals(0, again.readLe(3 * page(d), 4));
        }
    }

    @Nested
    class Mmap {
        @ParameterizedTest
        @MethodSource("vfiowb.step1.drivers.mbochs.MbochsTest#arches")
        void pagesAreMappedOneFaultAtATime(Arch arch) {
            Dev d = mbochs(arch);
            MbochsDevice hw = (MbochsDevice) d.hw();
            MbochsState s = (MbochsState) d.vdev();
            Mapping m = d.mmapShared(MEMSIZE, 3 * arch.pageSize());
            assertEquals(PgProt.WB, m.pgprot());
            assertEquals(0L, m.pageTableEntries().get(PageTable.Level.PTE), "nothing at mmap time");
            assertFalse(m.vma().hasFlag(VmFlag.VM_PFNMAP));
            assertEquals(0, s.pagesAllocated());

            m.store(5 * arch.pageSize() + 8, 4, 0x0badcafeL);
            PageTable.Entry e = d.pte(m.addr() + 5 * arch.pageSize());
            assertEquals((hw.memoryStart() >>> arch.pageShift()) + 5, e.pfn());
            assertFalse(e.special(), "a struct page");
            assertEquals(1L, m.pageTableEntries().get(PageTable.Level.PTE));
            assertEquals(1, s.pagesAllocated());
            assertEquals(0x0badcafeL, hw.memory().read(5 * arch.pageSize() + 8, 4));
            assertEquals(0x0badcafeL, d.readLe(3 * arch.pageSize() + 3 * arch.pageSize() + 8, 4),
                    "the file reaches page 5 at memory offset 3 pages");
        }

        @ParameterizedTest
        @MethodSource("vfiowb.step1.drivers.mbochs.MbochsTest#arches")
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
