package vfiowb.common.wc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vfiowb.common.conformance.Transcript;
import vfiowb.common.conformance.clients.DpdkWcClient;
import vfiowb.common.conformance.clients.Mlx5WcClient;
import vfiowb.common.conformance.clients.QatlibClient;
import vfiowb.common.conformance.clients.QemuClient;
import vfiowb.common.conformance.clients.WcMapper;
import vfiowb.common.conformance.clients.WcProbe;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.mm.PgProt;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.VfioHost;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.WcUapi;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.SigbusException;

/**
 * A write-combining variant of stage 5 as userspace sees it (issue 14), written once and run by
 * each variant module through a one-line subclass: the clients that want WC, the old clients that
 * must not notice, every refusal with its errno, and revocation of every WC mapping of every file
 * and every dma-buf on reset and on memory disable. Where the three designs differ by intent the
 * expectation says which and why; everything else must hold for all three.
 */
public abstract class WcVariantTests {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;

    private final Stage stage;
    private final WcUapi uapi;
    private final WcMapper mapper;

    protected WcVariantTests(Stage stage) {
        this.stage = stage;
        this.uapi = WcUapi.byVariant(stage.variant());
        if (uapi == null) {
            throw new IllegalArgumentException(stage.label() + " is no WC variant");
        }
        this.mapper = WcMapper.of(uapi);
    }

    private VfioHost host(Arch arch, SeriesPolicy policy, String... devices) {
        List<DeviceSpec> specs = new ArrayList<>();
        for (String d : devices) {
            specs.add(DeviceCatalogue.byName(d).orElseThrow());
        }
        return stage.boot(arch, specs, policy);
    }

    private Process boot(String device) {
        return new Process(host(Arch.X86_64, SeriesPolicy.DEFAULT, device));
    }

    private static int errno(Runnable r) {
        return assertThrows(ErrnoException.class, r::run).errno();
    }

    private static long offset(Process p, int fd, long index) {
        byte[] buf = VfioRegionInfo.request(index, 64);
        p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf);
        return RegionInfoReply.decode(buf).info().offset();
    }

    private static long numRegions(Process p, int fd) {
        byte[] dev = new VfioDeviceInfo(VfioDeviceInfo.SIZE, 0, 0, 0, 0, 0).encode();
        p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_INFO, dev);
        return VfioDeviceInfo.decode(dev, 0).numRegions();
    }

    private static void setMemoryDecode(Process p, int fd, boolean on) {
        long cfg = offset(p, fd, 7);
        byte[] cmd = new byte[2];
        assertEquals(2, p.pread(fd, cmd, cfg + 4));
        cmd[0] = (byte) (on ? cmd[0] | 0x2 : cmd[0] & ~0x2);
        assertEquals(2, p.pwrite(fd, cmd, cfg + 4));
    }

    @Nested
    class Clients {
        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "ARM64_4K"})
        void dpdkBurstsIntoWriteCombinedLlqAndRingsAnUncachedDoorbell(Arch arch) {
            Process p = new Process(host(arch, SeriesPolicy.DEFAULT, "ena-llq"));
            Transcript t = new Transcript("dpdk-wc");
            DpdkWcClient.Report r = new DpdkWcClient(uapi).report(p, "ena-llq", t);
            assertTrue(r.passed(), () -> r.failure() + "\n" + t);
            assertEquals(PgProt.WC, r.llqProbe().vma());
            assertEquals(PgProt.UC, r.doorbellProbe().vma());
            assertEquals(PgProt.UC, r.doorbellProbe().pte());
            if (arch.hasPat()) {
                assertEquals(PgProt.UC, r.llqProbe().pte(), "x86 PAT: nobody reserved the BAR WC, "
                        + "so track_pfn_insert gives the fault UC-");
            } else {
                assertEquals(PgProt.WC, r.llqProbe().pte());
                assertEquals("Normal-NC", r.llqProbe().memoryType());
            }
        }

        @Test
        void mlx5MapsOneBarUncachedAndWriteCombinedAtOnce() {
            Process p = new Process(host(Arch.ARM64_4K, SeriesPolicy.DEFAULT, "mlx5-vf"));
            Transcript t = new Transcript("mlx5-wc");
            Mlx5WcClient.Report r = new Mlx5WcClient(uapi).report(p, "mlx5-vf", t);
            assertTrue(r.passed(), () -> r.failure() + "\n" + t);
            assertEquals(PgProt.UC, r.uc().pte());
            assertEquals(PgProt.WC, r.wc().pte());
            assertEquals(2, p.mappings().size(), "both mappings alive at once");
        }

        @Test
        void theSameRequestTwiceGivesTheSameAnswerAndNeverGrowsTheFile() {
            Process p = boot("ena-llq");
            int fd = p.open("ena-llq");
            WcMapper.Result a = mapper.mapWc(p, fd, 2, 0, 0x1000);
            long cookies = p.file(fd).kernelFile().mmapCookieCount();
            WcMapper.Result b = mapper.mapWc(p, fd, 2, 0, 0x1000);
            if (uapi == WcUapi.DMABUF) {
                assertNotEquals(a.fd(), b.fd(), "each export is a dma-buf of its own");
            } else {
                assertEquals(a.fileOffset(), b.fileOffset(), "immutable: the same cookie or alias");
            }
            assertEquals(cookies, p.file(fd).kernelFile().mmapCookieCount());
        }
    }

    @Nested
    class OldClients {
        /** A QEMU or qatlib transcript on {@code device}, while another file holds a WC mapping. */
        private List<String> transcript(String client, String device, boolean otherWc) {
            VfioHost host = host(Arch.X86_64, SeriesPolicy.DEFAULT, device);
            if (otherWc) {
                Process other = new Process(host);
                int fd = other.open(device);
                mapper.mapWc(other, fd, 2, 0, 0x1000);
            }
            Process p = new Process(host);
            Transcript t = new Transcript(client);
            (client.equals("qemu") ? new QemuClient() : new QatlibClient()).run(p, device, t);
            return t.lines();
        }

        @Test
        void qemuWalksTheRegionsAndFindsTheOpRegionWhateverAnotherFileMapped() {
            List<String> before = transcript("qemu", "igd", false);
            List<String> after = transcript("qemu", "igd", true);
            assertTrue(after.contains("IGD OpRegion read") && after.contains("realize complete"),
                    String.join("\n", after));
            if (uapi == WcUapi.ALIAS) {
                assertNotEquals(before, after, "the alias is a region of the device: QEMU's walk "
                        + "to num_regions meets it (no CAP_TYPE, so it is skipped)");
            } else {
                assertEquals(before, after);
            }
        }

        @Test
        void qatlibKeepsItsPositionalBarsWhateverAnotherFileMapped() {
            List<String> before = transcript("qatlib", "qat-vf", false);
            List<String> after = transcript("qatlib", "qat-vf", true);
            String pmisc = "PMISC BAR is region 2";
            assertTrue(before.stream().anyMatch(l -> l.startsWith(pmisc)), String.join("\n", before));
            assertTrue(after.stream().anyMatch(l -> l.startsWith(pmisc)), String.join("\n", after));
            if (uapi == WcUapi.ALIAS) {
                assertTrue(after.contains("num_regions 10"), "one more region to walk");
                assertTrue(after.stream().anyMatch(l -> l.startsWith("region 9: flags MMAP|CAPS, not mapped")),
                        "mmap-only, so qatlib skips it: " + after);
            } else {
                assertEquals(before, after);
            }
        }
    }

    @Nested
    class Refusals {
        private int refusal(String device, int bar, long off, long len) {
            Process p = boot(device);
            int fd = p.open(device);
            int e = errno(() -> mapper.mapWc(p, fd, bar, off, len));
            assertTrue(p.mappings().isEmpty(), "a refusal leaves nothing mapped");
            return e;
        }

        @Test
        void anIoBar() {
            assertEquals(Errno.EINVAL, refusal("e1000e", 2, 0, 0x1000));
        }

        @Test
        void configSpaceAndTheRom() {
            int expected = uapi == WcUapi.DMABUF ? Errno.ENODEV : Errno.EINVAL;
            assertEquals(expected, refusal("e1000e", 7, 0, 0x1000), "config space");
            assertEquals(expected, refusal("e1000e", 6, 0, 0x1000), "the ROM");
        }

        @Test
        void overTheMsixTableButBesideItIsFine() {
            assertEquals(Errno.EINVAL, refusal("mlx5-vf", 0, 0x2000, 0x1000));
            assertEquals(Errno.EINVAL, refusal("mlx5-vf", 0, 0, 0x4000), "a range across it");
            Process p = boot("mlx5-vf");
            int fd = p.open("mlx5-vf");
            assertNotNull(mapper.mapWc(p, fd, 0, 0x4000, 0x1000).mapping());
        }

        @Test
        void aNonPrefetchableBarOnlyWhereTheDesignForbidsIt() {
            if (uapi == WcUapi.COOKIE) {
                assertEquals(Errno.EINVAL, refusal("ena-llq", 0, 0, 0x1000),
                        "Keith Busch's rule, kept by the cookie variant");
            } else {
                Process p = boot("ena-llq");
                int fd = p.open("ena-llq");
                assertNotNull(mapper.mapWc(p, fd, 0, 0, 0x1000).mapping());
            }
        }

        @Test
        void aDeviceWhoseDriverCannotWriteCombine() {
            assertEquals(Errno.ENOTTY, refusal("platform-xgmac", 0, 0, 0x1000));
        }
    }

    @Nested
    class Revocation {
        /**
         * The GPU (a physical function: a VF's memory decode is always on) with two files, each
         * with a write-combined mapping of BAR3 through the design, and an uncached one of BAR0.
         */
        private record Setup(Process p, int a, List<Mapping> wc, Mapping uc) {}

        private Setup setup() {
            Process p = boot("gpu-64g");
            int a = p.open("gpu-64g");
            int b = p.open("gpu-64g");
            List<Mapping> wc = new ArrayList<>();
            for (int fd : new int[] {a, b}) {
                wc.add(mapper.mapWc(p, fd, 3, 0, 0x10000).mapping());
                wc.add(mapper.mapWc(p, fd, 3, 0x10000, 0x10000).mapping());
            }
            Mapping uc = p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, b, offset(p, b, 0));
            for (Mapping m : wc) {
                m.store(0x40, 4, 0x5a5a);
                assertEquals(PgProt.WC, m.pgprot());
            }
            uc.load(0, 4);
            return new Setup(p, a, wc, uc);
        }

        private static long entries(Mapping m) {
            return m.pageTableEntries().values().stream().mapToLong(Long::longValue).sum();
        }

        @Test
        void resetZapsEveryWriteCombinedMappingOfEveryFileAndTheyFaultBackIn() {
            Setup s = setup();
            for (Mapping m : s.wc()) {
                assertTrue(entries(m) > 0);
            }
            s.p().ioctl(s.a(), VfioIoctl.VFIO_DEVICE_RESET, 0L);
            for (Mapping m : s.wc()) {
                assertEquals(0, entries(m), m + " survived the reset");
            }
            assertEquals(0, entries(s.uc()));
            for (Mapping m : s.wc()) {
                m.load(0x40, 4);
                assertTrue(entries(m) > 0, "faults back in");
            }
        }

        @Test
        void memoryDisableRevokesEveryWriteCombinedMappingAndEnableRestoresThem() {
            Setup s = setup();
            setMemoryDecode(s.p(), s.a(), false);
            for (Mapping m : s.wc()) {
                assertEquals(0, entries(m), m + " survived memory disable");
                assertThrows(SigbusException.class, () -> m.load(0x40, 4));
            }
            assertThrows(SigbusException.class, () -> s.uc().load(0, 4));
            setMemoryDecode(s.p(), s.a(), true);
            for (Mapping m : s.wc()) {
                assertEquals(0x5a5a, m.load(0x40, 4) & 0xffff);
                assertEquals(PgProt.WC, WcProbe.of(m, 0x40).vma());
            }
        }
    }

    @Nested
    class Reach {
        @Test
        void perFileIsolationIsTheDesigns() {
            VfioHost host = host(Arch.X86_64, SeriesPolicy.DEFAULT, "ena-llq");
            Process a = new Process(host);
            Process b = new Process(host);
            int fa = a.open("ena-llq");
            int fb = b.open("ena-llq");
            WcMapper.Result r = mapper.mapWc(a, fa, 2, 0, 0x1000);
            switch (uapi) {
                case COOKIE:
                    assertEquals(Errno.ENXIO, errno(() -> b.mmap(0, 0x1000, RW, Mman.MAP_SHARED, fb,
                            r.fileOffset())), "another file has no such cookie");
                    break;
                case ALIAS:
                    assertEquals(10, numRegions(b, fb), "every file sees the alias");
                    assertNotNull(b.mmap(0, 0x1000, RW, Mman.MAP_SHARED, fb, offset(b, fb, 9)),
                            "and may map it");
                    break;
                default:
                    assertEquals(Errno.EBADF, errno(() -> b.mmap(0, 0x1000, RW, Mman.MAP_SHARED, r.fd(), 0)),
                            "a dma-buf is a descriptor of the process that exported it");
                    break;
            }
        }

        @Test
        void aThirtyTwoBitKernelUnderTheDefaultLayout() {
            Process p = new Process(host(Arch.I386, SeriesPolicy.DEFAULT, "ena-llq"));
            int fd = p.open("ena-llq");
            if (uapi == WcUapi.DMABUF) {
                assertNotNull(mapper.mapWc(p, fd, 2, 0, 0x1000).mapping(),
                        "a dma-buf maps from offset 0 of its own file");
            } else {
                assertEquals(Errno.EOVERFLOW, errno(() -> mapper.mapWc(p, fd, 2, 0, 0x1000)),
                        "placed above the fixed 1 TiB slots: past file_mmap_ok's 4 GiB");
            }
            Process packed = new Process(host(Arch.I386, SeriesPolicy.DEFAULT
                    .withLayout(SeriesPolicy.Layout.PACKED), "ena-llq"));
            int pf = packed.open("ena-llq");
            assertNotNull(mapper.mapWc(packed, pf, 2, 0, 0x1000).mapping(), "packed: below 4 GiB");
        }

        @Test
        void whatADebuggerSeesOfTheMapping() {
            Process p = boot("ena-llq");
            int fd = p.open("ena-llq");
            WcMapper.Result r = mapper.mapWc(p, fd, 2, 0, 0x1000);
            String file = p.file(r.fd()).kernelFile().name();
            switch (uapi) {
                case COOKIE:
                    assertEquals(p.file(fd).kernelFile().name(), file, "/proc/PID/maps: the device");
                    assertNotEquals(offset(p, fd, 2), r.fileOffset(), "REGION_INFO knows nothing "
                            + "of the WC cookie: only its offset tells it from BAR2's");
                    break;
                case ALIAS:
                    assertEquals(p.file(fd).kernelFile().name(), file);
                    assertTrue(r.region().contains("CAP_ALIAS index 2 flags 0x1"), r.region());
                    break;
                default:
                    assertTrue(file.startsWith("dmabuf:"), "/proc/PID/maps names the dma-buf: " + file);
                    break;
            }
        }
    }
}
