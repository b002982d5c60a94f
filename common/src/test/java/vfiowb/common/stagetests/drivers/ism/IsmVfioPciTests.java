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
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.hw.IsmFunction;
import vfiowb.common.hw.PciBar;
import vfiowb.common.hw.PciFunctionSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.uapi.LE;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.KernelFile;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.UserBuffer;

/** ism_pci_ops through the syscall boundary: the 48-bit layout, zPCI rw, no mmap. */
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
    }

    /** An ISM function whose store blocks are limited to 256 bytes. */
    private static final DeviceSpec SMALL_STBL = PciFunctionSpec.builder("ism-stbl256")
            .description("ISM with maxstbl 256")
            .driver("ism-vfio-pci", "ism_pci_ops")
            .ids(0x1014, 0x04ED).classCode(0x028000)
            .bar(PciBar.mem64(0, 256 * TIB, false))
            .factory((s, b) -> new IsmFunction(s, b, 256))
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

    @Nested
    class OpsTable {
        @Test
        void hasNoMmapAndOwnRegionInfoReadWrite() {
            List<String> members = stage.opsTables().get("ism_pci_ops").membersSet();
            assertTrue(members.containsAll(List.of("read", "write")), members.toString());
            assertFalse(members.contains("mmap"), members.toString());
            assertEquals("ism-vfio-pci", stage.opsTables().get("ism_pci_ops").name());
            assertEquals("ism_pci_ops", stage.opsTableOf(ism.file()));
        }

        /**
         * The driver's own offset helpers, as userspace meets them: index 7 at {@code 7 << 48},
         * regions 256 TiB apart, and an offset inside config space decoded to index 7 and the
         * offset within it.
         */
        @Test
        void theLayoutIs48Bits() {
            assertEquals(CONFIG, ism.regionInfo(7).info().offset());
            assertEquals(256 * TIB, ism.regionInfo(1).info().offset());
            byte[] head = new byte[0x20];
            assertEquals(0x20, ism.p().pread(ism.fd(), head, CONFIG));
            byte[] at10 = new byte[4];
            assertEquals(4, ism.p().pread(ism.fd(), at10, CONFIG + 0x10));
            assertArrayEquals(Arrays.copyOfRange(head, 0x10, 0x14), at10);
            assertTrue(LE.getU32(at10, 0) != LE.getU32(head, 0), "0x10 is not the start");
        }
    }

    @Nested
    class RegionInfo {
        @ParameterizedTest
        @EnumSource(Arch.class)
        void configAndBar0AtIndexShiftedBy48NeverMmap(Arch a) {
            Booted b = on(a);
            RegionInfoReply cfg = b.regionInfo(7);
            assertEquals(CONFIG, cfg.info().offset());
            assertEquals(4096, cfg.info().size());
            assertEquals(RW_FLAGS, cfg.info().flags());
            RegionInfoReply bar0 = b.regionInfo(0);
            assertEquals(0, bar0.info().offset());
            assertEquals(256 * TIB, bar0.info().size());
            assertEquals(RW_FLAGS, bar0.info().flags());
        }

        @Test
        void absentBarsHaveSizeAndFlagsZero() {
            for (int bar = 1; bar < 6; bar++) {
                RegionInfoReply r = ism.regionInfo(bar);
                assertEquals((long) bar << 48, r.info().offset());
                assertEquals(0, r.info().size());
                assertEquals(0, r.info().flags());
            }
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
            long off = 255 * TIB;
            byte[] data = {1, 2, 3, 4, 5, 6, 7, 8};
            assertEquals(8, b.p().pwrite(b.fd(), data, off));
            assertEquals(0x0807060504030201L, b.hw().barMemory(0).orElseThrow().read(off, 8));
            byte[] back = new byte[8];
            assertEquals(8, b.p().pread(b.fd(), back, off));
            assertArrayEquals(data, back);
        }

        @Test
        void theLastByteIsReadableAndTheEndClips() {
            long last = 256 * TIB - 1;
            ism.hw().barMemory(0).orElseThrow().write(last, 1, 0x7e);
            byte[] two = new byte[2];
            assertEquals(1, ism.p().pread(ism.fd(), two, last));
            assertEquals(0x7e, two[0]);
            assertEquals(Errno.EINVAL, errno(() -> ism.p().pread(ism.fd(), new byte[1], 256 * TIB)));
        }

        @Test
        void aVfioPciConfigOffsetIsJustBar0Here() {
            ism.hw().barMemory(0).orElseThrow().write(7 * TIB, 2, 0xbeef);
            byte[] b = new byte[2];
            assertEquals(2, ism.p().pread(ism.fd(), b, 7L << 40));
            assertEquals(0xbeef, LE.getU16(b, 0));
        }

        @Test
        void configSpaceAtIndex7Shifted48() {
            byte[] id = new byte[4];
            assertEquals(4, ism.p().pread(ism.fd(), id, CONFIG));
            assertEquals(0x04ed1014L, LE.getU32(id, 0));
            assertEquals(Errno.EFAULT, errno(() -> ism.p().pread(ism.fd(), new byte[4], CONFIG + 4096)));
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
            assertEquals(4096, ism.p().pwrite(ism.fd(), new byte[4096], 3 * 4096));
            assertEquals(Errno.EINVAL, errno(() -> ism.p().pwrite(ism.fd(), new byte[16], 4090)));
            assertEquals(Errno.EINVAL, errno(() -> ism.p().pwrite(ism.fd(), new byte[4097], 0)));
            assertEquals(16, ism.p().pread(ism.fd(), new byte[16], 4090));
        }

        @Test
        void aWriteLongerThanMaxstblIsEinvalEvenInsideAPage() {
            Booted small = on(Arch.X86_64, SMALL_STBL);
            assertEquals(256, small.p().pwrite(small.fd(), new byte[256], 4096));
            assertEquals(Errno.EINVAL, errno(() -> small.p().pwrite(small.fd(), new byte[257], 4096)));
        }

        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"ARM64_64K"})
        void thePageCheckIsS390sFourKibWhateverTheHostPage(Arch a) {
            Booted b = on(a);
            assertEquals(Errno.EINVAL, errno(() -> b.p().pwrite(b.fd(), new byte[16], 4090)));
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
            assertFalse(b.regionInfo(0).info().hasFlag(VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP));
        }

        @Test
        void onI386Index1AndUpIsBeyondMmapReach() {
            Booted b = on(Arch.I386);
            // 7 << 48: past mmap2's 32-bit page number, refused by glibc's mmap64.
            assertEquals(Errno.EINVAL, errno(() -> b.p().mmap(0, 4096, Mman.PROT_READ,
                    Mman.MAP_SHARED, b.fd(), CONFIG)));
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
            assertEquals(-Errno.EFAULT, f.read(UserBuffer.allocate(4), 8, 0));
            assertEquals(-Errno.EFAULT, f.write(UserBuffer.allocate(4), 8, 0));
            assertEquals(0L, ism.hw().barMemory(0).orElseThrow().read(0, 8));
        }
    }
}
