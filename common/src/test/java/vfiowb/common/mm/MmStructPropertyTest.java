package vfiowb.common.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static vfiowb.common.mm.Mman.MAP_FIXED;
import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.PROT_READ;
import static vfiowb.common.mm.Mman.PROT_WRITE;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vfiowb.common.errno.Errno;

/**
 * Seeded random sequences of MAP_FIXED mmaps, munmaps, faults, zaps and forks keep mm's
 * invariants. A failure names its seed; replay one with {@code -Dvfiowb.seed=N}.
 */
class MmStructPropertyTest {
    private static final long MIB = 1L << 20;
    private static final long WINDOW = 0x40_0000_0000L;
    private static final long WINDOW_SIZE = 16 * MIB;
    private static final long BASE_PFN = (64L << 30) >>> 12;

    private static final AtomicInteger SEEDS_RUN = new AtomicInteger();
    private static final AtomicInteger SEEDS_WITH_HUGE = new AtomicInteger();

    @AfterAll
    static void theSequencesExercisedHugeEntries() {
        if (SEEDS_RUN.get() > 10) {
            assertTrue(SEEDS_WITH_HUGE.get() * 2 > SEEDS_RUN.get(), SEEDS_WITH_HUGE + " of "
                    + SEEDS_RUN + " sequences made a huge entry");
        }
    }

    static LongStream seeds() {
        String fixed = System.getProperty("vfiowb.seed");
        if (fixed != null) {
            return LongStream.of(Long.parseLong(fixed));
        }
        return LongStream.concat(LongStream.range(1, 31), LongStream.of(System.nanoTime()));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomActionsKeepTheInvariants(long seed) {
        Random rnd = new Random(seed);
        Arch arch = rnd.nextBoolean() ? Arch.X86_64 : Arch.ARM64_4K;
        long page = arch.pageSize();
        RecordingOps ops = new RecordingOps(BASE_PFN);
        TestFile file = TestFile.pfnmap(arch, ops);
        MmStruct mm = new MmStruct(arch);
        int[] mmaps = {0};
        List<String> log = new ArrayList<>();
        boolean hugeSeen = false;
        try {
            for (int step = 0; step < 200; step++) {
                int action = rnd.nextInt(10);
                long addr = rnd.nextBoolean()
                        ? WINDOW + rnd.nextInt((int) (WINDOW_SIZE / page)) * page
                        : WINDOW + rnd.nextInt((int) (WINDOW_SIZE / arch.pmdSize())) * arch.pmdSize();
                if (action < 3) {
                    int kind = rnd.nextInt(3);
                    long len = kind == 0 ? (1 + rnd.nextInt(3)) * arch.pmdSize()
                            : (1 + rnd.nextInt(kind == 1 ? 16 : 1536)) * page;
                    long pgoff = rnd.nextBoolean() ? rnd.nextInt(8) * 512L : rnd.nextInt(4096);
                    log.add(String.format("mmap 0x%x+0x%x pgoff %d", addr, len, pgoff));
                    long ret = mm.doMmap(file, addr, len, PROT_READ | PROT_WRITE,
                            MAP_SHARED | MAP_FIXED, pgoff);
                    if (!Errno.isError(ret)) {
                        mmaps[0]++;
                    }
                } else if (action < 5) {
                    long len = (1 + rnd.nextInt(1024)) * page;
                    log.add(String.format("munmap 0x%x+0x%x", addr, len));
                    assertEquals(0, mm.doMunmap(addr, len));
                } else if (action < 8) {
                    log.add(String.format("fault 0x%x", addr));
                    VmFaultResult r = mm.handleMmFault(addr, rnd.nextBoolean());
                    assertTrue(r == VmFaultResult.NOPAGE
                            || (r == VmFaultResult.SIGSEGV && mm.vmaLookup(addr) == null), r::name);
                } else if (action < 9) {
                    long first = rnd.nextInt(6000);
                    long nr = rnd.nextInt(600);
                    log.add(String.format("zap pages %d+%d", first, nr));
                    file.mapping.unmapMappingPages(first, nr, false);
                } else {
                    log.add("fork+exit");
                    MmStruct child = mm.dupMmap();
                    check(child, file, ops, -1);
                    child.exitMmap();
                    assertEquals(0, child.pageTable().totalEntries());
                }
                check(mm, file, ops, mmaps[0]);
                if (mm.pageTable().entriesByLevel().get(PageTable.Level.PMD) > 0) {
                    hugeSeen = true;
                }
            }
            if (hugeSeen) {
                SEEDS_WITH_HUGE.incrementAndGet();
            }
            SEEDS_RUN.incrementAndGet();
        } catch (AssertionError | RuntimeException e) {
            fail("seed " + seed + " (replay with -Dvfiowb.seed=" + seed + "), last actions: "
                    + log.subList(Math.max(0, log.size() - 5), log.size()), e);
        }
    }

    private static void check(MmStruct mm, TestFile file, RecordingOps ops, int mmaps) {
        Arch arch = mm.arch();
        List<VmArea> vmas = mm.vmas();
        for (int i = 1; i < vmas.size(); i++) {
            assertTrue(vmas.get(i - 1).vmEnd() <= vmas.get(i).vmStart(), "VMAs overlap");
        }
        for (PageTable.Entry e : mm.pageTable().entries(0, Long.MAX_VALUE)) {
            VmArea v = mm.vmaLookup(e.va());
            assertTrue(v != null && e.end() <= v.vmEnd(), () -> "entry outside a VMA: " + e);
            long expected = BASE_PFN + v.vmPgoff() + ((e.va() - v.vmStart()) >>> arch.pageShift());
            assertEquals(expected, e.pfn(), () -> "entry does not map its file offset: " + e);
        }
        for (long slot : mm.pageTable().pteTableSlots()) {
            assertTrue(anyVma(vmas, slot, slot + arch.pmdSize()), "PTE table outlived its VMAs");
        }
        for (long slot : mm.pageTable().pmdTableSlots()) {
            assertTrue(anyVma(vmas, slot, slot + arch.pudSize()), "PMD table outlived its VMAs");
        }
        HashSet<VmArea> mine = new HashSet<>(vmas);
        long inIMmap = file.mapping.vmas().stream().filter(v -> v.vmMm() == mm).count();
        assertEquals(vmas.size(), inIMmap, "i_mmap out of step with the mm");
        assertTrue(file.mapping.vmas().stream().filter(v -> v.vmMm() == mm).allMatch(mine::contains));
        if (mmaps >= 0) {
            assertEquals(1 + vmas.size(), file.refs.get(), "one file reference per VMA");
            assertEquals(vmas.size(), mmaps + ops.opened.size() - ops.closed.size(),
                    "every VMA came from mmap or ->open and leaves through ->close");
        }
    }

    private static boolean anyVma(List<VmArea> vmas, long start, long end) {
        return vmas.stream().anyMatch(v -> v.vmStart() < end && v.vmEnd() > start);
    }
}
