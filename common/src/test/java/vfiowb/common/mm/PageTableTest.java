package vfiowb.common.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.common.mm.PageTable.Entry;
import vfiowb.common.mm.PageTable.Level;

class PageTableTest {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private final PageTable pt = new PageTable(Arch.X86_64);

    private Entry pte(long va, long pfn) {
        return new Entry(va, Level.PTE, 4096, pfn, PgProt.UC, true, true);
    }

    private Entry pmd(long va, long pfn) {
        return new Entry(va, Level.PMD, 2 * MIB, pfn, PgProt.UC, true, true);
    }

    @Nested
    class Walk {
        @Test
        void translatesInsideAHugeEntryAndNowhereElse() {
            pt.install(new Entry(GIB, Level.PUD, GIB, 0x40000, PgProt.UC, true, true));
            assertEquals(0x4000_0000L + 0x1234_5678L, pt.translate(GIB + 0x1234_5678L).getAsLong());
            assertTrue(pt.translate(GIB - 1).isEmpty());
            assertTrue(pt.translate(2 * GIB).isEmpty());
            assertEquals(1, pt.totalEntries());
            assertEquals(Map.of(Level.PTE, 0L, Level.PMD, 0L, Level.PUD, 1L), pt.entriesByLevel());
        }

        /** pud_none and pmd_none are false over a PUD leaf; pmd_none is false over a PTE table. */
        @Test
        void slotsOverLeavesAndTablesAreNotNone() {
            pt.install(new Entry(GIB, Level.PUD, GIB, 0x40000, PgProt.UC, true, true));
            assertFalse(pt.pudNone(GIB + 5 * MIB));
            assertFalse(pt.pmdNone(GIB + 5 * MIB));
            assertTrue(pt.pudNone(2 * GIB));
            pt.install(pte(4 * MIB + 4096, 9));
            assertFalse(pt.pmdNone(4 * MIB + 8192), "the PTE table hangs under the whole PMD slot");
            assertFalse(pt.pudNone(4 * MIB + 8192), "and a PMD table under the PUD slot");
            assertTrue(pt.pmdNone(6 * MIB));
        }

        /** The leaves a range meets, in address order; an empty range meets none. */
        @Test
        void entriesListsTheLeavesInTheRange() {
            Entry a = pte(0x1000, 1);
            Entry b = pmd(2 * MIB, 512);
            pt.install(a);
            pt.install(b);
            assertEquals(List.of(a, b), pt.entries(0, 4 * MIB));
            assertEquals(List.of(b), pt.entries(3 * MIB, 3 * MIB + 1));
            assertEquals(List.of(), pt.entries(3 * MIB, 3 * MIB));
            assertEquals(0, pt.zap(3 * MIB, 3 * MIB), "zapping nothing clears nothing");
            assertEquals(2, pt.totalEntries());
        }

        /**
         * One PUD table (a page of PTRS_PER_PUD = 512 slots of 1 GiB) per 512 GiB of address
         * space that has a PUD leaf or a PMD table, where the arch has a PUD level of its own.
         */
        @Test
        void pudTablesCoverFiveHundredTwelveGibEach() {
            pt.install(new Entry(GIB, Level.PUD, GIB, 0x40000, PgProt.UC, true, true));
            pt.install(pmd(3 * GIB, 512));
            assertEquals(1, pt.pudTableCount());
            pt.install(new Entry(512 * GIB, Level.PUD, GIB, 0x80000, PgProt.UC, true, true));
            assertEquals(2, pt.pudTableCount());
            pt.install(pte(1023 * GIB, 1));
            assertEquals(2, pt.pudTableCount());
            pt.install(pte(1024 * GIB, 1));
            assertEquals(3, pt.pudTableCount());
            PageTable arm = new PageTable(Arch.ARM64_4K);
            arm.install(new Entry(GIB, Level.PMD, 2 * MIB, 512, PgProt.UC, true, true));
            assertEquals(1, arm.pudTableCount());
            PageTable folded = new PageTable(Arch.ARM64_64K);
            folded.install(new Entry(GIB, Level.PTE, 64 * 1024, 16, PgProt.UC, true, true));
            assertEquals(0, folded.pudTableCount());
            PageTable i386 = new PageTable(Arch.I386);
            i386.install(new Entry(GIB, Level.PTE, 4096, 16, PgProt.UC, true, true));
            assertEquals(0, i386.pudTableCount());
        }

        @Test
        void countsOnlyEntriesInTheRange() {
            pt.install(pte(0x1000, 1));
            pt.install(pte(0x2000, 2));
            pt.install(pmd(4 * MIB, 512));
            assertEquals(Map.of(Level.PTE, 1L, Level.PMD, 1L, Level.PUD, 0L),
                    pt.entriesByLevel(0x2000, 5 * MIB));
        }
    }

    @Nested
    class Invariants {
        @Test
        void overlappingEntriesAreAModelBug() {
            pt.install(pmd(2 * MIB, 512));
            assertThrows(IllegalStateException.class, () -> pt.install(pte(3 * MIB, 7)));
        }

        @Test
        void hugeEntriesMustBeNaturallyAlignedInVaAndPfn() {
            assertThrows(IllegalStateException.class, () -> pmd(2 * MIB + 4096, 512));
            assertThrows(IllegalStateException.class, () -> pt.install(pmd(2 * MIB, 513)));
        }

        @Test
        void anEntryMustHaveItsLevelsSizeAndAPudLeafNoTableBelow() {
            assertThrows(IllegalStateException.class,
                    () -> pt.install(new Entry(0, Level.PTE, 2 * MIB, 0, PgProt.UC, true, true)));
            pt.install(pmd(GIB, 512));
            assertThrows(IllegalStateException.class,
                    () -> pt.install(new Entry(GIB, Level.PUD, GIB, 0, PgProt.UC, true, true)));
            assertEquals(1, pt.totalEntries());
        }

        @Test
        void aHugeLeafCannotReplaceATable() {
            pt.install(pte(2 * MIB, 1));
            pt.zap(2 * MIB, 4 * MIB);
            assertFalse(pt.pmdNone(2 * MIB), "zap leaves the PTE table");
            assertThrows(IllegalStateException.class, () -> pt.install(pmd(2 * MIB, 512)));
        }
    }

    @Nested
    class Zap {
        @Test
        void clearsAHugeEntryOnlyPartlyInTheRange() {
            pt.install(pmd(2 * MIB, 512));
            pt.install(pmd(4 * MIB, 1024));
            assertEquals(1, pt.zap(3 * MIB, 3 * MIB + 4096));
            assertNull(pt.lookup(2 * MIB));
            assertEquals(1, pt.totalEntries());
        }

        @Test
        void tablesStayUntilFreed() {
            pt.install(pte(0x1000, 1));
            pt.zap(0, 2 * MIB);
            assertEquals(0, pt.totalEntries());
            assertEquals(1, pt.pteTableCount());
            assertEquals(1, pt.pmdTableCount());
            pt.freePgtables(0, 2 * MIB, (s, e) -> false);
            assertEquals(0, pt.pteTableCount());
            assertEquals(0, pt.pmdTableCount());
            assertTrue(pt.pmdNone(0x1000) && pt.pudNone(0x1000));
        }

        @Test
        void freeingATableStillInUseIsAModelBug() {
            pt.install(pte(0x1000, 1));
            assertThrows(IllegalStateException.class,
                    () -> pt.freePgtables(0, 2 * MIB, (s, e) -> false));
        }
    }
}
