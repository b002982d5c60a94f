package vfiowb.workbench.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.Stages;
import vfiowb.common.stage.VfioHost;

/** Capacity.compute and what it measures: reach, pgoff space, page-table entries. */
class CapacityTest {
    private static final long GIB = 1L << 30;
    private static final long TIB = 1L << 40;
    private static final SeriesPolicy DEFAULT = SeriesPolicy.DEFAULT;
    private static final SeriesPolicy PACKED = DEFAULT.withLayout(SeriesPolicy.Layout.PACKED);

    private static DeviceSpec device(String name) {
        return DeviceCatalogue.byName(name).orElseThrow();
    }

    /** The first stage with the cookie tree (the layout knob). */
    private static Stage cookieStage() {
        return Stages.all().stream().filter(s -> s.policyKnobs().contains("layout")).findFirst()
                .orElseThrow();
    }

    private static Stage stage(int n) {
        return Stages.byNumber(n);
    }

    private static Capacity.RegionCapacity region(Capacity.Row row, String name) {
        return row.regions().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(
                () -> new AssertionError(name + " not in " + row));
    }

    private static Capacity.Row one(Arch arch, String device, Stage s, SeriesPolicy p) {
        Capacity.Table t = Capacity.compute(arch, List.of(device(device)), List.of(s), List.of(p));
        assertEquals(1, t.rows().size());
        return t.rows().get(0);
    }

    @Nested
    class PageTableEntries {
        @Test
        void aOneTibBarOnAnAlignedCookieTakesOneThousandPudEntriesTheMinimum() {
            Capacity.Row r = one(Arch.X86_64, "ivshmem-1t", cookieStage(), DEFAULT);
            PageTables pt = region(r, "BAR2").pageTables();
            assertEquals(1_024, pt.pud());
            assertEquals(0, pt.pmd() + pt.pte());
            assertEquals(new PageTables.Minimum(0, 0, 1_024), pt.minimum());
            assertEquals(0, pt.inferredBytes(), "1,024 faults are within the budget");
        }

        @Test
        void pmdPlacementTakesHalfAMillionPmdEntriesCountedFromIdenticalPieces() {
            Capacity.Row r = one(Arch.X86_64, "ivshmem-1t", cookieStage(),
                    DEFAULT.withPlacement(SeriesPolicy.Placement.PMD));
            PageTables pt = region(r, "BAR2").pageTables();
            assertEquals(524_288, pt.pmd(), "docs/stage3.md: Linux 6.12 measured the same shape");
            assertEquals(0, pt.pud() + pt.pte());
            assertEquals(524_288, pt.faults());
            assertTrue(pt.inferredBytes() > 0 && pt.inferredBytes() < TIB, pt.toString());
        }

        @Test
        void anUnalignedPackedCookieTakesAPteForEveryPage() {
            Capacity.Row r = one(Arch.X86_64, "ivshmem-1t", cookieStage(),
                    PACKED.withAlign(SeriesPolicy.Align.NONE));
            PageTables pt = region(r, "BAR2").pageTables();
            assertEquals(TIB / 4096, pt.pte());
            assertEquals(0, pt.pmd() + pt.pud());
        }

        @Test
        void stagesBeforeTheTreeMapTheOneTibSlotWithPudEntriesToo() {
            Capacity.Row r = one(Arch.X86_64, "ivshmem-1t", stage(1), DEFAULT);
            assertEquals(1_024, region(r, "BAR2").pageTables().pud());
        }

        @ParameterizedTest
        @EnumSource(value = SeriesPolicy.Placement.class)
        void countingIdenticalPiecesGivesWhatFaultingEveryPageGives(SeriesPolicy.Placement pl) {
            // large-bars' 8 GiB BAR2 is small enough to fault whole at every placement.
            Stage s = cookieStage();
            SeriesPolicy p = Policies.effective(s, DEFAULT.withPlacement(pl));
            VfioHost host = Layouts.boot(s, Arch.X86_64, p, device("large-bars"));
            FileLayout l = Layouts.probe(host, s, p, device("large-bars"));
            Region bar2 = l.withBytes().stream().filter(x -> x.name().equals("BAR2")).findFirst()
                    .orElseThrow();
            PageTables whole = PageTables.measure(host, "large-bars", bar2, Long.MAX_VALUE);
            PageTables counted = PageTables.measure(host, "large-bars", bar2, 0);
            assertEquals(0, whole.inferredBytes());
            assertEquals(List.of(whole.pte(), whole.pmd(), whole.pud(), whole.faults()),
                    List.of(counted.pte(), counted.pmd(), counted.pud(), counted.faults()), pl.toString());
            assertTrue(counted.inferredBytes() > 0, "budget 0 counts every piece it can");
        }

        @Test
        void theMinimumUsesTheLargestEntriesTheArchInstallsThenSmallerOnes() {
            long size = TIB + (2L << 20) + 4096;
            assertEquals(new PageTables.Minimum(1, 1, 1_024), PageTables.Minimum.of(Arch.X86_64, size));
            assertEquals(new PageTables.Minimum(1, 524_289, 0), PageTables.Minimum.of(Arch.ARM64_4K, size));
            assertEquals(new PageTables.Minimum(size / 4096, 0, 0), PageTables.Minimum.of(Arch.I386, size));
            assertEquals("1024 PUD + 1 PMD + 1 PTE", PageTables.Minimum.of(Arch.X86_64, size).text());
            assertEquals(new PageTables.Minimum(1, 0, 0), PageTables.Minimum.of(Arch.X86_64, 256));
        }

        @Test
        void aRegionWithoutMmapHasNoPageTables() {
            Capacity.Row r = one(Arch.X86_64, "nic-vf", cookieStage(), DEFAULT);
            assertEquals(null, region(r, "CONFIG").pageTables());
            assertEquals(Reach.Kind.NOT_OFFERED, region(r, "CONFIG").mmap().kind());
        }
    }

    @Nested
    class Reachability {
        @Test
        void theFixedLayoutReachesOnlyTheFirstTibOfATwoTibBar() {
            Capacity.Row before = one(Arch.X86_64, "cxl-2t", stage(2), DEFAULT);
            Capacity.RegionCapacity bar2 = region(before, "BAR2");
            assertEquals(Reach.Kind.PARTIAL, bar2.rw().kind());
            assertEquals(TIB, bar2.rw().bytes());
            assertEquals(2 * TIB, bar2.rw().offered());
            assertEquals("EINVAL at 0x10000000000", bar2.rw().detail());
            assertEquals(TIB, bar2.mmap().bytes());
            assertEquals(List.of(bar2), before.rwShort());
            Capacity.Row after = one(Arch.X86_64, "cxl-2t", cookieStage(), DEFAULT);
            assertTrue(region(after, "BAR2").rw().complete());
            assertTrue(region(after, "BAR2").mmap().complete());
            assertTrue(after.rwShort().isEmpty() && after.mmapShort().isEmpty());
        }

        @Test
        void onAThirtyTwoBitKernelTheLegacyLayoutMapsOnlyBarZeroAndPackedMapsAll() {
            Capacity.Row legacy = one(Arch.I386, "nic-vf", cookieStage(), DEFAULT);
            Capacity.RegionCapacity bar3 = region(legacy, "BAR3");
            assertEquals(Reach.Kind.NONE, bar3.mmap().kind());
            assertTrue(bar3.mmap().detail().startsWith("EOVERFLOW"), bar3.mmap().detail());
            assertTrue(bar3.rw().complete(), "pread takes a 64-bit loff_t on i386 too");
            assertTrue(region(legacy, "BAR0").mmap().complete());
            assertTrue(bar3.pageTables().failure().contains("EOVERFLOW"), bar3.pageTables().toString());
            Capacity.Row packed = one(Arch.I386, "nic-vf", cookieStage(), PACKED);
            assertTrue(packed.mmapShort().isEmpty(), packed.toString());
            assertEquals(4, region(packed, "BAR3").pageTables().pte(), "16 KiB in 4 KiB entries");
        }

        @Test
        void theFourGibLimitCutsABarThatStraddlesIt() {
            Capacity.Row r = one(Arch.I386, "large-bars", stage(2), DEFAULT);
            Reach bar0 = region(r, "BAR0").mmap();
            assertEquals(Reach.Kind.PARTIAL, bar0.kind());
            assertEquals(4 * GIB - 4096, bar0.bytes(), "file_mmap_ok: the last page below 4 GiB is refused");
            assertTrue(bar0.detail().startsWith("EOVERFLOW"), bar0.detail());
        }

        @Test
        void byteKeysOnAThirtyTwoBitKernelLoseEveryRegionButBarZero() {
            Capacity.Row r = one(Arch.I386, "nic-vf", cookieStage(),
                    DEFAULT.withKeys(SeriesPolicy.Keys.BYTES));
            Set<String> failed = r.layout().regions().stream()
                    .filter(g -> "EOVERFLOW".equals(g.errno())).map(Region::name)
                    .collect(Collectors.toSet());
            assertTrue(failed.containsAll(Set.of("BAR3", "CONFIG")), failed.toString());
            assertEquals(List.of("BAR0"), r.regions().stream().map(Capacity.RegionCapacity::name).toList());
        }
    }

    @Nested
    class PgoffSpace {
        @Test
        void alignmentCostIsTheDifferenceToTheSamePolicyWithoutAlignment() {
            Stage s = cookieStage();
            Capacity.Row r = one(Arch.X86_64, "nic-vf", s, PACKED);
            FileLayout none = Layouts.probe(s, Arch.X86_64, PACKED.withAlign(SeriesPolicy.Align.NONE),
                    device("nic-vf"));
            assertEquals(r.spentBytes() - none.extent(), r.alignmentBytes());
            assertTrue(r.alignmentBytes() > 0, "BAR0's 64 KiB cookie is aligned to 64 KiB");
            assertTrue(r.spentBytes() < 4 * GIB, "packed fits below 4 GiB");
        }

        @Test
        void stagesWithoutTheAlignKnobReportNoAlignmentCost() {
            assertEquals(-1, one(Arch.X86_64, "nic-vf", stage(1), DEFAULT).alignmentBytes());
        }

        @Test
        void theLegacyLayoutSpendsUpToTheLastSlotUsed() {
            Capacity.Row r = one(Arch.X86_64, "nic-vf", stage(1), DEFAULT);
            assertEquals(7 * TIB + 4096, r.spentBytes(), "CONFIG, index 7, ends one page into its slot");
        }
    }

    @Nested
    class Rows {
        @Test
        void policiesAStageCannotTellApartGiveOneRow() {
            List<Stage> stages = List.of(stage(1), cookieStage());
            Capacity.Table t = Capacity.compute(Arch.X86_64, List.of(device("nic-vf")), stages,
                    Policies.compared());
            Set<String> first = t.stage(1).stream().map(Capacity.Row::policyLabel)
                    .collect(Collectors.toSet());
            assertEquals(Set.of("default", "placement=pmd", "placement=page"), first);
            assertEquals(Policies.compared().size(), t.stage(cookieStage().number()).size());
            assertNotNull(t.row(1, "placement=pmd", "nic-vf"));
        }

        @Test
        void everyStageOnTheClassPathIsMeasured() {
            Capacity.Table t = Capacity.compute(Arch.X86_64, List.of(device("nic-vf")), Stages.all(),
                    List.of(DEFAULT));
            assertEquals(Stages.all().stream().map(Stage::number).toList(),
                    t.rows().stream().map(Capacity.Row::stage).toList());
        }

        @Test
        void nothingToMeasureIsRefused() {
            assertThrows(IllegalArgumentException.class, () -> Capacity.compute(Arch.X86_64,
                    List.of(), Stages.all(), List.of(DEFAULT)));
        }
    }
}
