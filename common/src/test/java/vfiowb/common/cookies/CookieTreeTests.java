package vfiowb.common.cookies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
import vfiowb.common.mm.PageTable;
import vfiowb.common.mm.VmArea;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.SigbusException;

/**
 * The per-file tree of mmap cookies as userspace sees it, written once for every stage that has
 * it (stage 3 on): a stage module subclasses this with its stage and the ops tables on the cookie
 * path. Everything goes through the syscall boundary; what a cookie is inside the kernel is
 * never looked at, only what a process can observe: offsets, mapping outcomes, faults, page-table
 * entries, and the number of ranges the file's tree holds.
 */
public abstract class CookieTreeTests {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final long TIB = 1L << 40;
    private static final long GIB = 1L << 30;

    private final Stage stage;
    private final Set<String> cookieTables;

    /**
     * @param stage the stage under test
     * @param cookieTables the ops tables this stage has on the cookie path
     */
    protected CookieTreeTests(Stage stage, Set<String> cookieTables) {
        this.stage = stage;
        this.cookieTables = Set.copyOf(cookieTables);
    }

    // ------------------------------------------------------------------ helpers

    private Process boot(String device, Arch arch, SeriesPolicy policy) {
        DeviceSpec spec = DeviceCatalogue.byName(device).orElseThrow();
        return new Process(stage.boot(arch, List.of(spec), policy));
    }

    static RegionInfoReply regionInfo(Process p, int fd, long index) {
        byte[] buf = VfioRegionInfo.request(index, 32);
        p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf);
        RegionInfoReply r = RegionInfoReply.decode(buf);
        if (r.needsLargerBuffer()) {
            buf = VfioRegionInfo.request(index, (int) r.info().argsz());
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf);
            r = RegionInfoReply.decode(buf);
        }
        return r;
    }

    static long offset(Process p, int fd, long index) {
        return regionInfo(p, fd, index).info().offset();
    }

    static long cookies(Process p, int fd) {
        return p.file(fd).kernelFile().mmapCookieCount();
    }

    static int errno(Runnable r) {
        return assertThrows(ErrnoException.class, r::run).errno();
    }

    /** Every region the device reports with bytes: index to (offset, size, flags). */
    static Map<Long, VfioRegionInfo> regions(Process p, int fd, int count) {
        Map<Long, VfioRegionInfo> out = new TreeMap<>();
        for (long i = 0; i < count; i++) {
            try {
                VfioRegionInfo info = regionInfo(p, fd, i).info();
                if (info.size() != 0) {
                    out.put(i, info);
                }
            } catch (ErrnoException e) {
                // EINVAL for an index the device lacks; on a 32-bit kernel a region the keys
                // cannot hold (ism's 256 TiB BAR0) has no cookie and says so.
                assertTrue(e.errno() == Errno.EINVAL || p.arch().is32Bit()
                        && (e.errno() == Errno.EOVERFLOW || e.errno() == Errno.ENOSPC),
                        "region " + i + ": " + e.errnoName());
            }
        }
        return out;
    }

    /** Jason's alignment: min(PUD_SIZE, the largest power of two not above the size), >= a page. */
    static long align(Arch arch, long size) {
        long pow2 = Long.highestOneBit(Math.max(size, arch.pageSize()));
        return Math.min(pow2, arch.pudSize());
    }

    private static void setMemoryDecode(Process p, int fd, long configOffset, boolean on) {
        byte[] cmd = new byte[2];
        assertEquals(2, p.pread(fd, cmd, configOffset + 4));
        cmd[0] = (byte) (on ? cmd[0] | 0x2 : cmd[0] & ~0x2);
        assertEquals(2, p.pwrite(fd, cmd, configOffset + 4));
    }

    private boolean onCookiePath(String device) {
        return cookieTables.contains(DeviceCatalogue.byName(device).orElseThrow().opsTable());
    }

    /** The catalogue devices of the tables on the cookie path. */
    private List<DeviceSpec> cookieDevices() {
        return DeviceCatalogue.all().stream().filter(s -> cookieTables.contains(s.opsTable()))
                .toList();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void theCatalogueHasTheDevicesTheseTestsUse() {
        for (String d : List.of("nic-vf", "cxl-2t", "ivshmem-1t", "gpu-64g")) {
            assertTrue(onCookiePath(d), d + " is not on the cookie path of stage " + stage.number());
        }
    }

    @Nested
    class Idempotence {
        @ParameterizedTest
        @EnumSource(SeriesPolicy.Create.class)
        void repeatedRegionInfoGivesTheSameCookieAndNeverGrowsTheTree(SeriesPolicy.Create create) {
            Process p = boot("nic-vf", Arch.X86_64, SeriesPolicy.DEFAULT.withCreate(create)
                    .withLayout(SeriesPolicy.Layout.PACKED));
            int fd = p.open("nic-vf");
            Map<Long, VfioRegionInfo> first = regions(p, fd, 9);
            long count = cookies(p, fd);
            assertEquals(first.size(), count, "one cookie per region with bytes");
            for (int round = 0; round < 200; round++) {
                for (Map.Entry<Long, VfioRegionInfo> e : first.entrySet()) {
                    assertEquals(e.getValue().offset(), offset(p, fd, e.getKey()));
                }
            }
            assertEquals(count, cookies(p, fd));
        }

        @Test
        void aRegionWithoutBytesHasNoCookie() {
            Process p = boot("nic-vf", Arch.X86_64, SeriesPolicy.DEFAULT);
            int fd = p.open("nic-vf");
            long before = cookies(p, fd);
            RegionInfoReply bar1 = regionInfo(p, fd, 1);
            assertEquals(0, bar1.info().size());
            assertEquals(before, cookies(p, fd));
        }

        @Test
        void createAtOpenPlacesEveryRegionBeforeAnyQuestion() {
            Process p = boot("nic-vf", Arch.X86_64, SeriesPolicy.DEFAULT
                    .withCreate(SeriesPolicy.Create.OPEN));
            int fd = p.open("nic-vf");
            assertEquals(3, cookies(p, fd), "BAR0, BAR3 and config");
            Process q = boot("nic-vf", Arch.X86_64, SeriesPolicy.DEFAULT
                    .withCreate(SeriesPolicy.Create.REGION_INFO));
            int fq = q.open("nic-vf");
            assertEquals(0, cookies(q, fq));
            regionInfo(q, fq, 7);
            assertEquals(1, cookies(q, fq));
        }
    }

    @Nested
    class Layouts {
        @ParameterizedTest
        @EnumSource(SeriesPolicy.Align.class)
        void legacyKeepsIndexShift40WhereTheRegionFits(SeriesPolicy.Align a) {
            Process p = boot("ivshmem-1t", Arch.X86_64, SeriesPolicy.DEFAULT.withAlign(a));
            int fd = p.open("ivshmem-1t");
            assertEquals(0L, offset(p, fd, 0));
            assertEquals(2 * TIB, offset(p, fd, 2), "a region of exactly 1 TiB fits its slot");
            assertEquals(7 * TIB, offset(p, fd, 7));
        }

        @ParameterizedTest
        @EnumSource(value = SeriesPolicy.Align.class, names = {"SEARCH", "OVERSIZE"})
        void legacyPlacesARegionOverOneTibAboveEveryFixedSlotAligned(SeriesPolicy.Align a) {
            Process p = boot("cxl-2t", Arch.X86_64, SeriesPolicy.DEFAULT.withAlign(a));
            int fd = p.open("cxl-2t");
            long bar2 = offset(p, fd, 2);
            assertTrue(Long.compareUnsigned(bar2, 9 * TIB) >= 0, Long.toHexString(bar2));
            assertEquals(0, bar2 % GIB, "aligned to PUD_SIZE");
            assertEquals(0L, offset(p, fd, 0));
            assertEquals(7 * TIB, offset(p, fd, 7));
        }

        @ParameterizedTest
        @EnumSource(value = SeriesPolicy.Align.class, names = {"SEARCH", "OVERSIZE"})
        void packedIsDenseAlignedAndDisjointOnEveryCookieDevice(SeriesPolicy.Align a) {
            for (DeviceSpec spec : cookieDevices()) {
                for (SeriesPolicy.Create c : SeriesPolicy.Create.values()) {
                    SeriesPolicy pol = SeriesPolicy.DEFAULT.withLayout(SeriesPolicy.Layout.PACKED)
                            .withAlign(a).withCreate(c);
                    Process p = boot(spec.name(), Arch.X86_64, pol);
                    int fd = p.open(spec.name());
                    Map<Long, VfioRegionInfo> rs = regions(p, fd, 16);
                    long used = 0;
                    List<long[]> ranges = new ArrayList<>();
                    for (VfioRegionInfo r : rs.values()) {
                        long len = Arch.X86_64.pageAlign(r.size());
                        assertEquals(0, r.offset() % align(Arch.X86_64, r.size()),
                                spec.name() + " " + pol + ": region " + r.index() + " at 0x"
                                        + Long.toHexString(r.offset()));
                        ranges.add(new long[] {r.offset(), r.offset() + len});
                        used += align(Arch.X86_64, r.size()) > len ? align(Arch.X86_64, r.size())
                                : len;
                    }
                    ranges.sort((x, y) -> Long.compareUnsigned(x[0], y[0]));
                    for (int i = 1; i < ranges.size(); i++) {
                        assertTrue(ranges.get(i - 1)[1] <= ranges.get(i)[0],
                                spec.name() + " " + pol + ": cookies overlap");
                    }
                    long end = ranges.isEmpty() ? 0 : ranges.get(ranges.size() - 1)[1];
                    // Dense: nothing past what the aligned sizes need, counted generously (each
                    // cookie may waste up to its own alignment once before it).
                    assertTrue(end <= 2 * used, spec.name() + " " + pol + ": ends at 0x"
                            + Long.toHexString(end) + " for 0x" + Long.toHexString(used));
                }
            }
        }
    }

    @Nested
    class OldUserspace {
        /** qatlib-style: write config at the hard-coded {@code 7 << 40} before any REGION_INFO. */
        private long hardCodedConfigWrite(SeriesPolicy pol) {
            Process p = boot("nic-vf", Arch.X86_64, pol);
            int fd = p.open("nic-vf");
            return p.pwrite(fd, new byte[] {6, 0}, 7 * TIB + 4);
        }

        @Test
        void keepsWorkingOnlyUnderLegacyWithCookiesMadeAtOpen() {
            assertEquals(2, hardCodedConfigWrite(SeriesPolicy.DEFAULT
                    .withLayout(SeriesPolicy.Layout.LEGACY).withCreate(SeriesPolicy.Create.OPEN)));
            for (SeriesPolicy pol : List.of(
                    SeriesPolicy.DEFAULT.withCreate(SeriesPolicy.Create.REGION_INFO),
                    SeriesPolicy.DEFAULT.withLayout(SeriesPolicy.Layout.PACKED),
                    SeriesPolicy.DEFAULT.withLayout(SeriesPolicy.Layout.PACKED)
                            .withCreate(SeriesPolicy.Create.REGION_INFO))) {
                assertEquals(Errno.EINVAL, errno(() -> hardCodedConfigWrite(pol)), pol.toString());
            }
        }
    }

    @Nested
    class PastTheEnd {
        @ParameterizedTest
        @EnumSource(SeriesPolicy.Layout.class)
        void anAccessJustPastARegionReachesItsDriverNotTheNextRegion(SeriesPolicy.Layout l) {
            Process p = boot("nic-vf", Arch.X86_64, SeriesPolicy.DEFAULT.withLayout(l));
            int fd = p.open("nic-vf");
            long bar3 = offset(p, fd, 3);
            long cfg = offset(p, fd, 7);
            assertEquals(Errno.EINVAL, errno(() -> p.pread(fd, new byte[4], bar3 + 0x4000)),
                    "vfio_pci_bar_rw: past the BAR");
            assertEquals(Errno.EFAULT, errno(() -> p.pread(fd, new byte[1], cfg + 0x1000)),
                    "vfio_pci_config_rw: past config space");
        }
    }

    @Nested
    class Mmap {
        @Test
        void anOffsetNoCookieCoversIsEnxio() {
            Process p = boot("nic-vf", Arch.X86_64, SeriesPolicy.DEFAULT);
            int fd = p.open("nic-vf");
            assertEquals(Errno.ENXIO, errno(() -> p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, fd,
                    1 * TIB)), "BAR1 has no bytes, so no cookie");
            assertEquals(Errno.ENXIO, errno(() -> p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, fd,
                    20 * TIB)));
        }

        @ParameterizedTest
        @EnumSource(SeriesPolicy.Create.class)
        void underPackedARegionWithoutBytesReportsAnOffsetThatNamesNothing(
                SeriesPolicy.Create create) {
            Process p = boot("nic-vf", Arch.X86_64, SeriesPolicy.DEFAULT
                    .withLayout(SeriesPolicy.Layout.PACKED).withCreate(create));
            int fd = p.open("nic-vf");
            regions(p, fd, 9);
            RegionInfoReply bar1 = regionInfo(p, fd, 1);
            assertEquals(0, bar1.info().size());
            assertEquals(0L, bar1.info().offset());
            assertEquals(Errno.ENXIO, errno(() -> p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, fd, 0)),
                    "page 0 is never a cookie");
            assertEquals(Errno.EINVAL, errno(() -> p.pread(fd, new byte[4], 0)));
        }

        @Test
        void aMappingThatLeavesItsCookieIsEnxioAndOneInsideMaps() {
            Process p = boot("nic-vf", Arch.X86_64, SeriesPolicy.DEFAULT);
            int fd = p.open("nic-vf");
            long bar0 = offset(p, fd, 0);
            assertEquals(Errno.ENXIO, errno(() -> p.mmap(0, 0x11000, RW, Mman.MAP_SHARED, fd,
                    bar0)), "one page past the 64 KiB BAR");
            assertEquals(Errno.ENXIO, errno(() -> p.mmap(0, 0x2000, RW, Mman.MAP_SHARED, fd,
                    bar0 + 0xf000)));
            Mapping m = p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, fd, bar0 + 0xf000);
            assertEquals(0x1000, m.length());
        }

        @ParameterizedTest
        @EnumSource(SeriesPolicy.Layout.class)
        void aMappingStartingPastTheRegionInsideItsTreeRangeIsEnxio(SeriesPolicy.Layout l) {
            Process p = boot("nic-vf", Arch.X86_64, SeriesPolicy.DEFAULT.withLayout(l));
            int fd = p.open("nic-vf");
            long bar0 = offset(p, fd, 0);
            for (long past : new long[] {0x10000, 0x12000}) {
                assertEquals(Errno.ENXIO, errno(() -> p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, fd,
                        bar0 + past)), "the guard page or the rest of the slot, 0x"
                                + Long.toHexString(past) + " into a 64 KiB BAR");
            }
        }

        @Test
        void theCheckIsInPagesNotTheSketchsAddressComparison() {
            Process p = boot("nic-vf", Arch.X86_64, SeriesPolicy.DEFAULT);
            int fd = p.open("nic-vf");
            long bar0 = offset(p, fd, 0);
            long bar0Pgoff = bar0 >>> 12;
            long bar0Pages = 16;
            // A whole-BAR mapping at an ordinary address: inside its cookie. The address check
            // refuses it, since 0x7f.. is nowhere near the cookie's pgoff.
            Mapping whole = p.mmap(0, 0x10000, RW, Mman.MAP_SHARED, fd, bar0);
            assertFalse(sketchAccepts(whole.vma(), bar0Pgoff, bar0Pages));
            assertTrue(pageCheckAccepts(whole.vma(), bar0Pgoff, bar0Pages));
            // A mapping of BAR3's cookie at a low fixed address equal to BAR0's pgoff in bytes:
            // the address check looks only at the address and would accept it for BAR0's
            // cookie, though its pgoff names another region entirely.
            long bar3 = offset(p, fd, 3);
            Mapping low = p.mmap(0x10000, 0x1000, RW, Mman.MAP_SHARED | Mman.MAP_FIXED, fd, bar3);
            VmArea v = low.vma();
            assertTrue(sketchAccepts(v, 0x10000L, bar0Pages), "the address check's verdict");
            assertFalse(pageCheckAccepts(v, bar0Pgoff, bar0Pages), "the right verdict");
        }

        /** The core's check: the VMA's pages lie inside the cookie's, all in pgoff units. */
        private boolean pageCheckAccepts(VmArea v, long objPgoff, long objPages) {
            return v.vmPgoff() >= objPgoff
                    && v.vmPgoff() + v.vmaPages() <= objPgoff + objPages;
        }

        /** The posted form, as described upstream: the VMA's start address against the pgoffs. */
        private boolean sketchAccepts(VmArea v, long objPgoff, long objPages) {
            return v.vmStart() >= objPgoff && v.vmStart() + v.vmaPages() <= objPgoff + objPages;
        }
    }

    @Nested
    class Revocation {
        /** Two files of one device whose BAR0 cookies sit at different pgoffs. */
        private record Two(Process p, int a, int b, long bar0a, long bar0b, long cfgA) {}

        /**
         * On the GPU: a function of its own (an SR-IOV VF's memory decode is always on, so only
         * a physical function shows memory disable), resettable by FLR.
         */
        private Two twoFiles() {
            SeriesPolicy pol = SeriesPolicy.DEFAULT.withLayout(SeriesPolicy.Layout.PACKED)
                    .withCreate(SeriesPolicy.Create.REGION_INFO);
            Process p = boot("gpu-64g", Arch.X86_64, pol);
            int a = p.open("gpu-64g");
            int b = p.open("gpu-64g");
            long cfgA = offset(p, a, 7);
            long bar3a = offset(p, a, 3);
            long bar0a = offset(p, a, 0);
            long bar0b = offset(p, b, 0);
            assertNotEquals(bar0a, bar0b, "the test needs BAR0 at different pgoffs");
            assertNotEquals(bar3a, bar0b);
            return new Two(p, a, b, bar0a, bar0b, cfgA);
        }

        @Test
        void resetZapsEveryFilesMappingsAndTheyFaultBackIn() {
            Two t = twoFiles();
            Mapping ma = t.p().mmap(0, 0x1000, RW, Mman.MAP_SHARED, t.a(), t.bar0a());
            Mapping mb = t.p().mmap(0, 0x1000, RW, Mman.MAP_SHARED, t.b(), t.bar0b());
            ma.store(0x10, 4, 0x12345678);
            assertEquals(0x12345678, mb.load(0x10, 4), "one BAR behind both cookies");
            assertTrue(ma.pageTableEntries().values().stream().mapToLong(Long::longValue).sum() > 0);
            t.p().ioctl(t.a(), VfioIoctl.VFIO_DEVICE_RESET, 0L);
            assertEquals(0, ma.pageTableEntries().values().stream().mapToLong(Long::longValue).sum());
            assertEquals(0, mb.pageTableEntries().values().stream().mapToLong(Long::longValue).sum());
            mb.load(0x10, 4);
            ma.load(0x10, 4);
        }

        @Test
        void memoryDisableRevokesBothFilesAndEnableRestoresThem() {
            Two t = twoFiles();
            Mapping ma = t.p().mmap(0, 0x1000, RW, Mman.MAP_SHARED, t.a(), t.bar0a());
            Mapping mb = t.p().mmap(0, 0x1000, RW, Mman.MAP_SHARED, t.b(), t.bar0b());
            ma.load(0, 4);
            mb.load(0, 4);
            setMemoryDecode(t.p(), t.a(), t.cfgA(), false);
            assertThrows(SigbusException.class, () -> ma.load(0, 4));
            assertThrows(SigbusException.class, () -> mb.load(0, 4));
            setMemoryDecode(t.p(), t.a(), t.cfgA(), true);
            mb.store(0x20, 4, 0xcafe);
            assertEquals(0xcafe, ma.load(0x20, 4));
        }

        @Test
        void aSplitMappingStillFindsItsCookieAndAForkedChildIsRevokedToo() {
            Process p = boot("gpu-64g", Arch.X86_64, SeriesPolicy.DEFAULT
                    .withLayout(SeriesPolicy.Layout.PACKED));
            int fd = p.open("gpu-64g");
            long bar0 = offset(p, fd, 0);
            long cfg = offset(p, fd, 7);
            Mapping m = p.mmap(0, 0x10000, RW, Mman.MAP_SHARED, fd, bar0);
            // Split: drop the first half; the second half's vm_pgoff moves by 8 pages.
            p.munmap(m.addr(), 0x8000);
            VmArea second = p.mm().vmaLookup(m.addr() + 0x8000);
            assertEquals((bar0 >>> 12) + 8, second.vmPgoff());
            p.pwrite(fd, new byte[] {1, 2, 3, 4}, bar0 + 0xa000);
            long word = p.mm().vmaLookup(m.addr() + 0xa000) == null ? -1
                    : loadAt(p, m.addr() + 0xa000);
            assertEquals(0x04030201L, word, "the second half maps BAR0 + 0x8000 onwards");
            Process child = p.fork();
            assertEquals(0x04030201L, loadAt(child, m.addr() + 0xa000));
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_RESET, 0L);
            assertTrue(child.mm().pageTable().entries(m.addr() + 0x8000, m.addr() + 0x10000)
                    .isEmpty(), "the child's copy was zapped with the parent's");
            setMemoryDecode(p, fd, cfg, false);
            assertThrows(SigbusException.class, () -> loadAt(child, m.addr() + 0xa000));
            setMemoryDecode(p, fd, cfg, true);
            // The reset put the BAR back to its reset state; a fresh write shows through the
            // child's refaulted copy.
            p.pwrite(fd, new byte[] {5, 6, 7, 8}, bar0 + 0xa000);
            assertEquals(0x08070605L, loadAt(child, m.addr() + 0xa000));
        }

        private long loadAt(Process p, long va) {
            for (Mapping mm : p.mappings()) {
                if (va >= mm.addr() && va < mm.end()) {
                    return mm.load(va - mm.addr(), 4);
                }
            }
            throw new AssertionError("no mapping at 0x" + Long.toHexString(va));
        }
    }

    @Nested
    class LargeRegions {
        @ParameterizedTest
        @EnumSource(SeriesPolicy.Layout.class)
        void everyByteOfATwoTibBarIsReachable(SeriesPolicy.Layout layout) {
            Process p = boot("cxl-2t", Arch.X86_64, SeriesPolicy.DEFAULT.withLayout(layout));
            int fd = p.open("cxl-2t");
            RegionInfoReply r = regionInfo(p, fd, 2);
            long base = r.info().offset();
            long size = r.info().size();
            assertEquals(2 * TIB, size);
            for (long at : new long[] {0, TIB - 4, TIB, TIB + 8, size - 4}) {
                byte[] w = {(byte) at, 2, 3, (byte) 0xee};
                assertEquals(4, p.pwrite(fd, w, base + at));
                byte[] back = new byte[4];
                assertEquals(4, p.pread(fd, back, base + at));
                assertArrayEquals(w, back, "at 0x" + Long.toHexString(at));
            }
            assertEquals(Errno.EINVAL, errno(() -> p.pread(fd, new byte[4], base + size)),
                    "past the end: no cookie there, or the next region's");
            Mapping past = p.mmap(0, 0x200000, RW, Mman.MAP_SHARED, fd, base + TIB + GIB);
            byte[] w = {9, 8, 7, 6};
            p.pwrite(fd, w, base + TIB + GIB + 0x1000);
            assertEquals(0x06070809L, past.load(0x1000, 4));
            Mapping whole = p.mmap(0, size, RW, Mman.MAP_SHARED, fd, base);
            assertEquals(0x06070809L, whole.load(TIB + GIB + 0x1000, 4));
        }
    }

    @Nested
    class LargestRegion {
        /** ism's 256 TiB BAR0 (48-bit layout until its driver is on the cookie path). */
        @ParameterizedTest
        @EnumSource(SeriesPolicy.Layout.class)
        void everyByteOfIsmsTwoHundredFiftySixTibBarIsReachable(SeriesPolicy.Layout layout) {
            org.junit.jupiter.api.Assumptions.assumeTrue(onCookiePath("ism"),
                    "ism is on the cookie path from stage 4");
            Process p = boot("ism", Arch.X86_64, SeriesPolicy.DEFAULT.withLayout(layout));
            int fd = p.open("ism");
            RegionInfoReply r = regionInfo(p, fd, 0);
            assertEquals(256 * TIB, r.info().size());
            long base = r.info().offset();
            for (long at : new long[] {0, TIB, 255 * TIB, 256 * TIB - 8}) {
                byte[] w = {1, 2, 3, 4, 5, 6, 7, (byte) at};
                assertEquals(8, p.pwrite(fd, w, base + at), "at 0x" + Long.toHexString(at));
                byte[] back = new byte[8];
                assertEquals(8, p.pread(fd, back, base + at));
                assertArrayEquals(w, back);
            }
            assertEquals(Errno.EINVAL, errno(() -> p.pread(fd, new byte[8], base + 256 * TIB)));
        }
    }

    @Nested
    class ThirtyTwoBit {
        @Test
        void packedMapsEveryMappableBarWhoseAlignedSizesFitBelowFourGib() {
            SeriesPolicy pol = SeriesPolicy.DEFAULT.withLayout(SeriesPolicy.Layout.PACKED);
            int devicesChecked = 0;
            for (DeviceSpec spec : cookieDevices()) {
                Process p = boot(spec.name(), Arch.I386, pol);
                int fd = p.open(spec.name());
                Map<Long, VfioRegionInfo> rs = regions(p, fd, 16);
                long need = 0;
                for (VfioRegionInfo r : rs.values()) {
                    // Each cookie is followed by its guard page.
                    need = alignUp(need, align(Arch.I386, r.size()))
                            + Arch.I386.pageAlign(r.size()) + Arch.I386.pageSize();
                }
                if (Long.compareUnsigned(need, 1L << 32) > 0) {
                    continue;
                }
                devicesChecked++;
                for (VfioRegionInfo r : rs.values()) {
                    if ((r.flags() & VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP) == 0
                            || r.index() > 5) {
                        continue;
                    }
                    // As QEMU asks: the protection the region's flags allow (vfio-cdx refuses
                    // PROT_WRITE on a read-only region with EPERM).
                    int prot = ((r.flags() & VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ) != 0
                            ? Mman.PROT_READ : 0)
                            | ((r.flags() & VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE) != 0
                            ? Mman.PROT_WRITE : 0);
                    try {
                        // The first page of the first area the region may be mapped in (a
                        // sparse-mmap capability names them: kvmgt's aperture slice): what
                        // 32-bit reach is about is the offset.
                        long area = regionInfo(p, fd, r.index()).sparseMmap()
                                .filter(c -> !c.areas().isEmpty())
                                .map(c -> c.areas().get(0).offset()).orElse(0L);
                        p.munmap(p.mmap(0, Arch.I386.pageSize(), prot, Mman.MAP_SHARED, fd,
                                r.offset() + area));
                    } catch (ErrnoException e) {
                        throw new AssertionError(spec.name() + " region " + r.index() + " at 0x"
                                + Long.toHexString(r.offset()) + ": " + e.errnoName(), e);
                    }
                }
            }
            assertTrue(devicesChecked >= 8, "checked " + devicesChecked);
        }

        @Test
        void memoryDisableRevokesEveryMappingWhereverPackedPutItsCookie() {
            // The zap must reach cookies whose byte offsets lie past 4 GiB: a byte length
            // through unmap_mapping_range() is cast to a 32-bit pgoff_t there and truncated.
            SeriesPolicy pol = SeriesPolicy.DEFAULT.withLayout(SeriesPolicy.Layout.PACKED);
            int mapped = 0;
            for (DeviceSpec spec : cookieDevices()) {
                if (!vfiowb.common.conformance.DriverFacts.memoryEnableGates(spec)) {
                    continue;
                }
                Process p = boot(spec.name(), Arch.I386, pol);
                int fd = p.open(spec.name());
                List<Mapping> maps = new ArrayList<>();
                for (VfioRegionInfo r : regions(p, fd, 16).values()) {
                    if ((r.flags() & VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP) == 0
                            || r.index() > 5
                            || Long.compareUnsigned(r.offset(), (1L << 32) - 0x1000) >= 0) {
                        continue;
                    }
                    long area = regionInfo(p, fd, r.index()).sparseMmap()
                            .filter(c -> !c.areas().isEmpty())
                            .map(c -> c.areas().get(0).offset()).orElse(0L);
                    Mapping m = p.mmap(0, Arch.I386.pageSize(), Mman.PROT_READ, Mman.MAP_SHARED,
                            fd, r.offset() + area);
                    m.load(0, 4);
                    maps.add(m);
                }
                if (maps.isEmpty()) {
                    continue;
                }
                setMemoryDecode(p, fd, offset(p, fd, 7), false);
                for (Mapping m : maps) {
                    assertThrows(SigbusException.class, () -> m.load(0, 4),
                            spec.name() + " " + m + " survived memory disable");
                    mapped++;
                }
            }
            assertTrue(mapped >= 5, "mapped " + mapped);
        }

        @Test
        void legacyMapsOnlyBarZeroAsTodayOnAThirtyTwoBitKernel() {
            Process p = boot("large-bars", Arch.I386, SeriesPolicy.DEFAULT);
            int fd = p.open("large-bars");
            assertEquals(Errno.EOVERFLOW, errno(() -> p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, fd,
                    offset(p, fd, 2))));
            Process q = boot("nic-vf", Arch.I386, SeriesPolicy.DEFAULT);
            int fq = q.open("nic-vf");
            q.mmap(0, 0x1000, RW, Mman.MAP_SHARED, fq, offset(q, fq, 0));
            assertEquals(Errno.EOVERFLOW, errno(() -> q.mmap(0, 0x1000, RW, Mman.MAP_SHARED, fq,
                    offset(q, fq, 3))));
        }

        @Test
        void byteKeysCannotHoldTheLegacySlotsOnAThirtyTwoBitKernel() {
            Process p = boot("nic-vf", Arch.I386, SeriesPolicy.DEFAULT
                    .withKeys(SeriesPolicy.Keys.BYTES));
            int fd = p.open("nic-vf");
            assertEquals(0L, offset(p, fd, 0));
            assertEquals(Errno.EOVERFLOW, errno(() -> regionInfo(p, fd, 7)),
                    "config's slot 7 << 40 is no key of a 32-bit tree");
            Process q = boot("nic-vf", Arch.I386, SeriesPolicy.DEFAULT
                    .withKeys(SeriesPolicy.Keys.PAGES));
            int fq = q.open("nic-vf");
            assertEquals(7 * TIB, offset(q, fq, 7), "page keys reach 16 TiB");
        }

        private long alignUp(long x, long a) {
            return (x + a - 1) & -a;
        }
    }

    @Nested
    class PageTables {
        private Map<PageTable.Level, Long> touchTheOneTibBar(SeriesPolicy pol) {
            Process p = boot("ivshmem-1t", Arch.X86_64, pol);
            int fd = p.open("ivshmem-1t");
            RegionInfoReply r = regionInfo(p, fd, 2);
            Mapping m = p.mmap(0, r.info().size(), RW, Mman.MAP_SHARED, fd, r.info().offset());
            m.touchAll();
            return m.pageTableEntries();
        }

        @Test
        void pmdPlacementCostsHalfAMillionPmdEntries() {
            Map<PageTable.Level, Long> e = touchTheOneTibBar(SeriesPolicy.DEFAULT
                    .withPlacement(SeriesPolicy.Placement.PMD));
            assertEquals(524_288L, e.getOrDefault(PageTable.Level.PMD, 0L));
            assertEquals(0L, e.getOrDefault(PageTable.Level.PUD, 0L));
            assertEquals(0L, e.getOrDefault(PageTable.Level.PTE, 0L));
        }

        @ParameterizedTest
        @EnumSource(SeriesPolicy.Layout.class)
        void pgoffPlacementOfAnAlignedCookieCostsOneThousandPudEntries(SeriesPolicy.Layout l) {
            Map<PageTable.Level, Long> e = touchTheOneTibBar(SeriesPolicy.DEFAULT.withLayout(l)
                    .withPlacement(SeriesPolicy.Placement.PGOFF));
            assertEquals(1_024L, e.getOrDefault(PageTable.Level.PUD, 0L));
            assertEquals(0L, e.getOrDefault(PageTable.Level.PMD, 0L));
        }

        @Test
        void anUnalignedCookieCostsManyTimesMore() {
            // Packed without alignment: BAR0's page and its guard come first (from pgoff 1), so
            // BAR2's cookie starts three pages in, and no VA can be congruent to both the pgoff and the PFN
            // modulo 2 MiB.
            SeriesPolicy pol = SeriesPolicy.DEFAULT.withLayout(SeriesPolicy.Layout.PACKED)
                    .withAlign(SeriesPolicy.Align.NONE).withPlacement(SeriesPolicy.Placement.PGOFF)
                    .withCreate(SeriesPolicy.Create.OPEN);
            Process p = boot("ivshmem-1t", Arch.X86_64, pol);
            int fd = p.open("ivshmem-1t");
            RegionInfoReply r = regionInfo(p, fd, 2);
            assertNotEquals(0, r.info().offset() % (2L << 20), "the cookie is not aligned");
            // Touch the first GiB only: the whole TiB at 4 KiB would be 2^28 entries.
            Mapping m = p.mmap(0, GIB, RW, Mman.MAP_SHARED, fd, r.info().offset());
            m.touchAll();
            Map<PageTable.Level, Long> e = m.pageTableEntries();
            assertEquals(262_144L, e.getOrDefault(PageTable.Level.PTE, 0L),
                    "4 KiB entries only: 262,144 per GiB where an aligned cookie needs one PUD");
        }
    }
}
