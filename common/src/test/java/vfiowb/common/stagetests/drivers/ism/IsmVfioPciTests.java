package vfiowb.common.stagetests.drivers.ism;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vfiowb.common.conformance.Limits;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.hw.IsmFunction;
import vfiowb.common.hw.PciBar;
import vfiowb.common.hw.PciFunctionSpec;
import vfiowb.common.hw.SystemBus;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.testing.DeviceLockHolder;
import vfiowb.common.uapi.LE;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceIoeventfd;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.KernelFile;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.UserBuffer;

/**
 * ism_pci_ops through the syscall boundary: zPCI rw, no mmap, a 256 TiB BAR0. Offsets come from
 * REGION_INFO: the driver's own 48-bit layout before stage 4, the core's cookies after (under the
 * legacy policy BAR0, too large for a 1 TiB slot, goes above every slot).
 */
public abstract class IsmVfioPciTests {
    private static final int RW_FLAGS = VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ
            | VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;
    private static final long TIB = 1L << 40;
    private static final long CONFIG = 7L << 48;

    /** One booted host with the device open. */
    private record Booted(Process p, int fd, IsmFunction hw) {
        KernelFile file() {
            return p.file(fd).kernelFile();
        }

        RegionInfoReply regionInfo(int index) {
            byte[] buf = VfioRegionInfo.request(index, 32);
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf);
            return RegionInfoReply.decode(buf);
        }

        /** The file offset REGION_INFO gives region {@code index}. */
        long offset(int index) {
            return regionInfo(index).info().offset();
        }

        /** Whether the file keeps a tree of cookies: the core resolves every offset. */
        boolean onCookiePath() {
            return file().mmapCookieCount() >= 0;
        }

        /**
         * Whether BAR0 has an offset: on the cookie path a 32-bit kernel's tree has keys for
         * 16 TiB of offsets, no room for 256 TiB, so BAR0's REGION_INFO is -EOVERFLOW there.
         */
        boolean bar0Placed() {
            return !(onCookiePath() && p.arch().is32Bit());
        }

        long ioeventfd(long offset, int fd) {
            byte[] b = VfioDeviceIoeventfd.of(VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_32, offset,
                    1, fd).encode();
            return p.ioctl(this.fd, VfioIoctl.VFIO_DEVICE_IOEVENTFD, b);
        }
    }

    /** An ISM function whose store blocks are limited to 256 bytes. */
    private static final DeviceSpec SMALL_STBL = PciFunctionSpec.builder("ism-stbl256")
            .description("ISM with maxstbl 256")
            .driver("ism-vfio-pci", "ism_pci_ops")
            .ids(0x1014, 0x04ED).classCode(0x028000)
            .bar(PciBar.mem64(0, 256 * TIB, false))
            .factory((s, b) -> new IsmFunction(s, b, 256))
            .build();

    /** An ISM function with a 1 MiB BAR0, so that BAR0 ends inside its 48-bit slot. */
    private static final DeviceSpec SMALL_BAR = PciFunctionSpec.builder("ism-bar1m")
            .description("ISM with a 1 MiB BAR0")
            .driver("ism-vfio-pci", "ism_pci_ops")
            .ids(0x1014, 0x04ED).classCode(0x028000)
            .bar(PciBar.mem64(0, 1L << 20, false))
            .factory((s, b) -> new IsmFunction(s, b, 4096))
            .build();

    private final StageAdapter stage;
    private final Booted ism;

    protected IsmVfioPciTests(StageAdapter stage) {
        this.stage = stage;
        ism = on(Arch.X86_64);
    }

    private Booted on(Arch arch, DeviceSpec spec) {
        Process p = new Process(stage.stage().boot(arch, List.of(spec)));
        int fd = p.open(spec.name());
        return new Booted(p, fd, (IsmFunction) p.host().device(spec.name()));
    }

    private Booted on(Arch arch) {
        return on(arch, DeviceCatalogue.byName("ism").orElseThrow());
    }

    static int errno(Executable call) {
        return assertThrows(ErrnoException.class, call).errno();
    }

    /**
     * ism_vfio_pci_open_device: vfio_pci_core_enable first; its -EAGAIN (the device lock held
     * elsewhere during pci_try_reset_function) fails the open.
     */
    @Nested
    class Open {
        @Test
        void theOpenFailsWhileAnotherPathHoldsTheDeviceLock() {
            DeviceSpec spec = DeviceCatalogue.byName("ism").orElseThrow();
            Process q = new Process(stage.stage().boot(Arch.X86_64, List.of(spec)));
            IsmFunction f = (IsmFunction) q.host().device(spec.name());
            int err = DeviceLockHolder.whileHeldElsewhere(f, () -> {
                try {
                    q.close(q.open(spec.name()));
                    return 0;
                } catch (ErrnoException e) {
                    return e.errno();
                }
            });
            assertEquals(f.pciResetSupported() ? Errno.EAGAIN : 0, err);
            assertEquals(3, q.open(spec.name()));
        }
    }

    @Nested
    class OpsTable {
        @Test
        void hasNoMmapAndOwnRegionInfoReadWrite() {
            List<String> members = stage.opsTables().get("ism_pci_ops").membersSet();
            assertTrue(members.containsAll(List.of("read", "write"))
                    || members.containsAll(List.of("read_obj", "write_obj")), members.toString());
            assertFalse(members.contains("mmap"), members.toString());
            assertFalse(members.contains("mmap_obj"), members.toString());
            assertEquals("ism-vfio-pci", stage.opsTables().get("ism_pci_ops").name());
            assertEquals("ism_pci_ops", stage.opsTableOf(ism.file()));
        }

        /**
         * The driver's own offset helpers, as userspace meets them: index 7 at {@code 7 << 48},
         * regions 256 TiB apart. On the cookie path the core's: BAR0's 256 TiB range holds no
         * other region. Either way an offset inside config space reaches the offset within it.
         */
        @Test
        void theLayoutIsTheDriversThenTheCores() {
            long config = ism.offset(7);
            if (!ism.onCookiePath()) {
                assertEquals(CONFIG, config);
                assertEquals(256 * TIB, ism.regionInfo(1).info().offset());
            } else {
                long bar0 = ism.offset(0);
                assertTrue(config < bar0 || config >= bar0 + 256 * TIB, "config space inside BAR0");
            }
            byte[] head = new byte[0x20];
            assertEquals(0x20, ism.p().pread(ism.fd(), head, config));
            byte[] at10 = new byte[4];
            assertEquals(4, ism.p().pread(ism.fd(), at10, config + 0x10));
            assertArrayEquals(Arrays.copyOfRange(head, 0x10, 0x14), at10);
            assertTrue(LE.getU32(at10, 0) != LE.getU32(head, 0), "0x10 is not the start");
        }
    }

    @Nested
    class RegionInfo {
        @ParameterizedTest
        @EnumSource(Arch.class)
        void configAndBar0NeverMmap(Arch a) {
            Booted b = on(a);
            RegionInfoReply cfg = b.regionInfo(7);
            assertEquals(4096, cfg.info().size());
            assertEquals(RW_FLAGS, cfg.info().flags());
            if (!b.bar0Placed()) {
                assertEquals(Errno.EOVERFLOW, errno(() -> b.regionInfo(0)));
                return;
            }
            RegionInfoReply bar0 = b.regionInfo(0);
            assertEquals(256 * TIB, bar0.info().size());
            assertEquals(RW_FLAGS, bar0.info().flags());
            if (!b.onCookiePath()) {
                assertEquals(CONFIG, cfg.info().offset(), "index << 48");
                assertEquals(0, bar0.info().offset());
            }
        }

        @Test
        void absentBarsHaveSizeAndFlagsZero() {
            for (int bar = 1; bar < 6; bar++) {
                RegionInfoReply r = ism.regionInfo(bar);
                if (!ism.onCookiePath()) {
                    assertEquals((long) bar << 48, r.info().offset());
                }
                assertEquals(0, r.info().size());
                assertEquals(0, r.info().flags());
            }
        }

        /**
         * vfio_device_get_region_info copies the user's whole head (flags, size, offset too)
         * in before calling ism_vfio_pci_ioctl_get_region_info, which sets flags 0 for an
         * absent BAR: whatever flags the user passed in, the answer has none.
         */
        @Test
        void anAbsentBarClearsTheFlagsTheUserPassedIn() {
            byte[] buf = VfioRegionInfo.request(1, 32);
            LE.putU32(buf, 4, RW_FLAGS | VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP);
            assertEquals(0, ism.p().ioctl(ism.fd(), VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf));
            RegionInfoReply r = RegionInfoReply.decode(buf);
            assertEquals(0, r.info().flags());
            assertEquals(0, r.info().size());
        }

        @Test
        void romVgaAndDeviceSpecificIndexesAreEinval() {
            for (int index : new int[] {6, 8, 9, 10}) {
                assertEquals(Errno.EINVAL, errno(() -> ism.regionInfo(index)), "index " + index);
            }
        }
    }

    @Nested
    class ReadWrite {
        @ParameterizedTest
        @EnumSource(Arch.class)
        void byte255TibOfBar0IsReachable(Arch a) {
            Booted b = on(a);
            if (!b.bar0Placed()) {
                assertEquals(Errno.EOVERFLOW, errno(() -> b.regionInfo(0)));
                return;
            }
            long off = 255 * TIB;
            long at = b.offset(0) + off;
            byte[] data = {1, 2, 3, 4, 5, 6, 7, 8};
            assertEquals(8, b.p().pwrite(b.fd(), data, at));
            assertEquals(0x0807060504030201L, b.hw().barMemory(0).orElseThrow().read(off, 8));
            byte[] back = new byte[8];
            assertEquals(8, b.p().pread(b.fd(), back, at));
            assertArrayEquals(data, back);
        }

        @Test
        void theLastByteIsReadableAndTheEndClips() {
            long last = 256 * TIB - 1;
            long bar0 = ism.offset(0);
            ism.hw().barMemory(0).orElseThrow().write(last, 1, 0x7e);
            byte[] two = new byte[2];
            assertEquals(1, ism.p().pread(ism.fd(), two, bar0 + last));
            assertEquals(0x7e, two[0]);
            assertEquals(Errno.EINVAL, errno(() -> ism.p().pread(ism.fd(), new byte[1],
                    bar0 + 256 * TIB)));
        }

        /**
         * Byte 7 TiB of BAR0 is BAR0's: with the 48-bit layout that is file offset
         * {@code 7 << 40}, vfio-pci's config space offset.
         */
        @Test
        void sevenTibIntoBar0IsBar0() {
            ism.hw().barMemory(0).orElseThrow().write(7 * TIB, 2, 0xbeef);
            byte[] b = new byte[2];
            assertEquals(2, ism.p().pread(ism.fd(), b, ism.offset(0) + 7 * TIB));
            assertEquals(0xbeef, LE.getU16(b, 0));
            if (!ism.onCookiePath()) {
                assertEquals(2, ism.p().pread(ism.fd(), b, 7L << 40));
                assertEquals(0xbeef, LE.getU16(b, 0));
            }
        }

        @Test
        void configSpaceReadsTheFunction() {
            long config = ism.offset(7);
            byte[] id = new byte[4];
            assertEquals(4, ism.p().pread(ism.fd(), id, config));
            assertEquals(0x04ed1014L, LE.getU32(id, 0));
            assertEquals(Errno.EFAULT, errno(() -> ism.p().pread(ism.fd(), new byte[4], config + 4096)));
        }

        @Test
        void otherIndexesAreEinvalAndEmptyAccessesZero() {
            for (long index : new long[] {6, 8, 9}) {
                assertEquals(Errno.EINVAL, errno(() -> ism.p().pread(ism.fd(), new byte[4],
                        index << 48)), "index " + index);
            }
            assertEquals(0, ism.p().pread(ism.fd(), new byte[0], 9L << 48));
        }

        @Test
        void aWriteIsOneStoreBlockThatMustStayInAPage() {
            long bar0 = ism.offset(0);
            assertEquals(4096, ism.p().pwrite(ism.fd(), new byte[4096], bar0 + 3 * 4096));
            assertEquals(Errno.EINVAL, errno(() -> ism.p().pwrite(ism.fd(), new byte[16], bar0 + 4090)));
            assertEquals(Errno.EINVAL, errno(() -> ism.p().pwrite(ism.fd(), new byte[4097], bar0)));
            assertEquals(16, ism.p().pread(ism.fd(), new byte[16], bar0 + 4090));
        }

        @Test
        void aWriteLongerThanMaxstblIsEinvalEvenInsideAPage() {
            Booted small = on(Arch.X86_64, SMALL_STBL);
            long bar0 = small.offset(0);
            assertEquals(256, small.p().pwrite(small.fd(), new byte[256], bar0 + 4096));
            assertEquals(Errno.EINVAL, errno(() -> small.p().pwrite(small.fd(), new byte[257], bar0 + 4096)));
        }

        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"ARM64_64K"})
        void thePageCheckIsS390sFourKibWhateverTheHostPage(Arch a) {
            Booted b = on(a);
            assertEquals(Errno.EINVAL, errno(() -> b.p().pwrite(b.fd(), new byte[16],
                    b.offset(0) + 4090)));
        }
    }

    /**
     * What the function sees: ism_vfio_pci_do_io_r issues naturally aligned zPCI loads
     * (__zpci_load) of 8, 4, 2 or 1 bytes, the widest that the remaining count and the offset's
     * alignment allow; ism_vfio_pci_do_io_w one PCISTB of the whole write.
     */
    @Nested
    class ZpciAccesses {
        private final List<SystemBus.Transaction> seen = new java.util.ArrayList<>();

        /** The (offset in BAR0, width) of each BAR0 access a pread or pwrite caused. */
        private List<List<Long>> accesses(Runnable io) {
            long base = ism.hw().bars().get(0).start();
            seen.clear();
            ism.hw().bus().setAnalyser(seen::add);
            try {
                io.run();
            } finally {
                ism.hw().bus().setAnalyser(null);
            }
            return seen.stream().filter(t -> t.space() == SystemBus.Space.ZPCI)
                    .map(t -> List.of(t.address() - base, (long) t.width())).toList();
        }

        private void read(long off, int n) {
            assertEquals(n, ism.p().pread(ism.fd(), new byte[n], ism.offset(0) + off));
        }

        @Test
        void loadsAreTheWidestNaturallyAlignedPieces() {
            assertEquals(List.of(List.of(1L, 1L), List.of(2L, 2L), List.of(4L, 4L),
                    List.of(8L, 8L)), accesses(() -> read(1, 15)));
        }

        @Test
        void aPieceIsAsWideAsTheRemainingCountAllowsAndNoWider() {
            assertEquals(List.of(List.of(0x40L, 8L)), accesses(() -> read(0x40, 8)));
            assertEquals(List.of(List.of(0x24L, 4L)), accesses(() -> read(0x24, 4)));
            assertEquals(List.of(List.of(0x32L, 2L)), accesses(() -> read(0x32, 2)));
            assertEquals(List.of(List.of(0x50L, 4L), List.of(0x54L, 2L), List.of(0x56L, 1L)),
                    accesses(() -> read(0x50, 7)));
            assertEquals(List.of(List.of(0x63L, 1L), List.of(0x64L, 1L)),
                    accesses(() -> read(0x63, 2)), "0x64 is 4-aligned but one byte is left");
        }

        @Test
        void theBytesComeBackInOrder() {
            byte[] data = new byte[15];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (0x10 + i);
                ism.hw().barMemory(0).orElseThrow().write(0x201 + i, 1, data[i]);
            }
            byte[] back = new byte[15];
            assertEquals(15, ism.p().pread(ism.fd(), back, ism.offset(0) + 0x201));
            assertArrayEquals(data, back);
        }

        @Test
        void aWriteIsOneStoreBlockOfItsLength() {
            assertEquals(List.of(List.of(0x103L, 19L)), accesses(() ->
                    assertEquals(19, ism.p().pwrite(ism.fd(), new byte[19], ism.offset(0) + 0x103))));
        }
    }

    /** ism_vfio_pci_bar_rw: a position at or past the end of a BAR is -EINVAL, not clipped. */
    @Nested
    class SmallBar {
        @Test
        void atOrPastTheEndIsEinvalBeforeItIsClipped() {
            Booted b = on(Arch.X86_64, SMALL_BAR);
            long bar0 = b.offset(0);
            assertEquals(1L << 20, b.regionInfo(0).info().size());
            assertEquals(2, b.p().pread(b.fd(), new byte[4], bar0 + (1L << 20) - 2));
            assertEquals(Errno.EINVAL, errno(() -> b.p().pread(b.fd(), new byte[4],
                    bar0 + (1L << 20))));
            assertEquals(Errno.EINVAL, errno(() -> b.p().pwrite(b.fd(), new byte[4],
                    bar0 + (1L << 20) + 8)));
        }
    }

    @Nested
    class Ioeventfd {
        /** vfio-pci-core's ioeventfd on BAR0, at the offset REGION_INFO gives. */
        @Test
        void anIoeventfdOnBar0() {
            assertEquals(0, ism.ioeventfd(ism.offset(0) + 0x100, 5));
            assertEquals(1, stage.driverLong(ism.file(), "ioeventfds_nr"));
            assertEquals(Errno.EINVAL, errno(() -> ism.ioeventfd(ism.offset(7), 5)),
                    "config space takes no ioeventfd");
        }

        /**
         * Upstream ISM hands VFIO_DEVICE_IOEVENTFD to vfio_pci_core_ioctl, which decodes its
         * offset with vfio-pci's 40-bit layout while ISM's REGION_INFO reports the 48-bit one:
         * from 1 TiB into BAR0 the offset names another index (here the absent BAR2). On the
         * cookie path the core resolves it through the cookies like a read.
         */
        @Test
        void twoTibIntoBar0OnlyOnTheCookiePath() {
            long at = ism.offset(0) + 2 * TIB;
            if (ism.onCookiePath()) {
                assertEquals(0, ism.ioeventfd(at, 5));
            } else {
                assertEquals(Errno.EINVAL, errno(() -> ism.ioeventfd(at, 5)));
            }
        }
    }

    @Nested
    class Mmap {
        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "ARM64_4K", "ARM64_64K", "I386"})
        void everyMmapIsEinvalFromTheCore(Arch a) {
            Booted b = on(a);
            assertEquals(Errno.EINVAL, errno(() -> b.p().mmap(0, a.pageSize(),
                    Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, b.fd(), 0)));
            int mapped = b.bar0Placed() ? 0 : 7;
            assertFalse(b.regionInfo(mapped).info().hasFlag(VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP));
        }

        @Test
        void onI386ConfigSpaceIsBeyondMmapReach() {
            Booted b = on(Arch.I386);
            // 7 << 48 is past mmap2's 32-bit page number, refused by glibc's mmap64 (EINVAL);
            // the core's 7 << 40 reaches the kernel, which refuses it past 4 GiB (EOVERFLOW).
            long config = b.offset(7);
            int errno = errno(() -> b.p().mmap(0, 4096, Mman.PROT_READ, Mman.MAP_SHARED, b.fd(),
                    config));
            assertTrue(Limits.isArchLimitErrno(Arch.I386, config, errno), Errno.name(errno));
            assertEquals(ism.onCookiePath() ? Errno.EOVERFLOW : Errno.EINVAL, errno);
        }
    }

    /**
     * A user buffer that faults part-way (the syscall boundary cannot make one, so the file's
     * read and write are called directly).
     */
    @Nested
    class UserFaults {
        @Test
        void loadsAndStoreBlocksFault() {
            KernelFile f = ism.file();
            long bar0 = ism.offset(0);
            assertEquals(-Errno.EFAULT, f.read(UserBuffer.allocate(4), 8, bar0));
            assertEquals(-Errno.EFAULT, f.write(UserBuffer.allocate(4), 8, bar0));
            assertEquals(0L, ism.hw().barMemory(0).orElseThrow().read(0, 8));
        }
    }
}
