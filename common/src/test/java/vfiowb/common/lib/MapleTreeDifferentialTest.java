package vfiowb.common.lib;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import vfiowb.common.testing.SeededRuns;

/**
 * Seeded random differential test: every operation is applied to a {@link MapleTree} and to the
 * naive {@link RangeMapReference}; after every step the answers, the stored ranges, a gap search
 * in each direction and an aligned gap search must agree, and after every mutation
 * {@link MapleTree#validate()} checks the structure (key order, no overlaps, exact spans and gaps,
 * balanced height, fill).
 *
 * <p>The default run is 4 key-space shapes x 25 seeds x 10 000 steps = 1 000 000 operations.
 * Longer fuzz runs: {@code -Dvfiowb.scale=10} (10x the seeds) or {@code -Dvfiowb.steps=100000};
 * replay a failure with the {@code -Dvfiowb.seed=<n>} its message names.
 */
class MapleTreeDifferentialTest {
    static final int SEEDS = 25;
    static final int STEPS = 10_000;
    private static final AtomicLong TOTAL = new AtomicLong();

    /** A shape of key space: where keys fall, how wide the tree is and how big it is kept. */
    private record Shape(String name, int keyBits, int leafSlots, int internalSlots, long[] anchors,
                         int spread, int target, boolean allocTree) {}

    private static final long TOP64 = -1L;

    @Test
    void smallKeysTinyNodes() {
        run(new Shape("small", 64, 3, 4, new long[] {0}, 3000, 120, true));
    }

    @Test
    void unsignedBoundariesOf64BitKeys() {
        run(new Shape("top64", 64, 4, 5,
            new long[] {0, Long.MAX_VALUE - 1500, TOP64 - 2999}, 3000, 120, true));
    }

    @Test
    void thirtyTwoBitKeys() {
        run(new Shape("bits32", 32, 3, 4,
            new long[] {0, 0x7FFF_F000L, 0xFFFF_FFFFL - 2999}, 3000, 120, true));
    }

    @Test
    void kernelFanoutLargerTree() {
        run(new Shape("kernel", 64, MapleTree.KERNEL_LEAF_SLOTS_64,
            MapleTree.KERNEL_ARANGE_SLOTS_64, new long[] {0, 1L << 40}, 200_000, 400, true));
    }

    @Test
    void nonAllocTreeRefusesAllocations() {
        SeededRuns runs = SeededRuns.of("maple-diff-plain", 2, 2_000);
        TOTAL.addAndGet(runs.run(r -> new State(new Shape("plain", 64, 3, 4, new long[] {0}, 2000,
            60, false)), MapleTreeDifferentialTest::step).steps());
    }

    @AfterAll
    static void report() {
        System.out.println("maple differential: " + TOTAL.get() + " operations checked");
    }

    private static void run(Shape shape) {
        SeededRuns runs = SeededRuns.of("maple-diff-" + shape.name(), SEEDS, STEPS);
        SeededRuns.Totals t = runs.run(r -> new State(shape), MapleTreeDifferentialTest::step);
        TOTAL.addAndGet(t.steps());
        assertTrue(t.steps() >= (long) runs.seeds() * runs.steps());
    }

    private static final class State {
        final Shape shape;
        final MapleTree<Integer> tree;
        final RangeMapReference<Integer> ref;
        final long keyMax;
        int nextId;

        State(Shape shape) {
            this.shape = shape;
            MapleTree.Flag[] flags = shape.allocTree() ? new MapleTree.Flag[] {MapleTree.Flag.ALLOC_RANGE}
                : new MapleTree.Flag[0];
            this.tree = new MapleTree<>(shape.keyBits(), shape.leafSlots(), shape.internalSlots(), flags);
            this.ref = new RangeMapReference<>(shape.keyBits(), shape.allocTree());
            this.keyMax = tree.keyMax();
        }

        long key(SplittableRandom r) {
            if (r.nextInt(200) == 0) {
                // the edges of the width, and (32-bit) keys the width cannot hold
                long[] edges = {0, 1, keyMax, keyMax - 1, keyMax + 1, keyMax + 7, Long.MIN_VALUE, -1L};
                return edges[r.nextInt(edges.length)];
            }
            long anchor = shape.anchors()[r.nextInt(shape.anchors().length)];
            return anchor + r.nextInt(shape.spread());
        }

        long length(SplittableRandom r) {
            return 1 + r.nextInt(1 << r.nextInt(7));
        }

        long last(long first, long length) {
            long last = first + length - 1;
            return Long.compareUnsigned(last, first) < 0 ? -1L : last;
        }

        Integer entry(SplittableRandom r) {
            return r.nextInt(50) == 0 ? null : nextId++;
        }

        /** A key already stored, to hit erase and store on something real. */
        long storedKey(SplittableRandom r) {
            MapleTree.Entry<Integer> e = ref.near(key(r));
            if (e == null) {
                return key(r);
            }
            long span = e.last() - e.first();
            return span <= 0 || span == Long.MAX_VALUE ? e.first() : e.first() + r.nextLong(span + 1);
        }
    }

    private static void step(State s, SplittableRandom r, int stepNo) {
        boolean crowded = s.ref.count() > s.shape.target;
        int op = crowded && r.nextInt(3) > 0 ? 20 : r.nextInt(20);
        boolean mutated = true;
        String what;
        switch (op) {
            case 0:
            case 1:
            case 2: {
                long first = s.key(r);
                long last = s.last(first, s.length(r));
                if (r.nextInt(40) == 0) {
                    last = first - 1 - r.nextInt(3);
                }
                Integer e = s.entry(r);
                what = "insertRange(" + hex(first) + ", " + hex(last) + ", " + e + ")";
                eq(s.ref.insertRange(first, last, e), s.tree.insertRange(first, last, e), what);
                break;
            }
            case 3: {
                long index = s.key(r);
                Integer e = s.entry(r);
                what = "insert(" + hex(index) + ", " + e + ")";
                eq(s.ref.insertRange(index, index, e), s.tree.insert(index, e), what);
                break;
            }
            case 4:
            case 5: {
                long first = r.nextBoolean() ? s.storedKey(r) : s.key(r);
                long last = s.last(first, s.length(r) * (r.nextInt(4) == 0 ? 8 : 1));
                Integer e = r.nextInt(6) == 0 ? null : s.nextId++;
                what = "storeRange(" + hex(first) + ", " + hex(last) + ", " + e + ")";
                eq(s.ref.storeRange(first, last, e), s.tree.storeRange(first, last, e), what);
                break;
            }
            case 6:
            case 7:
            case 8: {
                long index = r.nextInt(4) == 0 ? s.key(r) : s.storedKey(r);
                what = "erase(" + hex(index) + ")";
                eq(s.ref.erase(index), s.tree.erase(index), what);
                break;
            }
            case 9:
            case 10:
            case 11:
            case 12:
            case 13: {
                long size = r.nextInt(30) == 0 ? 0 : s.length(r);
                long align = r.nextInt(50) == 0 ? 3 : 1L << r.nextInt(7);
                long min = s.key(r);
                long max = r.nextInt(3) == 0 ? s.keyMax : min + r.nextInt(s.shape.spread());
                if (Long.compareUnsigned(max, min) < 0 && r.nextBoolean()) {
                    max = s.keyMax;
                }
                Integer e = s.entry(r);
                String args = "(" + size + ", " + (op >= 11 ? align + ", " : "") + hex(min) + ", "
                    + hex(max) + ", " + e + ")";
                MapleArea want;
                MapleArea got;
                if (op == 9) {
                    what = "allocRange" + args;
                    want = s.ref.alloc(size, 1, min, max, e, false);
                    got = s.tree.allocRange(size, min, max, e);
                } else if (op == 10) {
                    what = "allocRRange" + args;
                    want = s.ref.alloc(size, 1, min, max, e, true);
                    got = s.tree.allocRRange(size, min, max, e);
                } else if (op == 11) {
                    what = "allocRangeAligned" + args;
                    want = s.ref.alloc(size, align, min, max, e, false);
                    got = s.tree.allocRangeAligned(size, align, min, max, e);
                } else if (op == 12) {
                    what = "allocRRangeAligned" + args;
                    want = s.ref.alloc(size, align, min, max, e, true);
                    got = s.tree.allocRRangeAligned(size, align, min, max, e);
                } else {
                    what = "allocRangeOversizeAligned" + args;
                    want = s.ref.allocOversize(size, align, min, max, e);
                    got = s.tree.allocRangeOversizeAligned(size, align, min, max, e);
                }
                eq(want, got, what);
                if (got.ok() && (got.first() & (align - 1)) != 0 && op >= 11) {
                    throw new AssertionError(what + " returned an unaligned start " + got);
                }
                break;
            }
            case 14:
            case 15: {
                mutated = false;
                long index = r.nextBoolean() ? s.storedKey(r) : s.key(r);
                what = "load(" + hex(index) + ")";
                eq(s.ref.load(index), s.tree.load(index), what);
                long max = r.nextBoolean() ? s.keyMax : index + r.nextInt(500);
                what = "find(" + hex(index) + ", " + hex(max) + ")";
                eq(s.ref.find(index, max), s.tree.find(index, max), what);
                break;
            }
            case 16:
            case 17: {
                mutated = false;
                long min = s.key(r);
                long max = r.nextBoolean() ? s.keyMax : min + r.nextInt(s.shape.spread());
                long size = r.nextInt(40) == 0 ? 0 : s.length(r) * (r.nextInt(5) == 0 ? 16 : 1);
                what = "emptyArea(" + hex(min) + ", " + hex(max) + ", " + size + ")";
                eq(s.ref.search(size, 1, min, max, false), s.tree.emptyArea(min, max, size), what);
                what = "emptyAreaRev(" + hex(min) + ", " + hex(max) + ", " + size + ")";
                eq(s.ref.search(size, 1, min, max, true), s.tree.emptyAreaRev(min, max, size), what);
                break;
            }
            case 18: {
                mutated = false;
                long min = s.key(r);
                long max = r.nextInt(4) == 0 ? s.keyMax : min + r.nextInt(s.shape.spread());
                what = "range(" + hex(min) + ", " + hex(max) + ")";
                List<MapleTree.Entry<Integer>> want =
                    s.ref.overlapping(min, Long.compareUnsigned(max, s.keyMax) > 0 ? s.keyMax : max);
                if (Long.compareUnsigned(min, max) > 0) {
                    want = List.of();
                }
                Iterator<MapleTree.Entry<Integer>> it = s.tree.range(min, max).iterator();
                for (MapleTree.Entry<Integer> w : want) {
                    eq(w, it.hasNext() ? it.next() : null, what);
                }
                eq(false, it.hasNext(), what + " has extra ranges");
                break;
            }
            case 19: {
                if (r.nextInt(40) != 0) {
                    mutated = false;
                    what = "isEmpty()";
                    eq(s.ref.isEmpty(), s.tree.isEmpty(), what);
                    break;
                }
                what = "destroy()";
                s.ref.destroy();
                s.tree.destroy();
                break;
            }
            default: {
                // crowded: shed ranges with erase and with null stores
                long index = s.storedKey(r);
                if (r.nextBoolean()) {
                    what = "erase(" + hex(index) + ")";
                    eq(s.ref.erase(index), s.tree.erase(index), what);
                } else {
                    long last = s.last(index, s.length(r) * 4);
                    what = "storeRange(" + hex(index) + ", " + hex(last) + ", null)";
                    eq(s.ref.storeRange(index, last, null), s.tree.storeRange(index, last, null), what);
                }
                break;
            }
        }
        if (mutated) {
            try {
                s.tree.validate();
            } catch (IllegalStateException e) {
                throw new AssertionError("after " + what + ": " + e.getMessage() + "\n" + s.tree.dump(), e);
            }
            compareContents(s, what);
        }
        compareGapAnswers(s, r, what);
    }

    private static void compareContents(State s, String after) {
        eq((long) s.ref.count(), s.tree.count(), "count after " + after);
        Iterator<MapleTree.Entry<Integer>> want = s.ref.iterator();
        Iterator<MapleTree.Entry<Integer>> got = s.tree.iterator();
        while (want.hasNext()) {
            MapleTree.Entry<Integer> w = want.next();
            eq(w, got.hasNext() ? got.next() : null, "contents after " + after);
        }
        eq(false, got.hasNext(), "extra ranges after " + after);
    }

    private static void compareGapAnswers(State s, SplittableRandom r, String after) {
        long min = r.nextInt(3) == 0 ? 0 : s.key(r);
        long max = r.nextBoolean() ? s.keyMax : min + r.nextInt(s.shape.spread());
        long size = s.length(r);
        long align = 1L << r.nextInt(6);
        String q = " for (" + hex(min) + ", " + hex(max) + ", " + size + ", align " + align
            + ") after " + after;
        eq(s.ref.search(size, 1, min, max, false), s.tree.emptyArea(min, max, size), "emptyArea" + q);
        eq(s.ref.search(size, 1, min, max, true), s.tree.emptyAreaRev(min, max, size), "emptyAreaRev" + q);
        eq(s.ref.search(size, align, min, max, false), s.tree.emptyAreaAligned(min, max, size, align),
            "emptyAreaAligned" + q);
    }

    private static void eq(Object want, Object got, String what) {
        if (!Objects.equals(want, got)) {
            throw new AssertionError(what + ": reference " + want + ", maple tree " + got);
        }
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
