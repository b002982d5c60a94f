package vfiowb.common.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.lib.MapleTree;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.trace.KernelProbe;
import vfiowb.common.uapi.VfioDeviceIoeventfd;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.KernelFile;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.UserBuffer;

/**
 * What a reviewer and the workbench's own checkers see of the cookie core (stage 3 on), written
 * once and run by every stage with the tree: the facts the core hands {@code walk}'s narration
 * ({@link KernelProbe#note}: which cookie an offset resolved to, where a cookie was placed), the
 * tree dump the pgoff picture draws from, and the debugger's cross-check of the file's two
 * cookie indexes that the fuzzer and the concurrency tests run after every step. A checker that
 * passes a broken tree is a defect, so its teeth are tested here on trees broken on purpose
 * (through reflection: no system call can break them, which is the point of the check).
 */
public abstract class CookieCoreDebugViewTests {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final String DEVICE = "nic-vf";
    /** nic-vf's BAR3: 16 KiB, no MSI-X table, so REGION_INFO answers without a capability. */
    private static final int BAR3 = 3;
    private static final long BAR3_PAGES = 4;
    private static final SeriesPolicy PACKED_ON_ASK = SeriesPolicy.DEFAULT
            .withLayout(SeriesPolicy.Layout.PACKED).withCreate(SeriesPolicy.Create.REGION_INFO);
    /** A cookie as {@code VfioMmap.toString} renders it: class, region, range, driver's part. */
    private static final Pattern COOKIE = Pattern.compile(
            "\\w+\\[region (\\d+), pgoff 0x([0-9a-f]+)\\+0x([0-9a-f]+)(, [^\\]]+)?\\]");

    /** The region a cookie was minted for, read from its rendering. */
    private static int cookieRegion(Object cookie) {
        Matcher m = COOKIE.matcher(cookie.toString());
        assertTrue(m.matches(), cookie.toString());
        return Integer.parseInt(m.group(1));
    }

    private final Stage stage;

    /** @param stage the stage under test (one whose vfio-pci table is on the cookie path) */
    protected CookieCoreDebugViewTests(Stage stage) {
        this.stage = stage;
    }

    private Process boot(SeriesPolicy policy) {
        return new Process(stage.boot(Arch.X86_64,
                List.of(DeviceCatalogue.byName(DEVICE).orElseThrow()), policy));
    }

    private static long offset(Process p, int fd, long index) {
        return CookieTreeTests.offset(p, fd, index);
    }

    private static int errno(Runnable r) {
        return assertThrows(ErrnoException.class, r::run).errno();
    }

    /** The notes the kernel paths of {@code r} hand the narration, in order. */
    private static List<String> notes(Runnable r) {
        List<String> out = new ArrayList<>();
        Thread me = Thread.currentThread();
        KernelProbe.installNotes(s -> {
            if (Thread.currentThread() == me) {
                out.add(s);
            }
        });
        try {
            r.run();
        } finally {
            KernelProbe.installNotes(null);
        }
        return out;
    }

    /** The one note of {@code notes} that starts with {@code prefix}. */
    private static String only(List<String> notes, String prefix) {
        List<String> hits = notes.stream().filter(n -> n.startsWith(prefix)).toList();
        assertEquals(1, hits.size(), () -> "one note starting '" + prefix + "' in " + notes);
        return hits.get(0);
    }

    /** Asserts {@code cookie} is region {@code index}'s cookie at the offset REGION_INFO gave. */
    private static void assertCookie(String cookie, int index, long offset, long pages) {
        Matcher m = COOKIE.matcher(cookie);
        assertTrue(m.matches(), () -> "a cookie as the core renders it: " + cookie);
        assertEquals(index, Integer.parseInt(m.group(1)), cookie);
        assertEquals(offset >>> 12, Long.parseLong(m.group(2), 16), "the cookie's first page");
        assertEquals(pages, Long.parseLong(m.group(3), 16), "the region's pages");
    }

    // ------------------------------------------------------------------ narration

    /** {@code vfio_get_region_info} and {@code vfio_df_mmap_install}: what walk is told. */
    @Nested
    class Narration {
        @Test
        void aNewCookieIsNarratedAsPlacedAndAsTheFilesAfterwards() {
            Process p = boot(PACKED_ON_ASK);
            int fd = p.open(DEVICE);
            long[] off = new long[1];
            List<String> first = notes(() -> off[0] = offset(p, fd, BAR3));
            String info = only(first, "REGION_INFO ");
            String prefix = "REGION_INFO " + BAR3 + " -> ";
            assertTrue(info.startsWith(prefix) && info.endsWith(" (new)"), info);
            String cookie = info.substring(prefix.length(), info.length() - " (new)".length());
            assertCookie(cookie, BAR3, off[0], BAR3_PAGES);
            assertEquals("placed " + cookie + " (" + SeriesPolicy.Layout.PACKED + ")",
                    only(first, "placed "));

            List<String> again = notes(() -> assertEquals(off[0], offset(p, fd, BAR3)));
            assertEquals(List.of(prefix + cookie + " (the file's)"), again,
                    "asked again: the file's cookie, nothing placed");
        }

        @Test
        void readWriteAndIoeventfdNameTheCookieAndTheOffsetInsideIt() {
            Process p = boot(PACKED_ON_ASK);
            int fd = p.open(DEVICE);
            long bar3 = offset(p, fd, BAR3);
            String cookie = cookieOf(p, fd, BAR3);
            assertEquals(List.of("read resolved to " + cookie + " + 0x8"),
                    notes(() -> assertEquals(4, p.pread(fd, new byte[4], bar3 + 8))));
            assertEquals(List.of("write resolved to " + cookie + " + 0x1c"),
                    notes(() -> assertEquals(4, p.pwrite(fd, new byte[4], bar3 + 0x1c))));
            byte[] ev = VfioDeviceIoeventfd.of(VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_32,
                    bar3 + 0x40, 1, 9).encode();
            assertEquals("IOEVENTFD offset resolved to " + cookie + " + 0x40",
                    only(notes(() -> p.ioctl(fd, VfioIoctl.VFIO_DEVICE_IOEVENTFD, ev)),
                            "IOEVENTFD"));
        }

        @Test
        void mmapNamesTheCookieItResolvedToOrWhyItRefused() {
            Process p = boot(PACKED_ON_ASK);
            int fd = p.open(DEVICE);
            long bar3 = offset(p, fd, BAR3);
            long pg = bar3 >>> 12;
            String cookie = cookieOf(p, fd, BAR3);
            assertEquals("mmap resolved to " + cookie, only(notes(() ->
                    p.mmap(0, 0x2000, RW, Mman.MAP_SHARED, fd, bar3 + 0x1000)), "mmap"));
            // The packed layout leaves a guard page after the region, inside the tree range.
            assertEquals("mmap: pgoff 0x" + Long.toHexString(pg + BAR3_PAGES) + " + 0x1 pages"
                    + " leaves " + cookie, only(notes(() -> assertEquals(Errno.ENXIO, errno(() ->
                    p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, fd, bar3 + BAR3_PAGES * 0x1000)))),
                    "mmap"));
            assertEquals("mmap: pgoff 0x" + Long.toHexString(pg) + " + 0x5 pages leaves "
                    + cookie, only(notes(() -> assertEquals(Errno.ENXIO, errno(() ->
                    p.mmap(0, 0x5000, RW, Mman.MAP_SHARED, fd, bar3)))), "mmap"));
            long nowhere = 1L << 44;
            assertEquals("mmap: no cookie at pgoff 0x" + Long.toHexString(nowhere >>> 12),
                    only(notes(() -> assertEquals(Errno.ENXIO, errno(() ->
                            p.mmap(0, 0x1000, RW, Mman.MAP_SHARED, fd, nowhere)))), "mmap"));
        }
    }

    /** The cookie REGION_INFO of {@code index} names, as the narration renders it. */
    private String cookieOf(Process p, int fd, int index) {
        String info = only(notes(() -> offset(p, fd, index)), "REGION_INFO ");
        String prefix = "REGION_INFO " + index + " -> ";
        String suffix = " (the file's)";
        assertTrue(info.startsWith(prefix) && info.endsWith(suffix), info);
        return info.substring(prefix.length(), info.length() - suffix.length());
    }

    // ------------------------------------------------------------------ the tree dump

    /** The dump {@code walk --maple} and the pgoff picture print ({@code mt_dump()}'s role). */
    @Nested
    class TreeDump {
        @Test
        void anEmptyFilesTreeDumpsEmpty() {
            Process p = boot(PACKED_ON_ASK);
            int fd = p.open(DEVICE);
            assertEquals("mmap_mt (keys in " + SeriesPolicy.Keys.PAGES + "): MapleTree[]",
                    p.file(fd).kernelFile().mmapTreeDump());
        }

        @Test
        void theDumpListsEachCookieOverItsRangeInTheTreesUnit() {
            for (SeriesPolicy.Keys keys : SeriesPolicy.Keys.values()) {
                Process p = boot(PACKED_ON_ASK.withKeys(keys));
                int fd = p.open(DEVICE);
                long bar3 = offset(p, fd, BAR3);
                String cookie = cookieOf(p, fd, BAR3);
                assertCookie(cookie, BAR3, bar3, BAR3_PAGES);
                int shift = keys == SeriesPolicy.Keys.PAGES ? 0 : 12;
                long first = (bar3 >>> 12) << shift;
                // The region's pages and the guard page after them.
                long last = ((bar3 >>> 12) + BAR3_PAGES + 1 << shift) - 1;
                assertEquals("mmap_mt (keys in " + keys + "): MapleTree[[0x"
                        + Long.toHexString(first) + "-0x" + Long.toHexString(last) + "]="
                        + cookie + "]", p.file(fd).kernelFile().mmapTreeDump(), keys.toString());
            }
        }
    }

    // ------------------------------------------------------------------ the cross-check

    /**
     * {@code VfioDeviceFile.validate}: {@code mt_validate()} plus the agreement of the tree with
     * {@code region_mmaps}. Healthy trees pass in both key units; each way a racing install or a
     * missed uninstall would break them is caught.
     */
    @Nested
    class CrossCheck {
        private Process p;
        private int fd;
        private KernelFile file;
        private MapleTree<Object> tree;
        private Map<Object, Object> regions;

        @SuppressWarnings("unchecked")
        private void open(SeriesPolicy policy) {
            p = boot(policy);
            fd = p.open(DEVICE);
            offset(p, fd, 0);
            offset(p, fd, BAR3);
            file = p.file(fd).kernelFile();
            Object df = field(file, "df");
            tree = (MapleTree<Object>) field(df, "mmapMt");
            regions = (Map<Object, Object>) field(df, "regionMmaps");
            assertEquals(2, regions.size(), "BAR0 and BAR3 have cookies");
        }

        private void brokenBy(Runnable corruption, String says) {
            tree.lock();
            try {
                corruption.run();
            } finally {
                tree.unlock();
            }
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    file::validateMmapTree);
            assertTrue(e.getMessage().contains(says), e.getMessage());
            assertFalse(tree.isLockHeldByCurrentThread(), "the check let the tree lock go");
        }

        private MapleTree.Entry<Object> rangeOf(int index) {
            Object cookie = regionCookie(index);
            for (MapleTree.Entry<Object> e : tree) {
                if (e.entry() == cookie) {
                    return e;
                }
            }
            throw new AssertionError("region " + index + "'s cookie is not in " + tree);
        }

        private Object regionCookie(int index) {
            // The index's key type is the stage's (wc-cookie keys region and mapping kind).
            for (Object cookie : regions.values()) {
                if (cookieRegion(cookie) == index) {
                    return cookie;
                }
            }
            throw new AssertionError("no cookie for region " + index + " in " + regions);
        }

        @Test
        void healthyTreesPassInBothKeyUnitsAndLeaveTheLockFree() {
            for (SeriesPolicy.Keys keys : SeriesPolicy.Keys.values()) {
                open(PACKED_ON_ASK.withKeys(keys));
                file.validateMmapTree();
                assertFalse(tree.isLockHeldByCurrentThread(), keys.toString());
            }
        }

        @Test
        void aCookieMissingFromTheTreeIsCaught() {
            open(PACKED_ON_ASK);
            MapleTree.Entry<Object> bar3 = rangeOf(BAR3);
            brokenBy(() -> tree.erase(bar3.first()), "2 regions map cookies, the tree holds 1");
        }

        @Test
        void aRangeThatDoesNotStartAtItsCookiesPgoffIsCaught() {
            open(PACKED_ON_ASK.withKeys(SeriesPolicy.Keys.BYTES));
            MapleTree.Entry<Object> bar3 = rangeOf(BAR3);
            brokenBy(() -> {
                tree.erase(bar3.first());
                assertEquals(0, tree.insertRange(bar3.first() + 0x1000, bar3.last(),
                        bar3.entry()));
            }, "holds " + bar3.entry());
        }

        @Test
        void aCookieTheRegionIndexDoesNotNameIsCaught() {
            open(PACKED_ON_ASK);
            Object bar0 = regionCookie(0);
            brokenBy(() -> {
                for (Map.Entry<Object, Object> e : regions.entrySet()) {
                    if (e.getValue() != bar0) {
                        e.setValue(bar0);
                    }
                }
            }, "is not region " + BAR3 + "'s cookie");
        }
    }

    // ------------------------------------------------------------------ lock and teardown

    /**
     * Every path through the tree lock lets it go (a path that kept it would hang the next
     * REGION_INFO of another thread; on this thread the lock is re-entrant, so the test asks the
     * lock itself), and release leaves neither index holding a cookie.
     */
    @Nested
    class LockAndRelease {
        @Test
        void noPathKeepsTheTreeLockAndReleaseEmptiesBothIndexes() {
            Process p = boot(PACKED_ON_ASK);
            int fd = p.open(DEVICE);
            KernelFile file = p.file(fd).kernelFile();
            Object df = field(file, "df");
            @SuppressWarnings("unchecked")
            MapleTree<Object> tree = (MapleTree<Object>) field(df, "mmapMt");
            Map<?, ?> regions = (Map<?, ?>) field(df, "regionMmaps");

            offset(p, fd, BAR3);
            assertFalse(tree.isLockHeldByCurrentThread(), "after an install");
            UserBuffer ro = UserBuffer.readOnly(VfioRegionInfo.request(0, 32));
            assertEquals(Errno.EFAULT, errno(() -> p.ioctl(fd,
                    VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, ro)));
            assertFalse(tree.isLockHeldByCurrentThread(), "after the failed copy's uninstall");
            assertEquals(1, file.mmapCookieCount(), "the failed call's cookie is gone");
            file.validateMmapTree();
            assertFalse(tree.isLockHeldByCurrentThread(), "after the cross-check");

            p.close(fd);
            assertFalse(tree.isLockHeldByCurrentThread(), "after release");
            assertEquals(0, file.mmapCookieCount(), "release empties the tree");
            assertTrue(regions.isEmpty(), "and the region index: " + regions);
        }
    }

    /** A private field of {@code o} or of a superclass (the stage's own types are not known). */
    static Object field(Object o, String name) {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(o);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(o.getClass().getName() + " has no field " + name);
    }
}
