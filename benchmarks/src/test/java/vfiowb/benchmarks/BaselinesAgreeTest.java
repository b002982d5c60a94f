package vfiowb.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import vfiowb.common.errno.Errno;
import vfiowb.common.lib.MapleTree;

/** The benchmarks compare like with like: same layout, same answers. No timing here. */
class BaselinesAgreeTest {

    @ParameterizedTest
    @CsvSource({"HOLES_TOO_SMALL, 10", "HOLES_TOO_SMALL, 1000", "NEAR_MISS, 10", "NEAR_MISS, 1000"})
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
        long aligned = layout.expectedAlignedFit();
        assertEquals(aligned, tree.emptyAreaAligned(FragmentedLayout.MIN_PGOFF, -1L,
            FragmentedLayout.REQUEST_PAGES, FragmentedLayout.REQUEST_ALIGN).first());
        assertEquals(aligned, map.allocFirstFit(FragmentedLayout.REQUEST_PAGES,
            FragmentedLayout.REQUEST_ALIGN, FragmentedLayout.MIN_PGOFF, Long.MAX_VALUE, -1));
        assertEquals(-Errno.EBUSY, tree.emptyAreaAligned(FragmentedLayout.MIN_PGOFF, layout.top - 1,
            FragmentedLayout.REQUEST_PAGES, FragmentedLayout.REQUEST_ALIGN).ret(),
            "no aligned fit below the top");
        if (kind == FragmentedLayout.Kind.HOLES_TOO_SMALL) {
            assertEquals(layout.top, tree.emptyArea(FragmentedLayout.MIN_PGOFF, -1L,
                FragmentedLayout.REQUEST_PAGES).first(), "no plain fit below the top either");
        }
    }
}
