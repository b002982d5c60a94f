package vfiowb.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import vfiowb.common.errno.Errno;
import vfiowb.common.lib.MapleTree;

/** The benchmarks compare like with like: same layout, same answers. No timing here. */
class BaselinesAgreeTest {

    @ParameterizedTest
    @CsvSource({"ONE_FIT_MIDWAY, 10", "ONE_FIT_MIDWAY, 1000", "NEAR_MISS, 10", "NEAR_MISS, 1000"})
    void mapleTreeAndTreeMapAgreeOnTheLayout(FragmentedLayout.Kind kind, int n) {
        FragmentedLayout layout = FragmentedLayout.build(kind, n, 42);
        MapleTree<Integer> tree = new MapleTree<>(64, MapleTree.Flag.ALLOC_RANGE);
        TreeMapRangeMap<Integer> map = new TreeMapRangeMap<>();
        for (int i = 0; i < n; i++) {
            assertEquals(0, tree.insertRange(layout.first[i], layout.last[i], i));
            assertEquals(true, map.insertRange(layout.first[i], layout.last[i], i));
        }
        tree.validate();
        for (long q : layout.queries) {
            assertEquals(map.load(q), tree.load(q), "load " + q);
        }
        for (long page : layout.freePages) {
            assertEquals(null, tree.load(page), "free page " + page);
        }
        long size = FragmentedLayout.REQUEST_PAGES;
        long align = FragmentedLayout.REQUEST_ALIGN;
        long min = FragmentedLayout.MIN_PGOFF;
        assertEquals(layout.plainFit, tree.emptyArea(min, -1L, size).first());
        assertEquals(layout.plainFit, map.firstFit(size, 1, min, Long.MAX_VALUE));
        assertEquals(layout.alignedFit, tree.emptyAreaAligned(min, -1L, size, align).first());
        assertEquals(layout.alignedFit, map.firstFit(size, align, min, Long.MAX_VALUE));
        assertEquals(layout.alignedFit,
            tree.allocRangeOversizeAligned(size, align, min, -1L, -1).first(),
            "both layouts leave the oversize way the same answer");
        assertEquals(-Errno.EBUSY, tree.emptyAreaAligned(min, layout.alignedFit + size - 2, size, align)
            .ret(), "nothing lower fits");
    }
}
