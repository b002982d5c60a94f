package vfiowb.workbench.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.Stages;

/** What a probed layout says, checked against itself and the stage it came from. */
class LayoutsTest {
    private static final long TIB = 1L << 40;

    private static DeviceSpec device(String name) {
        return DeviceCatalogue.byName(name).orElseThrow();
    }

    private static Stage cookieStage() {
        return Stages.all().stream().filter(s -> s.policyKnobs().contains("layout")).findFirst()
                .orElseThrow();
    }

    static Stream<Arguments> everyStageDeviceAndLayout() {
        return Stages.all().stream().flatMap(s -> DeviceCatalogue.all().stream().flatMap(d ->
                Stream.of(SeriesPolicy.Layout.values()).map(l -> Arguments.of(s.number(), d.name(), l))));
    }

    /**
     * Over the whole catalogue: segments start at 0, follow each other without a hole and end
     * at the extent unless a region overlaps another; every region with bytes has one segment;
     * gaps are never empty; the region rows are GET_INFO's count.
     */
    @ParameterizedTest(name = "stage {0} {1} {2}")
    @MethodSource("everyStageDeviceAndLayout")
    void segmentsTileThePgoffSpace(int stage, String name, SeriesPolicy.Layout layout) {
        Stage s = Stages.byNumber(stage);
        if (layout == SeriesPolicy.Layout.PACKED && !s.policyKnobs().contains("layout")) {
            return;
        }
        FileLayout l = Layouts.probe(s, Arch.X86_64, SeriesPolicy.DEFAULT.withLayout(layout),
                device(name));
        if (!l.ok()) {
            return;
        }
        long cursor = 0;
        for (FileLayout.Segment seg : l.segments()) {
            if (seg.gap()) {
                assertTrue(seg.length() > 0, seg.toString());
                assertEquals(cursor, seg.start(), seg.toString());
            } else if (l.overlaps().isEmpty()) {
                assertEquals(cursor, seg.start(), seg.toString());
            }
            cursor = Math.max(cursor, seg.end());
        }
        assertEquals(cursor, l.extent());
        assertEquals(l.withBytes().size(), l.segments().stream().filter(g -> !g.gap()).count());
        assertEquals(l.extent(), l.regionBytes() + l.gapBytes());
    }

    @Test
    void theFixedLayoutIsReadFromTheOffsetsAndATwoTibBarOverrunsItsSlot() {
        FileLayout l = Layouts.probe(Stages.byNumber(2), Arch.X86_64, SeriesPolicy.DEFAULT,
                device("cxl-2t"));
        assertEquals(OptionalInt.of(40), l.slotShift());
        assertTrue(l.offSlot().isEmpty());
        assertEquals(1, l.overlaps().size(), l.overlaps().toString());
        FileLayout.Overlap v = l.overlaps().get(0);
        assertEquals(List.of(2L, 3L, 3 * TIB), List.of(v.index(), v.into(), v.at()));
        assertEquals("BAR2 runs past BAR3's offset 0x30000000000 (by 1 TiB)",
                v.text(l.region(2).end()));
        assertEquals(-1, l.cookieRanges(), "no tree before stage 3");
    }

    @Test
    void theLegacyCookieLayoutPlacesABarOverOneTibAboveEverySlot() {
        FileLayout l = Layouts.probe(cookieStage(), Arch.X86_64, SeriesPolicy.DEFAULT,
                device("cxl-2t"));
        assertEquals(OptionalInt.of(40), l.slotShift());
        assertEquals(List.of(2L), l.offSlot().stream().map(Region::index).toList());
        Region bar2 = l.region(2);
        assertTrue(Long.compareUnsigned(bar2.offset(), 9 * TIB) >= 0, Long.toHexString(bar2.offset()));
        assertTrue(l.overlaps().isEmpty());
        assertTrue(l.cookieRanges() >= l.withBytes().size());
    }

    @Test
    void thePackedLayoutLeavesPageZeroAndAlignsEachCookie() {
        Arch a = Arch.X86_64;
        FileLayout l = Layouts.probe(cookieStage(), a, SeriesPolicy.DEFAULT.withLayout(
                SeriesPolicy.Layout.PACKED), device("gpu-64g"));
        assertEquals(OptionalInt.empty(), l.slotShift());
        FileLayout.Segment first = l.segments().get(0);
        assertTrue(first.gap() && first.start() == 0 && first.length() >= a.pageSize(), first.toString());
        for (Region r : l.withBytes()) {
            // vfio_mmap_align: the largest power of two not above the size, a page to a PUD.
            long want = Math.min(a.pudSize(), Long.highestOneBit(Math.max(r.size(), a.pageSize())));
            assertEquals(0, r.offset() % want, r.name() + " at " + Long.toHexString(r.offset()));
        }
        assertFalse(l.withBytes().isEmpty());
    }
}
