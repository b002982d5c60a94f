package vfiowb.common.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import vfiowb.common.errno.Errno;
import vfiowb.common.testing.SeededRuns;

/**
 * The two ways to allocate an aligned range: the model's aligned gap search and the oversize-then-
 * round trick a kernel caller must use today.
 */
class MapleTreeAlignedTest {
    /** Keys are pgoffs of 4 KiB pages; PUD_SIZE (1 GiB) is 2^18 pages. */
    private static final long PUD_PAGES = 1L << 18;

    private static MapleTree<Integer> tree() {
        return new MapleTree<>(64, 4, 5, MapleTree.Flag.ALLOC_RANGE);
    }

    @Nested
    class Example {
        @Test
        void anExactlySizedAlignedHoleIsUsedOnlyByTheGapSearch() {
            MapleTree<String> t = new MapleTree<>(64, MapleTree.Flag.ALLOC_RANGE);
            t.insertRange(0, 511, "bar0");
            t.insertRange(1024, 1535, "bar2");
            MapleArea oversize = t.emptyArea(0, -1L, 512 + 511);
            assertEquals(1536, oversize.first(), "the oversize way must skip the hole [512, 1023]");
            assertEquals(MapleArea.of(512, 1023), t.allocRangeAligned(512, 512, 0, -1L, "native"));
            assertEquals(MapleArea.of(1536, 2047),
                t.allocRangeOversizeAligned(512, 512, 0, -1L, "oversize"));
        }

        @Test
        void theOversizeWayRoundsUpInsideTheLargerGapAndStoresOnlyTheAlignedRange() {
            MapleTree<String> t = new MapleTree<>(64, MapleTree.Flag.ALLOC_RANGE);
            t.insertRange(0, 6, "a");
            assertEquals(MapleArea.of(8, 15),
                t.allocRangeAligned(MapleTree.AlignStrategy.OVERSIZE_ROUND_UP, 8, 8, 0, 100, "x"),
                "a 15-index run from 7, rounded up to 8");
            assertEquals(List.of(7L), freeBetween(t, 0, 15), "index 7 stays free");
        }

        @Test
        void alignmentErrors() {
            MapleTree<String> t = new MapleTree<>(64, MapleTree.Flag.ALLOC_RANGE);
            assertEquals(-Errno.EINVAL, t.allocRangeAligned(8, 12, 0, 100, "x").ret());
            assertEquals(-Errno.EINVAL, t.allocRangeOversizeAligned(8, 12, 0, 100, "x").ret());
            assertEquals(MapleArea.of(64, 71), t.allocRangeAligned(8, 64, 1, 100, "x"));
            assertEquals(-Errno.EBUSY, t.allocRangeOversizeAligned(8, 64, 1, 100, "y").ret(),
                "71 free indices needed; the longest free run in [1, 100] is 63");
            assertEquals(-Errno.EBUSY,
                t.allocRangeOversizeAligned((1L << 63) + 1, 1L << 63, 0, -1L, "z").ret(),
                "size + align - 1 overflows");
            assertEquals(-Errno.EBUSY,
                t.allocRangeAligned((1L << 63) + 1, 1L << 63, 0, -1L, "z").ret());
        }

        private List<Long> freeBetween(MapleTree<String> t, long from, long to) {
            List<Long> free = new ArrayList<>();
            for (long i = from; i <= to; i++) {
                if (t.load(i) == null) {
                    free.add(i);
                }
            }
            return free;
        }
    }

    @Nested
    class BothStrategies {
        @Test
        void alwaysReturnAlignedNonOverlappingRangesInsideTheWindow() {
            for (MapleTree.AlignStrategy how : MapleTree.AlignStrategy.values()) {
                SeededRuns.of("aligned-" + how, 10, 2_000).run(r -> {
                    MapleTree<Integer> t = tree();
                    for (int i = 0; i < 200; i++) {
                        long k = r.nextInt(1 << 16);
                        t.insertRange(k, k + r.nextInt(64), -1);
                    }
                    return t;
                }, (t, r, step) -> {
                    if (r.nextInt(t.count() > 300 ? 2 : 4) == 0) {
                        MapleTree.Entry<Integer> victim = t.find(r.nextInt(1 << 17), -1L);
                        if (victim != null) {
                            assertEquals(victim.entry(), t.erase(victim.first()));
                            t.validate();
                        }
                        return;
                    }
                    long size = 1 + r.nextInt(1 << r.nextInt(9));
                    long align = 1L << r.nextInt(10);
                    long min = r.nextInt(1 << 17);
                    long max = r.nextBoolean() ? -1L : min + r.nextInt(1 << 14);
                    MapleArea a = t.allocRangeAligned(how, size, align, min, max, step);
                    if (!a.ok()) {
                        assertTrue(a.ret() == -Errno.EBUSY || a.ret() == -Errno.EINVAL, a.toString());
                        return;
                    }
                    assertEquals(0, a.first() & (align - 1), "aligned");
                    assertEquals(size, a.last() - a.first() + 1, "size");
                    assertTrue(Long.compareUnsigned(a.first(), min) >= 0, "inside the window");
                    assertTrue(Long.compareUnsigned(a.last(), max) <= 0, "inside the window");
                    assertEquals(step, t.load(a.first()));
                    assertEquals(step, t.load(a.last()));
                    t.validate();
                });
            }
        }
    }

    @Nested
    class Waste {
        /**
         * On the same tree, the aligned gap search starts no later than the oversize way, and
         * succeeds whenever it does: every range the oversize way can return is one the gap search
         * also considers. Both trees then keep the gap search's choice, so they stay identical.
         */
        @Test
        void theGapSearchNeverStartsLaterOnTheSameTree() {
            long[] wasted = new long[3];
            SeededRuns.of("aligned-same-tree", 10, 2_000).run(r -> {
                List<MapleTree<Integer>> pair = List.of(tree(), tree());
                for (int i = 0; i < 300; i++) {
                    long k = r.nextInt(1 << 18);
                    long last = k + r.nextInt(512);
                    pair.get(0).insertRange(k, last, -1);
                    pair.get(1).insertRange(k, last, -1);
                }
                return pair;
            }, (pair, r, step) -> {
                MapleTree<Integer> gap = pair.get(0);
                MapleTree<Integer> over = pair.get(1);
                if (r.nextInt(3) == 0) {
                    long k = r.nextInt(1 << 18);
                    assertEquals(gap.erase(k), over.erase(k));
                    return;
                }
                long size = 1L << r.nextInt(10);
                long align = Math.min(size, 1L << r.nextInt(10));
                long min = r.nextInt(1 << 16);
                long max = r.nextInt(4) == 0 ? -1L : min + r.nextInt(1 << 19);
                MapleArea g = gap.allocRangeAligned(size, align, min, max, step);
                MapleArea o = over.allocRangeOversizeAligned(size, align, min, max, step);
                if (o.ok()) {
                    assertTrue(g.ok(), "gap search failed where the oversize way found " + o);
                    assertTrue(Long.compareUnsigned(g.first(), o.first()) <= 0,
                        "gap search " + g + " starts after oversize " + o);
                    wasted[0] += o.first() - g.first();
                    over.erase(o.first());
                } else if (g.ok()) {
                    wasted[1]++;
                }
                if (g.ok()) {
                    assertEquals(0, over.insertRange(g.first(), g.last(), step));
                    wasted[2]++;
                }
            });
            System.out.println("same tree: oversize started " + wasted[0] + " indices later in total, "
                + "failed " + wasted[1] + " times where the gap search fit, over " + wasted[2]
                + " allocations");
        }

        /**
         * The same sequence on two trees: a device's regions (BAR-like power-of-two sizes in pages,
         * aligned to min(size, PUD)) allocated one after another, as stage 3 hands out cookies. The
         * pgoff space each layout spans (its highest used pgoff) is never larger with the gap
         * search. This is checked, not proved: the default run is 200 sequences, and 10 000
         * ({@code -Dvfiowb.scale=50}) found no counterexample.
         */
        @Test
        void theGapSearchNeverSpansMorePgoffSpaceOnTheSameSequence() {
            long[] span = new long[2];
            SeededRuns.of("aligned-same-sequence", 200, 24).run(r -> {
                List<MapleTree<Integer>> pair = List.of(tree(), tree());
                return pair;
            }, (pair, r, step) -> {
                long size = 1L << r.nextInt(r.nextInt(8) == 0 ? 30 : 19);
                long align = Math.min(size, PUD_PAGES);
                MapleArea g = pair.get(0).allocRangeAligned(size, align, 1, -1L, step);
                MapleArea o = pair.get(1).allocRangeOversizeAligned(size, align, 1, -1L, step);
                assertTrue(g.ok() && o.ok());
                long gTop = top(pair.get(0));
                long oTop = top(pair.get(1));
                assertTrue(gTop <= oTop, "gap search spans " + gTop + " pages, oversize " + oTop);
                if (step == 24) {
                    span[0] += gTop;
                    span[1] += oTop;
                }
            });
            System.out.println("same sequence: gap search spans " + span[0] + " pages, oversize "
                + span[1] + " pages over all seeds");
            assertTrue(span[0] <= span[1]);
        }

        /**
         * For arbitrary sizes the span claim is not a theorem, which is why the test above keeps to
         * BAR-like sizes: first fit by either rule can be beaten by the other on a later request.
         * Here the gap search puts a 1-page, 8-aligned range into a 7-page hole the oversize way
         * cannot use (it needs 8), and the next request of 6 pages then fits that hole only for
         * the oversize way.
         */
        @Test
        void forArbitrarySizesEitherWayCanSpanLess() {
            List<MapleTree<Integer>> pair = List.of(tree(), tree());
            for (MapleTree<Integer> t : pair) {
                t.insertRange(0, 3, 0);
                t.insertRange(11, 15, 0);
            }
            assertEquals(MapleArea.of(8, 8), pair.get(0).allocRangeAligned(1, 8, 0, -1L, 1));
            assertEquals(MapleArea.of(16, 16), pair.get(1).allocRangeOversizeAligned(1, 8, 0, -1L, 1));
            assertEquals(MapleArea.of(16, 21), pair.get(0).allocRangeAligned(6, 1, 0, -1L, 2));
            assertEquals(MapleArea.of(4, 9), pair.get(1).allocRangeOversizeAligned(6, 1, 0, -1L, 2));
            assertEquals(22, top(pair.get(0)));
            assertEquals(17, top(pair.get(1)));
        }

        private long top(MapleTree<Integer> t) {
            long top = 0;
            for (MapleTree.Entry<Integer> e : t) {
                top = e.last() + 1;
            }
            return top;
        }
    }
}
