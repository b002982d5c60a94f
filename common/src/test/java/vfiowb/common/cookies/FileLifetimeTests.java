package vfiowb.common.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceIoeventfd;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.OpenFile;
import vfiowb.common.userspace.Process;

/**
 * How long a file's tree of mmap cookies lives and whom its cookies serve, written once for
 * every stage with the tree (stage 3 on) and run through a one-line subclass per stage:
 * <ul>
 *   <li>a mapping holds its file: it keeps working after the descriptor is closed, through a
 *       split, a fork and a reset, and only when the last VMA is gone is the file released,
 *       its tree empty;</li>
 *   <li>a cookie belongs to one file: its offset is nothing on another file of the same
 *       device (-ENXIO for mmap, -EINVAL for read, write and ioeventfd, as the core answers an
 *       offset no cookie covers), or that file's own region when its tree has one there; and
 *       it never reaches another device.</li>
 * </ul>
 * Everything goes through the syscall boundary.
 */
public abstract class FileLifetimeTests {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final SeriesPolicy PACKED_ON_ASK = SeriesPolicy.DEFAULT
            .withLayout(SeriesPolicy.Layout.PACKED).withCreate(SeriesPolicy.Create.REGION_INFO);

    private final Stage stage;
    private final Set<String> cookieTables;

    /**
     * @param stage the stage under test
     * @param cookieTables the ops tables this stage has on the cookie path
     */
    protected FileLifetimeTests(Stage stage, Set<String> cookieTables) {
        this.stage = stage;
        this.cookieTables = Set.copyOf(cookieTables);
    }

    private Process boot(SeriesPolicy policy, String... devices) {
        List<DeviceSpec> specs = new ArrayList<>();
        for (String d : devices) {
            specs.add(DeviceCatalogue.byName(d).orElseThrow());
        }
        return new Process(stage.boot(Arch.X86_64, specs, policy));
    }

    private static long offset(Process p, int fd, long index) {
        return CookieTreeTests.offset(p, fd, index);
    }

    private static int errno(Runnable r) {
        return assertThrows(ErrnoException.class, r::run).errno();
    }

    private static long cookies(OpenFile f) {
        return f.kernelFile().mmapCookieCount();
    }

    /** The first region of a file that userspace may map, and where in it: as QEMU asks. */
    private record Mappable(long index, long offset, int prot) {}

    private static Mappable firstMappable(Process p, int fd) {
        for (long i = 0; i < 16; i++) {
            RegionInfoReply r;
            try {
                r = CookieTreeTests.regionInfo(p, fd, i);
            } catch (ErrnoException e) {
                continue;
            }
            VfioRegionInfo info = r.info();
            if ((info.flags() & VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP) == 0 || info.size() == 0) {
                continue;
            }
            long area = r.sparseMmap().filter(c -> !c.areas().isEmpty())
                    .map(c -> c.areas().get(0).offset()).orElse(0L);
            int prot = ((info.flags() & VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ) != 0
                    ? Mman.PROT_READ : 0)
                    | ((info.flags() & VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE) != 0
                    ? Mman.PROT_WRITE : 0);
            return new Mappable(i, info.offset() + area, prot);
        }
        return null;
    }

    @Nested
    class Lifetime {
        @Test
        void onEveryCookieDeviceAMappingOutlivesTheCloseAndTheTreeGoesWithTheLastMapping() {
            int checked = 0;
            for (DeviceSpec spec : DeviceCatalogue.all()) {
                if (!cookieTables.contains(spec.opsTable())) {
                    continue;
                }
                Process p = boot(SeriesPolicy.DEFAULT, spec.name());
                int fd = p.open(spec.name());
                Mappable at = firstMappable(p, fd);
                if (at == null) {
                    continue;
                }
                OpenFile file = p.file(fd);
                Mapping m = p.mmap(0, Arch.X86_64.pageSize(), at.prot(), Mman.MAP_SHARED, fd,
                        at.offset());
                p.close(fd);
                if ((at.prot() & Mman.PROT_READ) != 0) {
                    m.load(0, 4);
                }
                if (at.prot() == RW) {
                    m.store(0x10, 4, 0x5a5a1234L);
                    assertEquals(0x5a5a1234L, m.load(0x10, 4), spec.name());
                }
                assertFalse(file.isReleased(), spec.name() + ": the VMA holds the file");
                assertTrue(cookies(file) > 0, spec.name() + ": its tree is alive");
                p.munmap(m);
                assertTrue(file.isReleased(), spec.name());
                assertEquals(0, cookies(file), spec.name() + ": the tree died with the file");
                checked++;
            }
            assertTrue(checked >= 5, "mapped " + checked + " devices");
        }

        @Test
        void aClosedFileWithMappingsReachesTheDeviceAsAnOpenFileSeesIt() {
            Process p = boot(SeriesPolicy.DEFAULT, "nic-vf");
            int fd = p.open("nic-vf");
            Mapping m = p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, fd, offset(p, fd, 0));
            p.close(fd);
            m.store(0x40, 4, 0xfeedL);
            int other = p.open("nic-vf");
            byte[] back = new byte[4];
            p.pread(other, back, offset(p, other, 0) + 0x40);
            assertEquals(0xed, back[0] & 0xff, "the BAR itself, through another file");
            assertEquals(0xfe, back[1] & 0xff);
        }

        @Test
        void twoMappingsHoldTheFileUntilTheSecondGoes() {
            Process p = boot(SeriesPolicy.DEFAULT, "gpu-64g");
            int fd = p.open("gpu-64g");
            OpenFile file = p.file(fd);
            Mapping a = p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, fd, offset(p, fd, 0));
            Mapping b = p.mmap(0, 0x2000, RW, Mman.MAP_SHARED, fd, offset(p, fd, 3));
            p.close(fd);
            p.munmap(a);
            assertFalse(file.isReleased(), "b still maps BAR3");
            b.store(0x1000, 8, 0x0123456789abcdefL);
            assertEquals(0x0123456789abcdefL, b.load(0x1000, 8));
            p.munmap(b);
            assertTrue(file.isReleased());
            assertEquals(0, cookies(file));
        }

        @Test
        void aSplitMappingHoldsTheFileWithEitherHalf() {
            Process p = boot(SeriesPolicy.DEFAULT, "nic-vf");
            int fd = p.open("nic-vf");
            OpenFile file = p.file(fd);
            Mapping m = p.mmap(0, 0x4000, RW, Mman.MAP_SHARED, fd, offset(p, fd, 3));
            p.close(fd);
            p.munmap(m.addr() + 0x1000, 0x2000);
            assertFalse(file.isReleased(), "two pieces left");
            p.munmap(m.addr(), 0x1000);
            assertFalse(file.isReleased(), "the last page still maps BAR3");
            p.munmap(m.addr() + 0x3000, 0x1000);
            assertTrue(file.isReleased());
            assertEquals(0, cookies(file));
        }

        @Test
        void aForkedChildsCopyHoldsTheFileAfterTheParentLetsGo() {
            Process p = boot(SeriesPolicy.DEFAULT, "nic-vf");
            int fd = p.open("nic-vf");
            OpenFile file = p.file(fd);
            Mapping m = p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, fd, offset(p, fd, 0));
            m.store(0x20, 4, 0x77L);
            Process child = p.fork();
            p.munmap(m);
            p.close(fd);
            p.exit();
            assertFalse(file.isReleased(), "the child's descriptor and VMA");
            Mapping cm = child.mappings().get(0);
            assertEquals(0x77L, cm.load(0x20, 4));
            child.exit();
            assertTrue(file.isReleased());
            assertEquals(0, cookies(file));
        }

        @Test
        void aResetRevokesAClosedFilesMappingWhichFaultsBackInUntilMunmap() {
            Process p = boot(SeriesPolicy.DEFAULT, "gpu-64g");
            int fd = p.open("gpu-64g");
            OpenFile file = p.file(fd);
            Mapping m = p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, fd, offset(p, fd, 0));
            m.load(0, 4);
            p.close(fd);
            int other = p.open("gpu-64g");
            p.ioctl(other, VfioIoctl.VFIO_DEVICE_RESET, 0L);
            assertEquals(0L, m.pageTableEntries().values().stream().mapToLong(Long::longValue)
                    .sum(), "the reset zapped the closed file's mapping too");
            m.store(0, 4, 0x99L);
            assertEquals(0x99L, m.load(0, 4), "and it faults back in");
            p.munmap(m);
            assertTrue(file.isReleased());
            assertEquals(0, cookies(file));
        }

        @Test
        void aCdevFilesTreeComesWithTheBindAndGoesWithTheFile() {
            Process p = boot(SeriesPolicy.DEFAULT.withCreate(SeriesPolicy.Create.OPEN), "nic-vf");
            int fd = p.openCdev("nic-vf");
            OpenFile file = p.file(fd);
            assertEquals(0, cookies(file), "nothing before the device is open");
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_BIND_IOMMUFD,
                    vfiowb.common.uapi.VfioDeviceBindIommufd.of(3).encode());
            assertEquals(3, cookies(file), "BAR0, BAR3 and config, as a group open places them");
            Mapping m = p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, fd, offset(p, fd, 0));
            p.close(fd);
            assertEquals(3, cookies(file));
            p.munmap(m);
            assertTrue(file.isReleased());
            assertEquals(0, cookies(file));
        }
    }

    @Nested
    class Isolation {
        @Test
        void aCookieOfOneFileMeansNothingOnAnotherWithoutOne() {
            Process p = boot(PACKED_ON_ASK, "nic-vf");
            int a = p.open("nic-vf");
            int b = p.open("nic-vf");
            long bar3a = offset(p, a, 3);
            assertEquals(Errno.ENXIO, errno(() -> p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, b,
                    bar3a)), "file b has no cookie there");
            assertEquals(Errno.EINVAL, errno(() -> p.pread(b, new byte[4], bar3a)));
            assertEquals(Errno.EINVAL, errno(() -> p.pwrite(b, new byte[4], bar3a)));
            byte[] ev = VfioDeviceIoeventfd.of(VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_32, bar3a,
                    1, 9).encode();
            assertEquals(Errno.EINVAL, errno(() -> p.ioctl(b, VfioIoctl.VFIO_DEVICE_IOEVENTFD, ev)),
                    "ioeventfd's offset goes through the same tree");
            assertEquals(0, p.file(b).kernelFile().mmapCookieCount(), "b's tree untouched");
            p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, a, bar3a);
        }

        @Test
        void onAnotherFileTheSameOffsetIsThatFilesOwnRegion() {
            // e1000e's BAR0 and BAR1 are both 128 KiB: asked first, each lands at the same pgoff.
            Process p = boot(PACKED_ON_ASK, "e1000e");
            int a = p.open("e1000e");
            int b = p.open("e1000e");
            long bar0a = offset(p, a, 0);
            long bar1b = offset(p, b, 1);
            assertEquals(bar0a, bar1b, "the test needs a's BAR0 where b has BAR1");
            assertEquals(4, p.pwrite(a, new byte[] {0, 0, 0, 0x10}, bar0a + 0x100));
            assertEquals(4, p.pwrite(b, new byte[] {0, 0, 0, 0x11}, bar1b + 0x100));
            Mapping ma = p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, a, bar0a);
            Mapping mb = p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, b, bar0a);
            assertEquals(0x10000000L, ma.load(0x100, 4), "a's cookie: BAR0");
            assertEquals(0x11000000L, mb.load(0x100, 4), "the same offset on b: b's BAR1");
            long bar0b = offset(p, b, 0);
            assertNotEquals(bar0a, bar0b);
            byte[] back = new byte[4];
            p.pread(b, back, bar0b + 0x100);
            assertEquals(0x10, back[3], "BAR0 is where b's own tree put it");
        }

        @ParameterizedTest
        @EnumSource(SeriesPolicy.Layout.class)
        void aCookieOfOneDeviceNeverReachesAnother(SeriesPolicy.Layout layout) {
            Process p = boot(SeriesPolicy.DEFAULT.withLayout(layout), "nic-vf", "e1000e");
            int nic = p.open("nic-vf");
            int e1k = p.open("e1000e");
            long bar0 = offset(p, nic, 0);
            Mapping m = p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, nic, bar0);
            m.store(0x200, 4, 0xabcd0123L);
            Mapping other;
            try {
                other = p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, e1k, bar0);
            } catch (ErrnoException e) {
                assertEquals(Errno.ENXIO, e.errno(), "no cookie there on the other device");
                return;
            }
            // Where the other device's file has a cookie at that offset, it is that device's own
            // region: the NIC's BAR is not behind it.
            assertNotEquals(0xabcd0123L, other.load(0x200, 4));
            other.store(0x200, 4, 0x1111L);
            assertEquals(0xabcd0123L, m.load(0x200, 4), "the NIC's BAR is untouched");
        }
    }
}
