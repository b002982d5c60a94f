package vfiowb.common.userspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static vfiowb.common.mm.Mman.MAP_FIXED;
import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.PROT_READ;
import static vfiowb.common.mm.Mman.PROT_WRITE;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.MmStruct;
import vfiowb.common.mm.PageTable.Level;

/**
 * How many page-table entries a device region needs once every page was touched, by
 * architecture and alignment: the numbers behind design question 4.
 */
class PageTableEntriesTest {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final int RW = PROT_READ | PROT_WRITE;

    private static Map<Level, Long> counts(long pte, long pmd, long pud) {
        return Map.of(Level.PTE, pte, Level.PMD, pmd, Level.PUD, pud);
    }

    /** A process with a device of {@code size} bytes at a physical address aligned to its size. */
    private static Process process(Arch arch, long size) {
        FakeHost host = new FakeHost(arch);
        host.addRam("bar", size, size, RamDevice.Mode.LAZY);
        Process p = new Process(host);
        p.open("bar");
        return p;
    }

    private static final int FD = 3;

    @Nested
    class OneGibRegion {
        static Stream<Arguments> aligned() {
            return Stream.of(
                    Arguments.of(Arch.X86_64, counts(0, 0, 1), 1L),
                    Arguments.of(Arch.ARM64_4K, counts(0, 512, 0), 512L),
                    Arguments.of(Arch.ARM64_64K, counts(0, 2, 0), 2L),
                    Arguments.of(Arch.I386, counts(262_144, 0, 0), 262_144L));
        }

        @ParameterizedTest
        @MethodSource("aligned")
        void alignedVaAndPfnUseTheLargestEntryTheArchHas(Arch arch, Map<Level, Long> expected,
                long faults) {
            Process p = process(arch, GIB);
            Mapping m = p.mmap(0, GIB, RW, MAP_SHARED, FD, 0);
            assertEquals(faults, m.touchAll());
            assertEquals(expected, m.pageTableEntries());
        }

        static Stream<Arguments> shiftedByOnePage() {
            return Stream.of(
                    Arguments.of(Arch.X86_64, counts(512, 511, 0)),
                    Arguments.of(Arch.ARM64_4K, counts(512, 511, 0)),
                    Arguments.of(Arch.ARM64_64K, counts(8192, 1, 0)));
        }

        @ParameterizedTest
        @MethodSource("shiftedByOnePage")
        void startingOnePageIntoABarGivesPmdsBetweenPteFringes(Arch arch,
                Map<Level, Long> expected) {
            Process p = process(arch, 2 * GIB);
            long page = arch.pageSize();
            Mapping m = p.mmap(0, GIB, RW, MAP_SHARED, FD, page);
            assertEquals(page, m.addr() % arch.pmdSize(), "VA congruent to the file offset");
            m.touchAll();
            assertEquals(expected, m.pageTableEntries());
        }

        @Test
        void aVaOnePageOffTheAlignedPfnGetsOnlyPtes() {
            Process p = process(Arch.X86_64, GIB);
            Mapping m = p.mmap(256 * GIB + 4096, GIB, RW, MAP_SHARED | MAP_FIXED, FD, 0);
            assertEquals(262_144, m.touchAll());
            assertEquals(counts(262_144, 0, 0), m.pageTableEntries());
        }

        @Test
        void upstreamPlacementMissesTheAlignmentUnlessUserspaceAlignsItself() {
            Process p = process(Arch.X86_64, GIB);
            p.mm().setUnmappedAreaPolicy(MmStruct.UnmappedAreaPolicy.PAGE);
            Mapping m = p.mmap(0, GIB, RW, MAP_SHARED, FD, 0);
            assertEquals(2 * MIB - 4096, m.addr() % (2 * MIB), "mmap_base - 1 GiB: 4 KiB short");
            for (long off = 0; off < GIB; off += 64 * MIB) {
                m.load(off, 4);
            }
            assertEquals(counts(16, 0, 0), m.pageTableEntries());
        }
    }

    @Nested
    class TwoMibRegion {
        static Stream<Arguments> aligned() {
            return Stream.of(
                    Arguments.of(Arch.X86_64, counts(0, 1, 0)),
                    Arguments.of(Arch.ARM64_4K, counts(0, 1, 0)),
                    Arguments.of(Arch.ARM64_64K, counts(32, 0, 0)),
                    Arguments.of(Arch.I386, counts(512, 0, 0)));
        }

        @ParameterizedTest
        @MethodSource("aligned")
        void alignedNeedsOnePmdWhereTheArchHasPmdPfnmap(Arch arch, Map<Level, Long> expected) {
            Process p = process(arch, 2 * MIB);
            Mapping m = p.mmap(0, 2 * MIB, RW, MAP_SHARED, FD, 0);
            m.touchAll();
            assertEquals(expected, m.pageTableEntries());
        }

        @ParameterizedTest
        @MethodSource("aligned")
        void aMisalignedVaNeedsOnePtePerPage(Arch arch, Map<Level, Long> ignored) {
            Process p = process(arch, 2 * MIB);
            long va = (arch.is32Bit() ? 0x4000_0000L : 0x40_0000_0000L) + arch.pageSize();
            Mapping m = p.mmap(va, 2 * MIB, RW, MAP_SHARED | MAP_FIXED, FD, 0);
            m.touchAll();
            assertEquals(counts(2 * MIB / arch.pageSize(), 0, 0), m.pageTableEntries());
        }
    }

    @Nested
    class TouchingAPiece {
        @Test
        void piecesAddUpToTheWholeAndEachTakesOnlyItsOwnEntries() {
            Process whole = process(Arch.X86_64, 2 * GIB);
            Mapping w = whole.mmap(256 * GIB + 4096, GIB, RW, MAP_SHARED | MAP_FIXED, FD, 4096);
            long all = w.touchAll();
            Process pieces = process(Arch.X86_64, 2 * GIB);
            Mapping m = pieces.mmap(256 * GIB + 4096, GIB, RW, MAP_SHARED | MAP_FIXED, FD, 4096);
            long head = m.touch(0, 2 * MIB - 4096);
            assertEquals(counts(511, 0, 0), m.pageTableEntries(), "the fringe up to the first PMD");
            long rest = m.touch(2 * MIB - 4096, GIB);
            assertEquals(all, head + rest);
            assertEquals(w.pageTableEntries(), m.pageTableEntries());
            assertEquals(0, m.touch(0, GIB), "nothing left to fault");
        }

        @Test
        void aRangeOutsideTheMappingOrUnalignedIsRefused() {
            Process p = process(Arch.X86_64, GIB);
            Mapping m = p.mmap(0, GIB, RW, MAP_SHARED, FD, 0);
            assertThrows(IllegalArgumentException.class, () -> m.touch(0, GIB + 4096));
            assertThrows(IllegalArgumentException.class, () -> m.touch(1, 4096));
            assertThrows(IllegalArgumentException.class, () -> m.touch(8192, 4096));
            assertEquals(0, m.pageTableEntries().values().stream().mapToLong(Long::longValue).sum());
        }
    }
}
