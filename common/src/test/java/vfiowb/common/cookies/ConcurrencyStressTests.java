package vfiowb.common.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.OpenFile;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.SigbusException;

/**
 * Several threads on one device at once, for every stage with the cookie tree (one-line
 * subclasses): REGION_INFO, mmap, faults, munmap, reset and memory disable on one file and
 * across two files of one process. Bounded by iteration counts, never by time: a run takes a
 * few seconds. Each thread's seed is printed on a failure. What must hold, as the kernel's
 * locks promise:
 * <ul>
 *   <li>racing first REGION_INFO calls for one region of one file give one cookie: every
 *       thread sees the same offset, the tree holds one range per region and passes
 *       {@code mt_validate()} and its agreement with {@code region_mmaps} (the tree lock,
 *       {@code vfio_df_mmap_install});</li>
 *   <li>while memory decode is off, no page-table entry maps a BAR and no load through a BAR
 *       mapping succeeds, however faults interleave with the zap ({@code memory_lock}: the zap
 *       and the decode change under the write side, every fault under the read side);</li>
 *   <li>no exception out of the model, no errno but the ones the calls document, no deadlock;
 *       at the end every file is released with an empty tree.</li>
 * </ul>
 */
public abstract class ConcurrencyStressTests {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final String DEVICE = "gpu-64g";
    /** gpu-64g's regions with bytes and the mappable BARs among them. */
    private static final int[] REGIONS = {0, 1, 3, 5, 6, 7, 8};
    private static final int[] BARS = {0, 1, 3};
    private static final long PCI_COMMAND = 4;
    /** A guard against a deadlock only; a healthy run takes a few seconds. */
    private static final long JOIN_MILLIS = 120_000;

    private final Stage stage;

    protected ConcurrencyStressTests(Stage stage) {
        this.stage = stage;
    }

    private Process boot(SeriesPolicy policy) {
        return new Process(stage.boot(Arch.X86_64,
                List.of(DeviceCatalogue.byName(DEVICE).orElseThrow()), policy));
    }

    private static SeriesPolicy onAsk() {
        return SeriesPolicy.DEFAULT.withLayout(SeriesPolicy.Layout.PACKED)
                .withCreate(SeriesPolicy.Create.REGION_INFO);
    }

    /** A body run by one thread with its own random source. */
    private interface Body {
        void run(SplittableRandom r) throws Exception;
    }

    /**
     * Runs each body on its own thread, started together; fails with the first throwable, its
     * thread's seed and every thread's stack if one does not finish.
     */
    private static void together(long seed, List<Body> bodies) throws InterruptedException {
        CyclicBarrier start = new CyclicBarrier(bodies.size());
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            long s = seed * 31 + i;
            Body b = bodies.get(i);
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    b.run(new SplittableRandom(s));
                } catch (Throwable e) {
                    java.io.StringWriter w = new java.io.StringWriter();
                    e.printStackTrace(new java.io.PrintWriter(w));
                    failures.add("thread seed " + s + ": " + w);
                }
            }, "stress-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(JOIN_MILLIS);
            if (t.isAlive()) {
                StringBuilder dump = new StringBuilder();
                for (Thread x : threads) {
                    dump.append(x.getName()).append(' ').append(x.getState()).append('\n');
                    for (StackTraceElement e : x.getStackTrace()) {
                        dump.append("    at ").append(e).append('\n');
                    }
                }
                fail("a thread did not finish (deadlock?), seed " + seed + ":\n" + dump);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " thread(s) failed; the first: " + failures.peek());
        }
    }

    private static long regionOffset(Process p, int fd, int index) {
        return CookieTreeTests.offset(p, fd, index);
    }

    @Test
    void racingFirstRegionInfoCallsMakeOneCookiePerRegionPerFile() throws InterruptedException {
        Process p = boot(onAsk());
        for (int round = 0; round < 40; round++) {
            int a = p.open(DEVICE);
            int b = p.open(DEVICE);
            int[] fds = {a, b};
            Map<String, Long> seen = new ConcurrentHashMap<>();
            List<Body> bodies = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                bodies.add(r -> {
                    List<Integer> order = new ArrayList<>();
                    for (int fd : fds) {
                        for (int i : REGIONS) {
                            order.add(fd << 8 | i);
                        }
                    }
                    Collections.shuffle(order, new java.util.Random(r.nextLong()));
                    for (int x : order) {
                        int fd = x >>> 8;
                        int index = x & 0xff;
                        long off = regionOffset(p, fd, index);
                        Long first = seen.putIfAbsent(fd + "/" + index, off);
                        if (first != null && first != off) {
                            throw new AssertionError("fd " + fd + " region " + index + " at 0x"
                                    + Long.toHexString(first) + " and 0x" + Long.toHexString(off));
                        }
                    }
                });
            }
            together(round, bodies);
            for (int fd : fds) {
                OpenFile f = p.file(fd);
                f.kernelFile().validateMmapTree();
                assertEquals(REGIONS.length, f.kernelFile().mmapCookieCount(),
                        "round " + round + ": one cookie per region with bytes");
            }
            OpenFile fa = p.file(a);
            p.close(a);
            p.close(b);
            assertEquals(0, fa.kernelFile().mmapCookieCount());
        }
    }

    @Test
    void faultsRacingTheZapNeverMapARevokedBar() throws InterruptedException {
        long seed = 15;
        Process p = boot(onAsk());
        int a = p.open(DEVICE);
        int b = p.open(DEVICE);
        int[] fds = {a, b};
        OpenFile fa = p.file(a);
        OpenFile fb = p.file(b);
        long cfg = regionOffset(p, a, 7);
        // Long-lived mappings every thread faults through: BAR0 of a, BAR3 of b.
        Mapping shared0 = p.mmap(0, 0x100000, RW, Mman.MAP_SHARED, a, regionOffset(p, a, 0));
        Mapping shared3 = p.mmap(0, 0x100000, RW, Mman.MAP_SHARED, b, regionOffset(p, b, 3));
        List<Mapping> shared = List.of(shared0, shared3);
        // Odd while memory decode is off for sure: raised after the disable returned, lowered
        // before the enable starts.
        AtomicLong epoch = new AtomicLong();
        AtomicLong sigbusWhileOff = new AtomicLong();
        AtomicLong loadsWhileOn = new AtomicLong();
        java.util.concurrent.atomic.AtomicInteger workersDone =
                new java.util.concurrent.atomic.AtomicInteger();
        List<Body> bodies = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            bodies.add(r -> {
                for (int i = 0; i < 1500; i++) {
                    if (i == 1499) {
                        workersDone.incrementAndGet();
                    }
                    int fd = fds[r.nextInt(2)];
                    switch (r.nextInt(4)) {
                        case 0:
                            regionOffset(p, fd, REGIONS[r.nextInt(REGIONS.length)]);
                            break;
                        case 1: {
                            int bar = BARS[r.nextInt(BARS.length)];
                            long page = r.nextInt(16) * 0x1000L;
                            Mapping m = p.mmap(0, 0x2000, RW, Mman.MAP_SHARED, fd,
                                    regionOffset(p, fd, bar) + page);
                            access(m, r, epoch, sigbusWhileOff, loadsWhileOn);
                            p.munmap(m);
                            break;
                        }
                        case 2:
                            access(shared.get(r.nextInt(2)), r, epoch, sigbusWhileOff,
                                    loadsWhileOn);
                            break;
                        default: {
                            byte[] buf = new byte[4];
                            try {
                                p.pread(fd, buf, regionOffset(p, fd, 0) + 0x10);
                            } catch (ErrnoException e) {
                                if (e.errno() != Errno.EIO) {
                                    throw e;
                                }
                            }
                        }
                    }
                }
            });
        }
        bodies.add(r -> {
            for (int i = 0; i < 60; i++) {
                p.ioctl(fds[r.nextInt(2)], VfioIoctl.VFIO_DEVICE_RESET, 0L);
            }
        });
        bodies.add(r -> {
            for (int i = 0; i < 150; i++) {
                setMemory(p, a, cfg, false);
                epoch.incrementAndGet();
                noBarEntry(p, "just after the disable");
                Thread.yield();
                noBarEntry(p, "while decode is off");
                epoch.incrementAndGet();
                setMemory(p, a, cfg, true);
                // Leave decode on until a worker got an access through (or the workers are
                // done), so both windows are exercised however the threads are scheduled.
                long seen = loadsWhileOn.get();
                for (int k = 0; k < 10_000 && loadsWhileOn.get() == seen
                        && workersDone.get() < 2; k++) {
                    Thread.yield();
                }
            }
        });
        together(seed, bodies);
        fa.kernelFile().validateMmapTree();
        fb.kernelFile().validateMmapTree();
        assertTrue(loadsWhileOn.get() > 0, "some loads went through while decode was on");
        p.munmap(shared0);
        p.munmap(shared3);
        p.close(a);
        p.close(b);
        assertTrue(fa.isReleased() && fb.isReleased());
        assertEquals(0, fa.kernelFile().mmapCookieCount());
        assertEquals(0, fb.kernelFile().mmapCookieCount());
    }

    /** A load or store through {@code m}; one that succeeds inside an odd epoch is a failure. */
    private static void access(Mapping m, SplittableRandom r, AtomicLong epoch,
            AtomicLong sigbusWhileOff, AtomicLong loadsWhileOn) {
        long off = r.nextInt((int) (m.length() / 8)) * 8L;
        long before = epoch.get();
        boolean ok;
        try {
            if (r.nextBoolean()) {
                m.load(off, 8);
            } else {
                m.store(off, 8, r.nextLong());
            }
            ok = true;
        } catch (SigbusException e) {
            ok = false;
        }
        long after = epoch.get();
        if (before == after && (before & 1) == 1) {
            if (ok) {
                throw new AssertionError("an access through " + m + " succeeded while memory "
                        + "decode was off throughout");
            }
            sigbusWhileOff.incrementAndGet();
        } else if (ok) {
            loadsWhileOn.incrementAndGet();
        }
    }

    private static void noBarEntry(Process p, String when) {
        long n = p.mm().pageTable().entriesByLevel().values().stream().mapToLong(Long::longValue)
                .sum();
        if (n != 0) {
            throw new AssertionError(n + " page-table entries map a BAR " + when);
        }
    }

    private static void setMemory(Process p, int fd, long cfg, boolean on) {
        byte[] cmd = new byte[2];
        p.pread(fd, cmd, cfg + PCI_COMMAND);
        cmd[0] = (byte) (on ? cmd[0] | 0x2 : cmd[0] & ~0x2);
        p.pwrite(fd, cmd, cfg + PCI_COMMAND);
    }

    /** The region indexes the tests use carry bytes on the device (a catalogue change would show). */
    @Test
    void theDeviceHasTheRegionsTheseTestsUse() {
        Process p = boot(SeriesPolicy.DEFAULT);
        int fd = p.open(DEVICE);
        for (int i : REGIONS) {
            VfioRegionInfo info = CookieTreeTests.regionInfo(p, fd, i).info();
            assertTrue(info.size() > 0, "region " + i);
        }
        for (int i : BARS) {
            VfioRegionInfo info = CookieTreeTests.regionInfo(p, fd, i).info();
            assertTrue((info.flags() & VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP) != 0, "BAR " + i);
        }
    }
}
