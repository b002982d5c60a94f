package vfiowb.common.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static vfiowb.common.mm.Mman.MAP_FIXED;
import static vfiowb.common.mm.Mman.MAP_PRIVATE;
import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.PROT_READ;
import static vfiowb.common.mm.Mman.PROT_WRITE;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Every page-table operation gives the page-table lock back: after each one, called on this
 * thread (directly or through the mm operation that does it: a fault installs, munmap splits a
 * huge entry, zaps and frees tables, fork copies, a copy-on-write fault replaces), another thread
 * must be able to walk the table. A single-threaded test cannot see a lock that is never released
 * (it is reentrant for its holder); compare {@link MmStructLockReleaseTest}.
 */
class PageTableLockReleaseTest {
    private static final long JOIN_MILLIS = 10_000;
    private static final long MIB = 1L << 20;
    private static final long VA = 0x40_0000_0000L;

    private record Op(String name, Consumer<MmStruct> call) {}

    /** A machine whose RAM reads as zero, for copy-on-write. */
    private static final PhysicalMemory RAM = new PhysicalMemory() {
        private long next = 0x1_0000_0000L;

        @Override
        public long read(long physAddr, int width) {
            return 0;
        }

        @Override
        public void write(long physAddr, int width, long value) {
        }

        @Override
        public boolean isBacked(long physAddr) {
            return true;
        }

        @Override
        public synchronized long allocPage(long pageSize) {
            next += pageSize;
            return next;
        }
    };

    /** 4 MiB of a lazily faulted PFN map at VA, its first 2 MiB faulted in as one PMD entry. */
    private static void mapHuge(MmStruct mm) {
        TestFile f = TestFile.pfnmap(Arch.X86_64, new RecordingOps((64L << 30) >>> 12));
        assertEquals(VA, mm.doMmap(f, VA, 4 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, 0));
        mm.handleMmFault(VA, false);
    }

    private static final List<Op> OPS = List.of(
            new Op("install (fault)", PageTableLockReleaseTest::mapHuge),
            new Op("splitHugeAt, zap, freePgtables (munmap)", mm -> {
                mapHuge(mm);
                mm.doMunmap(VA + 4096, 4096);
            }),
            new Op("copyTo (fork)", mm -> {
                mapHuge(mm);
                mm.dupMmap();
            }),
            new Op("replace (copy-on-write)", mm -> {
                TestFile f = new TestFile(Arch.X86_64, v -> Memory.remapPfnRange(v, v.vmStart(),
                        0x1000, v.length(), PgProt.UC));
                mm.doMmap(f, VA, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, 0);
                mm.handleMmFault(VA, true);
            }),
            new Op("entries", mm -> mm.pageTable().entries(0, Long.MAX_VALUE)),
            new Op("entriesByLevel", mm -> mm.pageTable().entriesByLevel()),
            new Op("totalEntries", mm -> mm.pageTable().totalEntries()),
            new Op("zappedEntries", mm -> mm.pageTable().zappedEntries()),
            new Op("pteTableSlots", mm -> mm.pageTable().pteTableSlots()),
            new Op("pmdTableSlots", mm -> mm.pageTable().pmdTableSlots()),
            new Op("pteTableCount", mm -> mm.pageTable().pteTableCount()),
            new Op("pmdTableCount", mm -> mm.pageTable().pmdTableCount()),
            new Op("pudTableCount", mm -> mm.pageTable().pudTableCount()),
            new Op("lookup", mm -> mm.pageTable().lookup(VA)),
            new Op("pudNone", mm -> mm.pageTable().pudNone(VA)),
            new Op("pmdNone", mm -> mm.pageTable().pmdNone(VA)),
            new Op("zap", mm -> mm.pageTable().zap(0, VA)));

    @Test
    void anotherThreadCanWalkTheTableAfterEveryOperation() throws InterruptedException {
        for (Op op : OPS) {
            MmStruct mm = new MmStruct(Arch.X86_64, RAM);
            op.call().accept(mm);
            Thread other = new Thread(() -> {
                mm.pageTable().lookup(VA);
                mm.pageTable().totalEntries();
            }, "walker");
            other.setDaemon(true);
            other.start();
            other.join(JOIN_MILLIS);
            if (other.isAlive()) {
                fail(op.name() + " kept the page-table lock: another thread's walk never got it");
            }
        }
    }
}
