package vfiowb.benchmarks;

import vfiowb.common.lib.MapleArea;
import vfiowb.common.lib.MapleTree;

/** What {@link RangeMapBench} times, over the maple tree or the TreeMap baseline. */
interface Subject {
    Object COOKIE = new Object();
    long SIZE = FragmentedLayout.REQUEST_PAGES;
    long ALIGN = FragmentedLayout.REQUEST_ALIGN;
    long MIN = FragmentedLayout.MIN_PGOFF;

    void insertRange(long first, long last, Object entry);

    Object load(long index);

    /** Inserts one page and erases it again. */
    Object insertPair(long page);

    /** Erases a stored range and inserts it again. */
    Object erasePair(long first, long last);

    /** Lowest-fit allocation of the request, then its erasure; returns the start. */
    long allocPair();

    /** Aligned lowest-fit allocation by a search that honours the alignment, then erasure. */
    long alignedAllocPair();

    /** Aligned allocation by asking for size + align - 1 and rounding up, then erasure. */
    long oversizeAllocPair();

    /** The aligned search alone. */
    long alignedQuery();

    /** The maple tree. */
    final class Maple implements Subject {
        private final MapleTree<Object> tree = new MapleTree<>(64, MapleTree.Flag.ALLOC_RANGE);

        @Override
        public void insertRange(long first, long last, Object entry) {
            if (tree.insertRange(first, last, entry) != 0) {
                throw new IllegalStateException("overlap at " + first);
            }
        }

        @Override
        public Object load(long index) {
            return tree.load(index);
        }

        @Override
        public Object insertPair(long page) {
            int ret = tree.insert(page, COOKIE);
            tree.erase(page);
            return ret;
        }

        @Override
        public Object erasePair(long first, long last) {
            Object old = tree.erase(first);
            tree.insertRange(first, last, old);
            return old;
        }

        @Override
        public long allocPair() {
            MapleArea a = tree.allocRange(SIZE, MIN, -1L, COOKIE);
            tree.erase(a.first());
            return a.first();
        }

        @Override
        public long alignedAllocPair() {
            MapleArea a = tree.allocRangeAligned(SIZE, ALIGN, MIN, -1L, COOKIE);
            tree.erase(a.first());
            return a.first();
        }

        @Override
        public long oversizeAllocPair() {
            MapleArea a = tree.allocRangeOversizeAligned(SIZE, ALIGN, MIN, -1L, COOKIE);
            tree.erase(a.first());
            return a.first();
        }

        @Override
        public long alignedQuery() {
            return tree.emptyAreaAligned(MIN, -1L, SIZE, ALIGN).first();
        }
    }

    /** The TreeMap range map with first-fit walks. */
    final class Baseline implements Subject {
        private final TreeMapRangeMap<Object> map = new TreeMapRangeMap<>();

        @Override
        public void insertRange(long first, long last, Object entry) {
            if (!map.insertRange(first, last, entry)) {
                throw new IllegalStateException("overlap at " + first);
            }
        }

        @Override
        public Object load(long index) {
            return map.load(index);
        }

        @Override
        public Object insertPair(long page) {
            boolean ok = map.insertRange(page, page, COOKIE);
            map.erase(page);
            return ok;
        }

        @Override
        public Object erasePair(long first, long last) {
            Object old = map.erase(first);
            map.insertRange(first, last, old);
            return old;
        }

        @Override
        public long allocPair() {
            long start = map.allocFirstFit(SIZE, 1, MIN, Long.MAX_VALUE, COOKIE);
            map.erase(start);
            return start;
        }

        @Override
        public long alignedAllocPair() {
            long start = map.allocFirstFit(SIZE, ALIGN, MIN, Long.MAX_VALUE, COOKIE);
            map.erase(start);
            return start;
        }

        @Override
        public long oversizeAllocPair() {
            long gap = map.firstFit(SIZE + ALIGN - 1, 1, MIN, Long.MAX_VALUE);
            long start = (gap + ALIGN - 1) & -ALIGN;
            map.insertRange(start, start + SIZE - 1, COOKIE);
            map.erase(start);
            return start;
        }

        @Override
        public long alignedQuery() {
            return map.firstFit(SIZE, ALIGN, MIN, Long.MAX_VALUE);
        }
    }
}
