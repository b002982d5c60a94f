package vfiowb.common.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.UserBuffer;

/**
 * The VFIO core's cookie tree at its edges (drivers/vfio/vfio_main.c as this series changes it),
 * written once for every stage that has the tree and run through a one-line subclass per stage.
 * Each test pins one decision of the core that a process can see through the device file:
 * which offset REGION_INFO reports after a failed call, how far a revocation reaches, what the
 * key unit changes, what a file bound through the cdev holds.
 */
public abstract class CookieCoreEdgeTests {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final long TIB = 1L << 40;
    private static final SeriesPolicy PACKED_ON_ASK = SeriesPolicy.DEFAULT
            .withLayout(SeriesPolicy.Layout.PACKED).withCreate(SeriesPolicy.Create.REGION_INFO);

    private final Stage stage;
    private final Set<String> cookieTables;

    /**
     * @param stage the stage under test
     * @param cookieTables the ops tables this stage has on the cookie path
     */
    protected CookieCoreEdgeTests(Stage stage, Set<String> cookieTables) {
        this.stage = stage;
        this.cookieTables = Set.copyOf(cookieTables);
    }

    private Process boot(String device, Arch arch, SeriesPolicy policy) {
        return new Process(stage.boot(arch, List.of(DeviceCatalogue.byName(device).orElseThrow()),
                policy));
    }

    private static long offset(Process p, int fd, long index) {
        return CookieTreeTests.offset(p, fd, index);
    }

    private static long cookies(Process p, int fd) {
        return CookieTreeTests.cookies(p, fd);
    }

    private static int errno(Runnable r) {
        return assertThrows(ErrnoException.class, r::run).errno();
    }

    private static long entries(Mapping m) {
        return m.pageTableEntries().values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void theDevicesTheseTestsUseAreOnTheCookiePath() {
        for (String d : List.of("nic-vf", "gpu-64g", "cxl-2t")) {
            assertTrue(cookieTables.contains(DeviceCatalogue.byName(d).orElseThrow().opsTable()),
                    d);
        }
    }

    /**
     * {@code vfio_get_region_info}: a REGION_INFO whose copy-out faults after it placed a new
     * cookie takes the cookie out of the tree and out of the file's region index
     * ({@code vfio_df_mmap_uninstall}), so the next REGION_INFO places the region where a file
     * that never failed places it, and that offset maps and reads.
     */
    @Nested
    class FailedRegionInfo {
        private void assertLikeAFreshFile(Process p, int fd, int index, long expected) {
            long before = cookies(p, fd);
            assertEquals(expected, offset(p, fd, index), "placed where a fresh file places it");
            assertEquals(before + 1, cookies(p, fd), "one cookie, placed now");
            Mapping m = p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, fd, expected);
            m.load(0, 4);
            assertEquals(4, p.pread(fd, new byte[4], expected));
        }

        @Test
        void aHeadCopiedOutToReadOnlyMemoryLeavesNoCookieBehind() {
            Process p = boot("nic-vf", Arch.X86_64, PACKED_ON_ASK);
            int fresh = p.open("nic-vf");
            long expected = offset(p, fresh, 3);
            int fd = p.open("nic-vf");
            UserBuffer ro = UserBuffer.readOnly(VfioRegionInfo.request(3, 32));
            assertEquals(Errno.EFAULT, errno(() -> p.ioctl(fd,
                    VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, ro)));
            assertEquals(0, cookies(p, fd), "the failed call left the tree as it was");
            assertLikeAFreshFile(p, fd, 3, expected);
        }

        @Test
        void aCapabilityChainPastTheBufferLeavesNoCookieBehind() {
            Process p = boot("nic-vf", Arch.X86_64, PACKED_ON_ASK);
            int fresh = p.open("nic-vf");
            RegionInfoReply bar0 = CookieTreeTests.regionInfo(p, fresh, 0);
            assertTrue(bar0.msixMappable(), "the test needs a region with capabilities");
            long expected = bar0.info().offset();
            int fd = p.open("nic-vf");
            // argsz promises room for the chain; the memory ends after the 32-byte head.
            byte[] head = VfioRegionInfo.request(0, 256);
            UserBuffer shortBuf = UserBuffer.wrap(java.util.Arrays.copyOf(head, 32));
            assertEquals(Errno.EFAULT, errno(() -> p.ioctl(fd,
                    VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, shortBuf)));
            assertEquals(0, cookies(p, fd));
            assertLikeAFreshFile(p, fd, 0, expected);
        }
    }

    /**
     * A region without bytes gets no cookie; {@code vfio_get_region_info} still reports the
     * offset the layout gives it: under {@code legacy} its fixed slot, as
     * {@code vfio_pci_ioctl_get_region_info} reported {@code VFIO_PCI_INDEX_TO_OFFSET(index)}
     * for an absent BAR; under {@code packed} 0, which names nothing.
     */
    @Nested
    class RegionsWithoutBytes {
        @Test
        void legacyReportsTheFixedSlotPackedReportsZero() {
            for (SeriesPolicy.Create c : SeriesPolicy.Create.values()) {
                Process p = boot("nic-vf", Arch.X86_64, SeriesPolicy.DEFAULT.withCreate(c));
                int fd = p.open("nic-vf");
                for (int index : new int[] {1, 2, 4, 5}) {
                    RegionInfoReply r = CookieTreeTests.regionInfo(p, fd, index);
                    assertEquals(0, r.info().size(), "BAR" + index + " is absent");
                    assertEquals(index * TIB, r.info().offset(), c + ": BAR" + index);
                }
                Process q = boot("nic-vf", Arch.X86_64, SeriesPolicy.DEFAULT.withCreate(c)
                        .withLayout(SeriesPolicy.Layout.PACKED));
                int fq = q.open("nic-vf");
                assertEquals(0L, offset(q, fq, 2), c + ": packed");
            }
        }
    }

    /**
     * {@code vfio_df_mmap_install} under {@code legacy}: a region that fits its fixed slot holds
     * the whole 1 TiB slot in the tree, so every offset of slot 7 still reaches
     * {@code vfio_pci_config_rw}, which answers past config space with -EFAULT as it did when
     * {@code VFIO_PCI_OFFSET_TO_INDEX} decoded the offset; under {@code packed} the cookie ends
     * with its guard page and an offset further on names no cookie (-EINVAL from the core).
     */
    @Nested
    class WholeSlots {
        @Test
        void everyOffsetOfConfigsSlotReachesConfigSpaceUnderLegacy() {
            Process p = boot("nic-vf", Arch.X86_64, SeriesPolicy.DEFAULT);
            int fd = p.open("nic-vf");
            long cfg = offset(p, fd, 7);
            assertEquals(7 * TIB, cfg);
            for (long past : new long[] {0x1000, 0x2000, 1L << 30, TIB - 4}) {
                assertEquals(Errno.EFAULT, errno(() -> p.pread(fd, new byte[4], cfg + past)),
                        "0x" + Long.toHexString(past) + " into slot 7");
            }
            Process q = boot("nic-vf", Arch.X86_64, SeriesPolicy.DEFAULT
                    .withLayout(SeriesPolicy.Layout.PACKED));
            int fq = q.open("nic-vf");
            long qcfg = offset(q, fq, 7);
            assertEquals(Errno.EFAULT, errno(() -> q.pread(fq, new byte[4], qcfg + 0x1000)),
                    "the guard page");
            assertEquals(Errno.EINVAL, errno(() -> q.pread(fq, new byte[4], qcfg + (1L << 30))),
                    "past the guard page");
        }
    }

    /**
     * {@code vfio_device_zap_mmaps}: the zap covers {@code [0, vdev->mmap_pgoff_end)}, the end of
     * the highest cookie ever placed, not the end of the last one placed: a cookie placed later
     * at a lower pgoff does not shrink it.
     */
    @Nested
    class Revocation {
        @Test
        void aResetRevokesACookiePlacedAboveOneAskedForLater() {
            Process p = boot("gpu-64g", Arch.X86_64, PACKED_ON_ASK);
            int fd = p.open("gpu-64g");
            long bar0 = offset(p, fd, 0);
            long cfg = offset(p, fd, 7);
            assertTrue(Long.compareUnsigned(cfg, bar0) < 0, "config packed below BAR0");
            Mapping m = p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, fd, bar0);
            m.store(0x10, 4, 0x5a5a);
            assertTrue(entries(m) > 0);
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_RESET, 0L);
            assertEquals(0, entries(m), "BAR0's mapping was zapped");
        }

        @Test
        void legacyRevokesARegionPlacedAboveEveryFixedSlot() {
            // Default policy: cookies made at open in index order; BAR2 (2 TiB) goes above the
            // slots, then config takes its slot 7 << 40 below it.
            Process p = boot("cxl-2t", Arch.X86_64, SeriesPolicy.DEFAULT);
            int fd = p.open("cxl-2t");
            long bar2 = offset(p, fd, 2);
            assertTrue(Long.compareUnsigned(bar2, 8 * TIB) >= 0);
            Mapping m = p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, fd, bar2);
            m.load(0, 4);
            assertTrue(entries(m) > 0);
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_RESET, 0L);
            assertEquals(0, entries(m), "BAR2's mapping was zapped");
        }
    }

    /**
     * The tree's key unit ({@code keys=bytes}: {@code pgoff << PAGE_SHIFT}) changes nothing a
     * 64-bit process sees: every region gets the offset page keys give it, and reads, writes and
     * mappings at those offsets reach the same bytes.
     */
    @Nested
    class ByteKeys {
        @Test
        void byteKeysGiveThePageKeysOffsetsAndTheyWork() {
            for (SeriesPolicy.Layout l : SeriesPolicy.Layout.values()) {
                SeriesPolicy bytes = SeriesPolicy.DEFAULT.withLayout(l)
                        .withKeys(SeriesPolicy.Keys.BYTES);
                Process p = boot("gpu-64g", Arch.X86_64, bytes);
                Process q = boot("gpu-64g", Arch.X86_64, bytes.withKeys(SeriesPolicy.Keys.PAGES));
                int fp = p.open("gpu-64g");
                int fq = q.open("gpu-64g");
                for (int index : new int[] {0, 3, 7}) {
                    assertEquals(offset(q, fq, index), offset(p, fp, index), l + " " + index);
                }
                long bar0 = offset(p, fp, 0);
                Mapping m = p.mmap(0, 0x2000, RW, Mman.MAP_SHARED, fp, bar0 + 0x1000);
                assertEquals(4, p.pwrite(fp, new byte[] {1, 2, 3, 4}, bar0 + 0x1008));
                assertEquals(0x04030201L, m.load(8, 4), l.toString());
            }
        }

        /**
         * On a 32-bit kernel byte keys cannot hold BAR0's whole slot ({@code 1 << 40} is no
         * 32-bit key), so its cookie holds the BAR and its guard page: every byte of the BAR,
         * the last word included, is still read and written at the offset REGION_INFO gave.
         */
        @Test
        void onAThirtyTwoBitKernelBarZerosCookieStillHoldsItsLastPage() {
            Process p = boot("nic-vf", Arch.I386, SeriesPolicy.DEFAULT
                    .withKeys(SeriesPolicy.Keys.BYTES));
            int fd = p.open("nic-vf");
            long bar0 = offset(p, fd, 0);
            assertEquals(0L, bar0);
            assertEquals(4, p.pwrite(fd, new byte[] {1, 2, 3, 4}, bar0 + 0xfffc));
            byte[] back = new byte[4];
            assertEquals(4, p.pread(fd, back, bar0 + 0xfffc));
            assertEquals(4, back[3]);
            Mapping m = p.mmap(0, 0x10000, RW, Mman.MAP_SHARED, fd, bar0);
            assertEquals(0x04030201L, m.load(0xfffc, 4));
            assertEquals(Errno.EINVAL, errno(() -> p.pread(fd, new byte[4], bar0 + 0x10000)),
                    "past the BAR");
        }
    }

    /**
     * {@code vfio_df_ioctl_bind_iommufd}: under {@code create=open} the bind populates the cdev
     * file's tree as the group open does, so userspace that writes config at the hard-coded
     * {@code 7 << 40} keeps working on a cdev file too.
     */
    @Nested
    class Cdev {
        @Test
        void aBoundCdevFileHasItsCookiesBeforeAnyRegionInfo() {
            Process p = boot("nic-vf", Arch.X86_64, SeriesPolicy.DEFAULT);
            int c = p.openCdev("nic-vf");
            byte[] b = vfiowb.common.uapi.VfioDeviceBindIommufd.of(3).encode();
            p.ioctl(c, VfioIoctl.VFIO_DEVICE_BIND_IOMMUFD, b);
            assertEquals(3, cookies(p, c), "BAR0, BAR3 and config");
            assertEquals(2, p.pwrite(c, new byte[] {6, 0}, 7 * TIB + 4));
        }
    }
}
