package vfiowb.common.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;

class MapleTreeTest {
    private static final long ULONG_MAX = -1L;
    private static final long U32_MAX = 0xFFFF_FFFFL;

    static MapleTree<String> allocTree() {
        return new MapleTree<>(64, MapleTree.Flag.ALLOC_RANGE);
    }

    static List<String> ranges(MapleTree<String> t) {
        List<String> out = new ArrayList<>();
        for (MapleTree.Entry<String> e : t) {
            out.add(Long.toHexString(e.first()) + "-" + Long.toHexString(e.last()) + "=" + e.entry());
        }
        return out;
    }

    @Nested
    class InsertAndLoad {
        @Test
        void loadFindsEveryIndexOfAnInclusiveRange() {
            MapleTree<String> t = allocTree();
            assertEquals(0, t.insertRange(0x10, 0x1f, "a"));
            assertNull(t.load(0xf));
            assertEquals("a", t.load(0x10));
            assertEquals("a", t.load(0x18));
            assertEquals("a", t.load(0x1f));
            assertNull(t.load(0x20));
            t.validate();
        }

        @Test
        void anyOverlapIsEexistAndLeavesTheTreeAlone() {
            MapleTree<String> t = allocTree();
            assertEquals(0, t.insertRange(100, 199, "a"));
            assertEquals(-Errno.EEXIST, t.insertRange(50, 100, "b"), "touches the first index");
            assertEquals(-Errno.EEXIST, t.insertRange(199, 300, "b"), "touches the last index");
            assertEquals(-Errno.EEXIST, t.insertRange(120, 130, "b"), "inside");
            assertEquals(-Errno.EEXIST, t.insertRange(0, 1000, "b"), "covering");
            assertEquals(-Errno.EEXIST, t.insert(150, "b"));
            assertEquals(0, t.insertRange(200, 200, "c"), "adjacent is free");
            assertEquals(0, t.insertRange(99, 99, "d"), "adjacent is free");
            assertEquals(List.of("63-63=d", "64-c7=a", "c8-c8=c"), ranges(t));
        }

        @Test
        void firstAfterLastOrNullEntryIsEinval() {
            MapleTree<String> t = allocTree();
            assertEquals(-Errno.EINVAL, t.insertRange(5, 4, "a"));
            assertEquals(-Errno.EINVAL, t.insertRange(5, 5, null));
            assertEquals(-Errno.EINVAL, t.insert(5, null));
            assertTrue(t.isEmpty());
        }

        @Test
        void keysAreUnsigned() {
            MapleTree<String> t = allocTree();
            assertEquals(0, t.insertRange(Long.MIN_VALUE, Long.MIN_VALUE + 9, "high"));
            assertEquals(0, t.insertRange(Long.MAX_VALUE - 9, Long.MAX_VALUE, "mid"));
            assertEquals(0, t.insertRange(ULONG_MAX - 1, ULONG_MAX, "top"));
            assertEquals(0, t.insertRange(0, 0, "zero"));
            assertEquals(List.of("0-0=zero", "7ffffffffffffff6-7fffffffffffffff=mid",
                "8000000000000000-8000000000000009=high", "fffffffffffffffe-ffffffffffffffff=top"),
                ranges(t));
            assertEquals("top", t.load(ULONG_MAX));
            assertEquals("high", t.load(Long.MIN_VALUE + 3));
            t.validate();
        }

        @Test
        void theWholeKeySpaceIsOneRange() {
            MapleTree<String> t = allocTree();
            assertEquals(0, t.insertRange(0, ULONG_MAX, "all"));
            assertEquals("all", t.load(0));
            assertEquals("all", t.load(ULONG_MAX));
            assertEquals(-Errno.EBUSY, t.emptyArea(0, ULONG_MAX, 1).ret());
            assertEquals(-Errno.EEXIST, t.insert(42, "x"));
            assertEquals("all", t.erase(1L << 63));
            assertTrue(t.isEmpty());
        }

        @Test
        void manyInsertsKeepTheHeightLogarithmic() {
            MapleTree<Integer> t = new MapleTree<>(64, MapleTree.Flag.ALLOC_RANGE);
            SplittableRandom r = new SplittableRandom(7);
            int n = 0;
            while (n < 100_000) {
                long k = r.nextLong(1L << 40) * 4;
                if (t.insertRange(k, k + 1, n) == 0) {
                    n++;
                }
            }
            t.validate();
            assertEquals(n, t.count());
            // 16-slot leaves at least half full, 10-slot internal nodes at least half full
            assertTrue(t.height() <= 7, "height " + t.height());
            assertTrue(t.height() >= 4, "height " + t.height());
        }
    }

    @Nested
    class StoreRange {
        MapleTree<String> abc() {
            MapleTree<String> t = allocTree();
            t.insertRange(0x00, 0x0f, "a");
            t.insertRange(0x10, 0x1f, "b");
            t.insertRange(0x20, 0x2f, "c");
            return t;
        }

        @Test
        void truncatesNeighboursOnBothSides() {
            MapleTree<String> t = abc();
            assertEquals(0, t.storeRange(0x08, 0x27, "x"));
            assertEquals(List.of("0-7=a", "8-27=x", "28-2f=c"), ranges(t));
            t.validate();
        }

        @Test
        void splitsARangeItFallsInside() {
            MapleTree<String> t = abc();
            assertEquals(0, t.storeRange(0x14, 0x17, "x"));
            assertEquals(List.of("0-f=a", "10-13=b", "14-17=x", "18-1f=b", "20-2f=c"), ranges(t));
        }

        @Test
        void overwritesExactlyAndCoversWhole() {
            MapleTree<String> t = abc();
            assertEquals(0, t.store(0x10, "y"));
            assertEquals(0, t.storeRange(0x00, 0x0f, "z"));
            assertEquals(List.of("0-f=z", "10-10=y", "11-1f=b", "20-2f=c"), ranges(t));
            assertEquals(0, t.storeRange(0, 0x100, "all"));
            assertEquals(List.of("0-100=all"), ranges(t));
        }

        @Test
        void nullClearsTheRange() {
            MapleTree<String> t = abc();
            assertEquals(0, t.storeRange(0x0c, 0x23, null));
            assertEquals(List.of("0-b=a", "24-2f=c"), ranges(t));
            assertEquals(0, t.storeRange(0, ULONG_MAX, null));
            assertTrue(t.isEmpty());
        }

        @Test
        void firstAfterLastIsEinval() {
            assertEquals(-Errno.EINVAL, abc().storeRange(9, 8, "x"));
        }
    }

    @Nested
    class Erase {
        @Test
        void removesTheWholeRangeHoldingTheIndex() {
            MapleTree<String> t = allocTree();
            t.insertRange(0x1000, 0x1fff, "bar0");
            t.insertRange(0x3000, 0x3fff, "bar2");
            assertEquals("bar0", t.erase(0x1abc));
            assertNull(t.load(0x1000));
            assertNull(t.load(0x1fff));
            assertEquals("bar2", t.load(0x3000));
            assertNull(t.erase(0x1abc), "already gone");
            assertNull(t.erase(0x2000), "never there");
        }

        @Test
        void erasingEverythingEmptiesTheTree() {
            MapleTree<Integer> t = new MapleTree<>(64, 3, 4, MapleTree.Flag.ALLOC_RANGE);
            for (int i = 0; i < 500; i++) {
                assertEquals(0, t.insertRange(i * 10L, i * 10L + 4, i));
            }
            t.validate();
            for (int i = 0; i < 500; i += 2) {
                assertEquals(i, t.erase(i * 10L + 2));
                t.validate();
            }
            for (int i = 499; i > 0; i -= 2) {
                assertEquals(i, t.erase(i * 10L));
                t.validate();
            }
            assertTrue(t.isEmpty());
            assertEquals(0, t.height());
        }
    }

    @Nested
    class Allocation {
        @Test
        void lowestAndHighestFit() {
            MapleTree<String> t = allocTree();
            t.insertRange(0, 9, "a");
            t.insertRange(13, 19, "b");
            t.insertRange(30, 39, "c");
            MapleArea lo = t.allocRange(5, 0, 100, "x");
            assertEquals(MapleArea.of(20, 24), lo, "[10,12] is too small; [20,29] is the lowest fit");
            MapleArea hi = t.allocRRange(5, 0, 100, "y");
            assertEquals(MapleArea.of(96, 100), hi);
            assertEquals("x", t.load(22));
            assertEquals("y", t.load(100));
            t.validate();
        }

        @Test
        void honoursTheWindow() {
            MapleTree<String> t = allocTree();
            assertEquals(MapleArea.of(4096, 4096 + 8191), t.allocRange(8192, 4096, ULONG_MAX, "a"));
            assertEquals(MapleArea.of(ULONG_MAX - 8191, ULONG_MAX),
                t.allocRRange(8192, 4096, ULONG_MAX, "b"));
            assertEquals(MapleArea.of(12288, 12288 + 99), t.allocRange(100, 4096, 20000, "c"));
            assertEquals(MapleArea.of(0, 99), t.allocRange(100, 0, 20000, "d"));
        }

        @Test
        void nothingFittingIsEbusy() {
            MapleTree<String> t = allocTree();
            t.insertRange(0, 9, "a");
            t.insertRange(12, 20, "b");
            assertEquals(MapleArea.error(-Errno.EBUSY), t.allocRange(3, 0, 20, "x"));
            assertEquals(MapleArea.error(-Errno.EBUSY), t.allocRRange(3, 0, 20, "x"));
            assertEquals(MapleArea.of(10, 11), t.allocRange(2, 0, 20, "x"));
            assertEquals(MapleArea.error(-Errno.EBUSY), t.allocRange(1, 0, 20, "x"));
        }

        @Test
        void badArgumentsAreEinval() {
            MapleTree<String> t = allocTree();
            assertEquals(-Errno.EINVAL, t.allocRange(0, 0, 100, "x").ret(), "size 0");
            assertEquals(-Errno.EINVAL, t.allocRange(1, 10, 9, "x").ret(), "min > max");
            assertEquals(-Errno.EINVAL, t.allocRange(11, 0, 9, "x").ret(), "window too small");
            assertEquals(0, t.allocRange(10, 0, 9, "x").ret(), "window exactly the size");
            assertEquals(-Errno.EINVAL, t.allocRange(1, 0, 100, null).ret(), "null entry");
            assertEquals(-Errno.EINVAL, t.allocRangeAligned(4, 3, 0, 100, "x").ret(), "align 3");
            assertEquals(-Errno.EINVAL, t.allocRangeAligned(4, 0, 0, 100, "x").ret(), "align 0");
            assertEquals(-Errno.EINVAL, t.emptyArea(0, 100, 0).ret());
            assertEquals(-Errno.EINVAL, t.emptyAreaRev(5, 4, 1).ret());
        }

        @Test
        void aTreeWithoutAllocRangeRefusesAllocation() {
            MapleTree<String> t = new MapleTree<>(64);
            assertFalse(t.isAllocTree());
            assertEquals(-Errno.EINVAL, t.allocRange(1, 0, 100, "x").ret());
            assertEquals(-Errno.EINVAL, t.allocRRange(1, 0, 100, "x").ret());
            assertEquals(-Errno.EINVAL, t.allocRangeAligned(1, 1, 0, 100, "x").ret());
            assertEquals(-Errno.EINVAL, t.allocRangeOversizeAligned(1, 1, 0, 100, "x").ret());
            assertEquals(MapleArea.of(0, 0), t.emptyArea(0, 100, 1), "the search itself works");
            assertTrue(t.isEmpty());
        }

        @Test
        void emptyAreaFindsWithoutStoring() {
            MapleTree<String> t = allocTree();
            t.insertRange(10, 19, "a");
            assertEquals(MapleArea.of(0, 9), t.emptyArea(0, 100, 10));
            assertEquals(MapleArea.of(20, 30), t.emptyArea(0, 100, 11));
            assertEquals(MapleArea.of(90, 100), t.emptyAreaRev(0, 100, 11));
            assertEquals(MapleArea.of(0, 9), t.emptyAreaRev(0, 19, 10));
            assertEquals(1, t.count());
        }

        @Test
        void iommufdStyleByteKeysFromPageSize() {
            MapleTree<String> t = allocTree();
            long page = 4096;
            MapleArea a = t.allocRange(16 * page, page, ULONG_MAX, "viommu");
            MapleArea b = t.allocRange(page, page, ULONG_MAX, "hwqueue");
            assertEquals(page, a.first());
            assertEquals(17 * page, b.first());
            assertEquals("viommu", t.load(a.startOrThrow() + 5 * page));
            ErrnoException full = assertThrows(ErrnoException.class,
                () -> t.allocRange(page, page, 18 * page - 1, "z").startOrThrow());
            assertEquals(Errno.EBUSY, full.errno());
        }
    }

    @Nested
    class Iteration {
        @Test
        void yieldsRangesInUnsignedKeyOrder() {
            MapleTree<String> t = new MapleTree<>(64, 3, 4, MapleTree.Flag.ALLOC_RANGE);
            SplittableRandom r = new SplittableRandom(3);
            for (int i = 0; i < 300; i++) {
                long k = r.nextLong() & ~0xFL;
                t.insertRange(k, k + 7, "e" + i);
            }
            long prev = 0;
            boolean first = true;
            int n = 0;
            for (MapleTree.Entry<String> e : t) {
                if (!first) {
                    assertTrue(Long.compareUnsigned(prev, e.first()) < 0);
                }
                first = false;
                prev = e.last();
                n++;
            }
            assertEquals(t.count(), n);
        }

        @Test
        void anIteratorKeepsTheTreeAsItWas() {
            MapleTree<String> t = allocTree();
            for (int i = 0; i < 100; i++) {
                t.insert(i, "v" + i);
            }
            Iterator<MapleTree.Entry<String>> it = t.iterator();
            t.destroy();
            t.insert(1000, "new");
            int n = 0;
            while (it.hasNext()) {
                assertEquals("v" + n, it.next().entry());
                n++;
            }
            assertEquals(100, n);
        }

        @Test
        void rangeAndFindSeeOverlappingRanges() {
            MapleTree<String> t = allocTree();
            t.insertRange(0, 9, "a");
            t.insertRange(20, 29, "b");
            t.insertRange(40, 49, "c");
            List<String> seen = new ArrayList<>();
            t.range(5, 40).forEach(e -> seen.add(e.entry()));
            assertEquals(List.of("a", "b", "c"), seen);
            assertEquals("b", t.find(10, 100).entry());
            assertEquals("b", t.find(29, 29).entry());
            assertNull(t.find(30, 39));
            assertNull(t.find(50, ULONG_MAX));
        }

        @Test
        void emptyAndDestroy() {
            MapleTree<String> t = allocTree();
            assertTrue(t.isEmpty());
            assertFalse(t.iterator().hasNext());
            t.insertRange(1, 2, "a");
            assertFalse(t.isEmpty());
            t.destroy();
            assertTrue(t.isEmpty());
            assertNull(t.load(1));
            assertEquals(0, t.count());
            t.validate();
        }

        @Test
        void dumpShowsNodesAndGaps() {
            MapleTree<String> t = new MapleTree<>(64, 2, 4, MapleTree.Flag.ALLOC_RANGE);
            t.insertRange(0, 9, "a");
            t.insertRange(20, 29, "b");
            t.insertRange(100, 109, "c");
            String d = t.dump();
            assertTrue(d.startsWith("maple_tree(64-bit, ALLOC_RANGE) height 2, 3 ranges"), d);
            assertTrue(d.contains("arange [0-1d] gap 10 [64-6d] gap 0"), d);
        }
    }

    @Nested
    class ThirtyTwoBitKeys {
        MapleTree<String> t32() {
            return new MapleTree<>(32, MapleTree.Flag.ALLOC_RANGE);
        }

        @Test
        void nothingIsStoredAboveU32Max() {
            MapleTree<String> t = t32();
            assertEquals(U32_MAX, t.keyMax());
            assertEquals(-Errno.EINVAL, t.insertRange(U32_MAX, U32_MAX + 1, "x"));
            assertEquals(-Errno.EINVAL, t.insert(1L << 32, "x"));
            assertEquals(-Errno.EINVAL, t.storeRange(0, 1L << 32, "x"));
            assertEquals(-Errno.EINVAL, t.allocRange(1, 0, 1L << 32, "x").ret());
            assertEquals(-Errno.EINVAL, t.emptyArea(0, ULONG_MAX, 1).ret());
            assertEquals(0, t.insertRange(U32_MAX - 1, U32_MAX, "top"));
            assertNull(t.load(1L << 32));
            assertNull(t.load(ULONG_MAX));
            assertNull(t.erase(1L << 32));
            assertEquals("top", t.load(U32_MAX));
        }

        @Test
        void allocationStaysBelowU32Max() {
            MapleTree<String> t = t32();
            assertEquals(MapleArea.of(U32_MAX - 0xfff, U32_MAX), t.allocRRange(0x1000, 0, U32_MAX, "hi"));
            long big = 1L << 31;
            assertEquals(MapleArea.of(0, big - 1), t.allocRange(big, 0, U32_MAX, "lo"));
            MapleArea rest = t.allocRange(big - 0x1000, 0, U32_MAX, "mid");
            assertEquals(MapleArea.of(big, U32_MAX - 0x1000), rest);
            assertEquals(-Errno.EBUSY, t.allocRange(1, 0, U32_MAX, "none").ret(), "4 GiB of keys is full");
            for (MapleTree.Entry<String> e : t) {
                assertTrue(Long.compareUnsigned(e.last(), U32_MAX) <= 0);
            }
            t.validate();
        }

        @Test
        void usesTheKernel32BitSlotCounts() {
            MapleTree<Integer> t = new MapleTree<>(32, MapleTree.Flag.ALLOC_RANGE);
            for (int i = 0; i < 32; i++) {
                t.insert(i * 2L, i);
            }
            assertEquals(1, t.height(), "32 ranges fit one 32-slot leaf");
            t.insert(100, 32);
            assertEquals(2, t.height());
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 16, 31, 33, 48, 65})
        void otherWidthsAreRefused(int bits) {
            assertThrows(IllegalArgumentException.class, () -> new MapleTree<String>(bits));
        }
    }
}
