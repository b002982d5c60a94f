package vfiowb.common.lib;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

import vfiowb.common.Models;
import vfiowb.common.errno.Errno;

/**
 * A maple tree (lib/maple_tree.c): a B-tree that maps inclusive ranges of unsigned keys to
 * entries, with the per-child gap tracking of an allocation tree ({@code MT_FLAGS_ALLOC_RANGE})
 * so that lookups, stores and gap searches are O(log n) (an aligned search can be slower on
 * adversarial layouts: see {@link #allocRangeAligned}).
 *
 * <h2>What is modelled</h2>
 * The simple API of include/linux/maple_tree.h, in Java form: {@link #load}, {@link #insert},
 * {@link #insertRange}, {@link #store}, {@link #storeRange}, {@link #erase},
 * {@link #allocRange}, {@link #allocRRange}, {@link #emptyArea}, {@link #emptyAreaRev},
 * iteration in key order ({@code mt_for_each}, {@link #find} for {@code mt_find}),
 * {@link #isEmpty}, {@link #destroy}, {@link #lock}/{@link #unlock} ({@code mtree_lock}) and
 * {@link #validate} ({@code mt_validate}).
 *
 * <h2>Keys</h2>
 * Keys are the kernel's {@code unsigned long}: Java {@code long}s compared unsigned, of a width
 * chosen at creation, 64 or 32 bits (a 32-bit architecture). In a 32-bit tree nothing is stored or
 * found above {@code 2^32 - 1}: a key argument above {@link #keyMax()} is what the C type could
 * not hold, so a store or search with one is refused with {@code -EINVAL} and a load of one finds
 * nothing. Ranges are inclusive, {@code [first, last]}, exactly as in the kernel.
 *
 * <h2>Results and errors</h2>
 * Methods that model C functions returning {@code int} return the same {@code int}: {@code 0} or a
 * negative errno ({@code -EEXIST}, {@code -EINVAL}, {@code -EBUSY}). Where the C also hands a range
 * back through {@code *startp} or the maple state, the method returns a {@link MapleArea}
 * carrying both the C return value and the range. {@link #load} and {@link #erase} return the
 * entry or {@code null}, as the C returns a pointer. No call throws for an argument the C would
 * refuse with an errno (only the constructor throws, for a key width other than 32 or 64); a
 * broken internal invariant is an {@link IllegalStateException}.
 *
 * <h2>Design choices, and where the model departs from the kernel's node layout</h2>
 * <ul>
 *   <li><b>Node fanout.</b> The kernel's nodes are 256 bytes: a leaf ({@code maple_leaf_64}) has 16
 *       slots, an allocation-tree internal node ({@code maple_arange_64}) 10 slots and 10 gaps;
 *       with 32-bit {@code unsigned long} the same 256 bytes hold 32 and 21. The model uses the same
 *       slot counts per key width (so heights match the kernel's order of magnitude), but a Java
 *       node is three arrays, not one cache-aligned block, and its size is not 256 bytes.</li>
 *   <li><b>Only occupied ranges are stored.</b> A kernel node partitions its whole span with
 *       pivots, and a free range is a {@code NULL} slot; gaps are the lengths of those
 *       {@code NULL} slots. A model node stores only entries, each as its own {@code [first, last]}
 *       pair (leaves) or the {@code [first, last]} span of a child's entries (internal nodes);
 *       free ranges are implied between consecutive pairs. So a free range is never split across
 *       two nodes, and no {@code NULL}-coalescing or node-end rules are needed.</li>
 *   <li><b>Gap tracking.</b> As in {@code maple_arange_64}, each internal node keeps, per child,
 *       the largest free range strictly inside that child's span. The free ranges between two
 *       children, before the first entry and after the last are read from the spans. Every node
 *       keeps gaps, whether or not the tree was created with {@link Flag#ALLOC_RANGE}; the flag
 *       only decides whether the {@code alloc*} calls are allowed (without it they return
 *       {@code -EINVAL}, as in the kernel). {@link #emptyArea} works on every tree.</li>
 *   <li><b>Copy-on-write instead of RCU.</b> Readers never lock. A writer copies the nodes on
 *       the path it changes and publishes the new tree through one {@code volatile} root; a
 *       reader that has read the root sees a complete old or complete new tree, never a mix. This
 *       is the Java form of RCU mode ({@code MT_FLAGS_USE_RCU}); a tree out of RCU mode in the
 *       kernel may reuse nodes in place, the model always behaves as in RCU mode. As in the
 *       kernel, the lifetime of an entry after it is erased is the caller's business. Writers are
 *       serialised by the tree's own lock ({@code ma_lock}); it is reentrant, so a caller holding
 *       {@link #lock()} may call the writers (the kernel's advanced API does this with
 *       {@code mas_*} calls under {@code mtree_lock}).</li>
 *   <li><b>No spanning store.</b> {@link #storeRange} over many entries erases them one by one
 *       and inserts the truncated neighbours, all inside one write (one publication), so it costs
 *       O(k log n) for k overwritten entries; the kernel rebuilds the spanned subtrees in one
 *       pass.</li>
 *   <li><b>Entries.</b> An entry may not be {@code null}: the kernel's {@code NULL} means
 *       "nothing here", so storing it is an erase; here {@code storeRange(first, last, null)}
 *       clears the range (as {@code mtree_store_range(mt, first, last, NULL)} does) and the
 *       insert and allocation calls refuse {@code null} with {@code -EINVAL}. There are no
 *       reserved or internal entry values to refuse.</li>
 *   <li><b>Memory.</b> No {@code gfp} flags and no {@code -ENOMEM}: the JVM allocates.</li>
 *   <li><b>Aligned allocation.</b> The kernel has none. {@link #allocRangeAligned} is the model's
 *       own gap search that honours an alignment; {@link #allocRangeOversizeAligned} is what a
 *       kernel caller must do today (mm's {@code unmapped_area} trick). Stage 3 compares them.</li>
 * </ul>
 *
 * @param <E> the entry type
 */
@Models({"lib/maple_tree.c", "include/linux/maple_tree.h:struct maple_tree"})
public final class MapleTree<E> implements Iterable<MapleTree.Entry<E>> {

    /** Creation flags ({@code MT_FLAGS_*}) the model honours. */
    public enum Flag {
        /** {@code MT_FLAGS_ALLOC_RANGE}: allow the {@code alloc*} calls. */
        ALLOC_RANGE
    }

    /** How an aligned allocation finds its place; see {@link #allocRangeAligned(AlignStrategy,
     *  long, long, long, long, Object)}. */
    public enum AlignStrategy {
        /** The model's gap search that honours the alignment itself ({@link #allocRangeAligned}). */
        GAP_SEARCH,
        /** Ask for {@code size + align - 1} and round the start up, as mm's {@code unmapped_area}
         *  does ({@link #allocRangeOversizeAligned}). */
        OVERSIZE_ROUND_UP
    }

    /**
     * One stored range and its entry, as iteration yields them.
     *
     * @param first first index (unsigned, inclusive)
     * @param last  last index (unsigned, inclusive)
     * @param entry the entry, never {@code null}
     */
    public record Entry<E>(long first, long last, E entry) {
        public Entry {
            Objects.requireNonNull(entry, "entry");
            if (Long.compareUnsigned(first, last) > 0) {
                throw new IllegalArgumentException("first > last");
            }
        }

        @Override
        public String toString() {
            return "[0x" + Long.toHexString(first) + "-0x" + Long.toHexString(last) + "]=" + entry;
        }
    }

    /**
     * A tree node. Leaves hold entries; internal nodes hold children. {@code keys[2i]} and
     * {@code keys[2i+1]} are the first and last index of entry {@code i} (leaf) or of the entries
     * below child {@code i} (internal). {@code gaps[i]} (internal only) is the largest number of
     * free indices strictly between two consecutive entries below child {@code i}.
     *
     * <p>A node reachable from a published root is never written again. A node whose
     * {@code owner} is the current writer's token was created by that writer and may be changed in
     * place until the writer publishes.
     */
    static final class Node {
        Object owner;
        int count;
        final long[] keys;
        final Object[] slots;
        final long[] gaps;

        Node(boolean leaf, int capacity, Object owner) {
            this.owner = owner;
            this.keys = new long[2 * (capacity + 1)];
            this.slots = new Object[capacity + 1];
            this.gaps = leaf ? null : new long[capacity + 1];
        }

        boolean isLeaf() {
            return gaps == null;
        }

        long first(int i) {
            return keys[2 * i];
        }

        long last(int i) {
            return keys[2 * i + 1];
        }

        long spanFirst() {
            return keys[0];
        }

        long spanLast() {
            return keys[2 * count - 1];
        }

        /** The largest i whose first is {@code <= key} (unsigned), or -1. */
        int floorByFirst(long key) {
            int lo = 0;
            int hi = count - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (Long.compareUnsigned(keys[2 * mid], key) <= 0) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return hi;
        }

        /** The smallest i whose last is {@code >= key} (unsigned), or {@code count}. */
        int ceilByLast(long key) {
            int lo = 0;
            int hi = count - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (Long.compareUnsigned(keys[2 * mid + 1], key) < 0) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return lo;
        }

        /** Largest free run strictly inside this node's span (unsigned count of indices). */
        long interiorGap() {
            long max = 0;
            for (int j = 0; j < count; j++) {
                if (gaps != null && Long.compareUnsigned(gaps[j], max) > 0) {
                    max = gaps[j];
                }
                if (j > 0) {
                    long g = keys[2 * j] - keys[2 * j - 1] - 1;
                    if (Long.compareUnsigned(g, max) > 0) {
                        max = g;
                    }
                }
            }
            return max;
        }
    }

    /** What the volatile root publishes: a whole tree, its height and its entry count. */
    private record Snapshot(Node node, int height, long count) {
        static final Snapshot EMPTY = new Snapshot(null, 0, 0);
    }

    static final int KERNEL_LEAF_SLOTS_64 = 16;
    static final int KERNEL_ARANGE_SLOTS_64 = 10;
    static final int KERNEL_LEAF_SLOTS_32 = 32;
    static final int KERNEL_ARANGE_SLOTS_32 = 21;

    private final int keyBits;
    private final long keyMax;
    private final boolean allocTree;
    private final int leafSlots;
    private final int internalSlots;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Snapshot root = Snapshot.EMPTY;

    /**
     * {@code mt_init_flags()}: an empty tree whose keys are {@code keyBits} wide (64, or 32 for a
     * 32-bit architecture's {@code unsigned long}), with the kernel's slot counts for that width.
     */
    @Models("include/linux/maple_tree.h:mt_init_flags")
    public MapleTree(int keyBits, Flag... flags) {
        this(keyBits,
            keyBits == 32 ? KERNEL_LEAF_SLOTS_32 : KERNEL_LEAF_SLOTS_64,
            keyBits == 32 ? KERNEL_ARANGE_SLOTS_32 : KERNEL_ARANGE_SLOTS_64,
            flags);
    }

    /** A tree with chosen node capacities, so tests can grow tall trees from few entries. */
    MapleTree(int keyBits, int leafSlots, int internalSlots, Flag... flags) {
        if (keyBits != 32 && keyBits != 64) {
            throw new IllegalArgumentException("key width must be 32 or 64 bits: " + keyBits);
        }
        if (leafSlots < 2 || internalSlots < 4) {
            throw new IllegalArgumentException("need leafSlots >= 2 and internalSlots >= 4");
        }
        this.keyBits = keyBits;
        this.keyMax = keyBits == 64 ? -1L : 0xFFFF_FFFFL;
        this.allocTree = Arrays.asList(flags).contains(Flag.ALLOC_RANGE);
        this.leafSlots = leafSlots;
        this.internalSlots = internalSlots;
    }

    /** The key width in bits: 64, or 32. */
    public int keyBits() {
        return keyBits;
    }

    /** The largest key: {@code ULONG_MAX} of the tree's width. */
    public long keyMax() {
        return keyMax;
    }

    /** True when the tree was created with {@link Flag#ALLOC_RANGE}. */
    @Models("lib/maple_tree.c:mt_is_alloc")
    public boolean isAllocTree() {
        return allocTree;
    }

    // ------------------------------------------------------------------------------------------
    // Readers: lock-free, on one snapshot of the root.

    /** {@code mtree_load()}: the entry whose range holds {@code index}, or {@code null}. */
    @Models("lib/maple_tree.c:mtree_load")
    @SuppressWarnings("unchecked")
    public E load(long index) {
        if (Long.compareUnsigned(index, keyMax) > 0) {
            return null;
        }
        Node n = root.node;
        while (n != null) {
            int i = n.floorByFirst(index);
            if (i < 0 || Long.compareUnsigned(n.keys[2 * i + 1], index) < 0) {
                return null;
            }
            if (n.gaps == null) {
                return (E) n.slots[i];
            }
            n = (Node) n.slots[i];
        }
        return null;
    }

    /**
     * {@code mt_find()}: the first entry, in key order, whose range ends at or after
     * {@code index} and starts at or before {@code max}; {@code null} when there is none.
     */
    @Models("lib/maple_tree.c:mt_find")
    public Entry<E> find(long index, long max) {
        Iterator<Entry<E>> it = range(index, max).iterator();
        return it.hasNext() ? it.next() : null;
    }

    /** {@code mtree_empty()}: true when nothing is stored. */
    @Models("include/linux/maple_tree.h:mtree_empty")
    public boolean isEmpty() {
        return root.node == null;
    }

    /** The number of stored ranges (the kernel keeps no count; this is O(1) here). */
    public long count() {
        return root.count;
    }

    /** {@code mt_height()}: 0 for an empty tree, 1 for a single leaf. */
    @Models("lib/maple_tree.c:mt_height")
    public int height() {
        return root.height;
    }

    /**
     * Iterates every stored range in key order ({@code mt_for_each(mt, entry, index, ULONG_MAX)}).
     * The iterator walks the tree as it was when {@code iterator()} was called; later writes do
     * not disturb it.
     */
    @Override
    @Models("include/linux/maple_tree.h:mt_for_each")
    public Iterator<Entry<E>> iterator() {
        return new Cursor<>(root, 0, keyMax);
    }

    /**
     * The stored ranges that overlap {@code [min, max]}, in key order, from one snapshot
     * ({@code mt_for_each(mt, entry, index, max)} starting at {@code index = min}).
     */
    @Models("include/linux/maple_tree.h:mt_for_each")
    public Iterable<Entry<E>> range(long min, long max) {
        Snapshot s = root;
        long hi = Long.compareUnsigned(max, keyMax) > 0 ? keyMax : max;
        return () -> new Cursor<>(s, min, hi);
    }

    /** Every stored range, in key order, from one snapshot. */
    public List<Entry<E>> entries() {
        List<Entry<E>> out = new ArrayList<>();
        for (Entry<E> e : this) {
            out.add(e);
        }
        return out;
    }

    /**
     * {@code mas_empty_area()}: the lowest range of {@code size} free indices inside
     * {@code [min, max]}. Returns {@code [start, start + size - 1]}; {@code -EINVAL} for
     * {@code size == 0}, {@code min > max}, a window shorter than {@code size} or a bound above
     * {@link #keyMax()}; {@code -EBUSY} when no free range fits. Works on any tree.
     */
    @Models("lib/maple_tree.c:mas_empty_area")
    public MapleArea emptyArea(long min, long max, long size) {
        int bad = checkWindow(size, 1, min, max);
        if (bad != 0) {
            return MapleArea.error(bad);
        }
        return search(root, size, 1, min, max, false);
    }

    /** {@code mas_empty_area_rev()}: as {@link #emptyArea}, but the highest fit. */
    @Models("lib/maple_tree.c:mas_empty_area_rev")
    public MapleArea emptyAreaRev(long min, long max, long size) {
        int bad = checkWindow(size, 1, min, max);
        if (bad != 0) {
            return MapleArea.error(bad);
        }
        return search(root, size, 1, min, max, true);
    }

    /**
     * The lowest range of {@code size} free indices inside {@code [min, max]} whose start is a
     * multiple of {@code align} (a power of two). The kernel has no such call; this is the query
     * behind {@link #allocRangeAligned}. Errors as {@link #emptyArea}, and {@code -EINVAL} for an
     * alignment that is not a power of two.
     */
    public MapleArea emptyAreaAligned(long min, long max, long size, long align) {
        int bad = checkWindow(size, align, min, max);
        if (bad != 0) {
            return MapleArea.error(bad);
        }
        return search(root, size, align, min, max, false);
    }

    // ------------------------------------------------------------------------------------------
    // Writers: serialised by the tree lock, publishing a new root once per call.

    /** {@code mtree_lock()}: take the tree's own lock (the writers take it too; it is reentrant). */
    @Models("include/linux/maple_tree.h:mtree_lock")
    public void lock() {
        lock.lock();
    }

    /** {@code mtree_unlock()}. */
    @Models("include/linux/maple_tree.h:mtree_unlock")
    public void unlock() {
        lock.unlock();
    }

    /** True when the calling thread holds the tree lock ({@code lockdep_is_held}). */
    public boolean isLockHeldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    /** {@code mtree_insert()}: {@link #insertRange} of the single index {@code index}. */
    @Models("lib/maple_tree.c:mtree_insert")
    public int insert(long index, E entry) {
        return insertRange(index, index, entry);
    }

    /**
     * {@code mtree_insert_range()}: stores {@code entry} over {@code [first, last]} only if every
     * index of it is free. Returns 0, {@code -EEXIST} when any part is taken, {@code -EINVAL} for
     * {@code first > last}, a key above {@link #keyMax()} or a {@code null} entry.
     */
    @Models("lib/maple_tree.c:mtree_insert_range")
    public int insertRange(long first, long last, E entry) {
        if (entry == null || Long.compareUnsigned(first, last) > 0
                || Long.compareUnsigned(last, keyMax) > 0) {
            return -Errno.EINVAL;
        }
        lock.lock();
        try {
            Snapshot s = root;
            if (overlaps(s.node, first, last)) {
                return -Errno.EEXIST;
            }
            Writer w = new Writer(s);
            w.insert(first, last, entry);
            root = w.snapshot();
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /** {@code mtree_store()}: {@link #storeRange} of the single index {@code index}. */
    @Models("lib/maple_tree.c:mtree_store")
    public int store(long index, E entry) {
        return storeRange(index, index, entry);
    }

    /**
     * {@code mtree_store_range()}: stores {@code entry} over {@code [first, last]}, overwriting
     * whatever is there. A range that straddles {@code first} or {@code last} is truncated to the
     * part outside; one that covers both sides is split in two, both keeping its entry. A
     * {@code null} entry clears the range (the kernel's way to erase a range). Returns 0, or
     * {@code -EINVAL} for {@code first > last} or a key above {@link #keyMax()}.
     */
    @Models("lib/maple_tree.c:mtree_store_range")
    public int storeRange(long first, long last, E entry) {
        if (Long.compareUnsigned(first, last) > 0 || Long.compareUnsigned(last, keyMax) > 0) {
            return -Errno.EINVAL;
        }
        lock.lock();
        try {
            Snapshot s = root;
            List<Entry<E>> hit = new ArrayList<>();
            new Cursor<E>(s, first, last).forEachRemaining(hit::add);
            if (hit.isEmpty() && entry == null) {
                return 0;
            }
            Writer w = new Writer(s);
            for (Entry<E> e : hit) {
                w.erase(e.first());
            }
            if (!hit.isEmpty()) {
                Entry<E> lo = hit.get(0);
                Entry<E> hi = hit.get(hit.size() - 1);
                if (Long.compareUnsigned(lo.first(), first) < 0) {
                    w.insert(lo.first(), first - 1, lo.entry());
                }
                if (Long.compareUnsigned(hi.last(), last) > 0) {
                    w.insert(last + 1, hi.last(), hi.entry());
                }
            }
            if (entry != null) {
                w.insert(first, last, entry);
            }
            root = w.snapshot();
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code mtree_erase()}: removes the whole range holding {@code index} and returns its entry,
     * or {@code null} when {@code index} is free.
     */
    @Models("lib/maple_tree.c:mtree_erase")
    @SuppressWarnings("unchecked")
    public E erase(long index) {
        if (Long.compareUnsigned(index, keyMax) > 0) {
            return null;
        }
        lock.lock();
        try {
            Snapshot s = root;
            if (!overlaps(s.node, index, index)) {
                return null;
            }
            Writer w = new Writer(s);
            Object old = w.erase(index);
            root = w.snapshot();
            return (E) old;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code mtree_alloc_range()}: finds the lowest free range of {@code size} indices inside
     * {@code [min, max]} and stores {@code entry} over it. The answer carries the C return value
     * and, on success, the range ({@code *startp} is {@link MapleArea#first()}). Errors:
     * {@code -EINVAL} when the tree is not an {@link Flag#ALLOC_RANGE} tree, the entry is
     * {@code null}, {@code size == 0}, {@code min > max}, {@code max - min < size - 1} or a bound
     * is above {@link #keyMax()}; {@code -EBUSY} when nothing fits.
     */
    @Models("lib/maple_tree.c:mtree_alloc_range")
    public MapleArea allocRange(long size, long min, long max, E entry) {
        return alloc(size, 1, min, max, entry, false);
    }

    /** {@code mtree_alloc_rrange()}: as {@link #allocRange}, but the highest fit. */
    @Models("lib/maple_tree.c:mtree_alloc_rrange")
    public MapleArea allocRRange(long size, long min, long max, E entry) {
        return alloc(size, 1, min, max, entry, true);
    }

    /**
     * Aligned allocation by a gap search that honours the alignment: the lowest range of
     * {@code size} free indices inside {@code [min, max]} whose start is a multiple of
     * {@code align} (a power of two, 1 for none). Not a kernel call; errors as
     * {@link #allocRange}, plus {@code -EINVAL} for an alignment that is not a power of two.
     *
     * <p>The search descends only into children whose largest gap is at least {@code size}. That
     * bound is necessary but, with an alignment, not sufficient: a gap of {@code size} to
     * {@code size + align - 2} indices may hold no aligned start. So the search is O(log n) when
     * such near-miss gaps are rare and degrades towards the number of near misses in the worst
     * case; the oversize way never descends in vain, but wastes up to {@code align - 1} indices
     * of the gap it picks and misses fits it could have used.
     */
    public MapleArea allocRangeAligned(long size, long align, long min, long max, E entry) {
        return alloc(size, align, min, max, entry, false);
    }

    /** The highest-fit mirror of {@link #allocRangeAligned}. */
    public MapleArea allocRRangeAligned(long size, long align, long min, long max, E entry) {
        return alloc(size, align, min, max, entry, true);
    }

    /**
     * Aligned allocation the way a kernel caller must do it today, as mm's
     * {@code unmapped_area()} does: under the tree lock, {@code mas_empty_area(min, max,
     * size + align - 1)}, round the start of the range found up to {@code align}, and store only
     * {@code [start, start + size - 1]}. Argument errors as {@link #allocRangeAligned}; when the
     * oversized request cannot be met (no gap of {@code size + align - 1}, the window is shorter
     * than that, or the sum overflows) the answer is {@code -EBUSY}, as the caller would report
     * "no space".
     */
    @Models({"mm/mmap.c:unmapped_area", "lib/maple_tree.c:mas_empty_area"})
    public MapleArea allocRangeOversizeAligned(long size, long align, long min, long max,
            E entry) {
        int bad = checkAlloc(size, align, min, max, entry);
        if (bad != 0) {
            return MapleArea.error(bad);
        }
        long length = size + align - 1;
        if (Long.compareUnsigned(length, size) < 0
                || Long.compareUnsigned(max - min, length - 1) < 0) {
            return MapleArea.error(-Errno.EBUSY);
        }
        lock.lock();
        try {
            Snapshot s = root;
            MapleArea gap = search(s, length, 1, min, max, false);
            if (!gap.ok()) {
                return gap;
            }
            long start = alignUp(gap.first(), align);
            long last = start + size - 1;
            Writer w = new Writer(s);
            w.insert(start, last, entry);
            root = w.snapshot();
            return MapleArea.of(start, last);
        } finally {
            lock.unlock();
        }
    }

    /** Aligned allocation by the chosen strategy (lowest fit either way). */
    public MapleArea allocRangeAligned(AlignStrategy strategy, long size, long align, long min,
            long max, E entry) {
        switch (strategy) {
            case GAP_SEARCH:
                return allocRangeAligned(size, align, min, max, entry);
            case OVERSIZE_ROUND_UP:
                return allocRangeOversizeAligned(size, align, min, max, entry);
            default:
                throw new IllegalArgumentException(String.valueOf(strategy));
        }
    }

    /** {@code mtree_destroy()}: drops every node; the entries themselves are the caller's. */
    @Models("lib/maple_tree.c:mtree_destroy")
    public void destroy() {
        lock.lock();
        try {
            root = Snapshot.EMPTY;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Allocation and the gap search.

    private MapleArea alloc(long size, long align, long min, long max, E entry, boolean rev) {
        int bad = checkAlloc(size, align, min, max, entry);
        if (bad != 0) {
            return MapleArea.error(bad);
        }
        lock.lock();
        try {
            Snapshot s = root;
            MapleArea a = search(s, size, align, min, max, rev);
            if (a.ok()) {
                Writer w = new Writer(s);
                w.insert(a.first(), a.last(), entry);
                root = w.snapshot();
            }
            return a;
        } finally {
            lock.unlock();
        }
    }

    private int checkAlloc(long size, long align, long min, long max, E entry) {
        if (!allocTree || entry == null) {
            return -Errno.EINVAL;
        }
        return checkWindow(size, align, min, max);
    }

    private int checkWindow(long size, long align, long min, long max) {
        if (Long.compareUnsigned(min, max) > 0 || Long.compareUnsigned(max, keyMax) > 0) {
            return -Errno.EINVAL;
        }
        if (size == 0 || Long.compareUnsigned(max - min, size - 1) < 0) {
            return -Errno.EINVAL;
        }
        if (Long.bitCount(align) != 1) {
            return -Errno.EINVAL;
        }
        return 0;
    }

    /** Rounds up to a power-of-two alignment; wraps past {@code 2^64} (callers check). */
    static long alignUp(long x, long align) {
        return (x + align - 1) & -align;
    }

    private MapleArea search(Snapshot s, long size, long align, long min, long max, boolean rev) {
        GapFinder f = new GapFinder(size, align, min, max);
        boolean found = rev ? f.highest(s.node, keyMax) : f.lowest(s.node, keyMax);
        return found ? MapleArea.of(f.start, f.start + size - 1) : MapleArea.error(-Errno.EBUSY);
    }

    /**
     * The gap search of {@code mas_empty_area{,_rev}}: walks free ranges in key order (or reverse),
     * descending only into children whose largest inner gap could hold {@code size} and whose span
     * meets the window. All comparisons are unsigned.
     */
    private static final class GapFinder {
        final long size;
        final long align;
        final long min;
        final long max;
        long start;

        GapFinder(long size, long align, long min, long max) {
            this.size = size;
            this.align = align;
            this.min = min;
            this.max = max;
        }

        boolean lowest(Node root, long keyMax) {
            if (root == null) {
                return fitLow(0, keyMax);
            }
            long first = root.spanFirst();
            long last = root.spanLast();
            if (first != 0 && fitLow(0, first - 1)) {
                return true;
            }
            if (lowIn(root)) {
                return true;
            }
            return last != keyMax && fitLow(last + 1, keyMax);
        }

        boolean highest(Node root, long keyMax) {
            if (root == null) {
                return fitHigh(0, keyMax);
            }
            long first = root.spanFirst();
            long last = root.spanLast();
            if (last != keyMax && fitHigh(last + 1, keyMax)) {
                return true;
            }
            if (highIn(root)) {
                return true;
            }
            return first != 0 && fitHigh(0, first - 1);
        }

        /** Free ranges strictly inside the span of {@code n}, lowest first. */
        private boolean lowIn(Node n) {
            long[] k = n.keys;
            for (int j = 0; j < n.count; j++) {
                if (j > 0) {
                    long gl = k[2 * j - 1] + 1;
                    if (Long.compareUnsigned(gl, max) > 0) {
                        return false;
                    }
                    long gh = k[2 * j] - 1;
                    if (Long.compareUnsigned(gl, gh) <= 0 && fitLow(gl, gh)) {
                        return true;
                    }
                }
                if (n.gaps != null && Long.compareUnsigned(n.gaps[j], size) >= 0) {
                    if (Long.compareUnsigned(k[2 * j], max) >= 0) {
                        return false;
                    }
                    if (Long.compareUnsigned(k[2 * j + 1], min) > 0 && lowIn((Node) n.slots[j])) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** Free ranges strictly inside the span of {@code n}, highest first. */
        private boolean highIn(Node n) {
            long[] k = n.keys;
            for (int j = n.count - 1; j >= 0; j--) {
                if (n.gaps != null && Long.compareUnsigned(n.gaps[j], size) >= 0) {
                    if (Long.compareUnsigned(k[2 * j + 1], min) <= 0) {
                        return false;
                    }
                    if (Long.compareUnsigned(k[2 * j], max) < 0 && highIn((Node) n.slots[j])) {
                        return true;
                    }
                }
                if (j > 0) {
                    long gh = k[2 * j] - 1;
                    if (Long.compareUnsigned(gh, min) < 0) {
                        return false;
                    }
                    long gl = k[2 * j - 1] + 1;
                    if (Long.compareUnsigned(gl, gh) <= 0 && fitHigh(gl, gh)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private boolean fitLow(long lo, long hi) {
            if (Long.compareUnsigned(lo, min) < 0) {
                lo = min;
            }
            if (Long.compareUnsigned(hi, max) > 0) {
                hi = max;
            }
            if (Long.compareUnsigned(lo, hi) > 0) {
                return false;
            }
            long s = alignUp(lo, align);
            if (Long.compareUnsigned(s, lo) < 0 || Long.compareUnsigned(s, hi) > 0
                    || Long.compareUnsigned(hi - s, size - 1) < 0) {
                return false;
            }
            start = s;
            return true;
        }

        private boolean fitHigh(long lo, long hi) {
            if (Long.compareUnsigned(lo, min) < 0) {
                lo = min;
            }
            if (Long.compareUnsigned(hi, max) > 0) {
                hi = max;
            }
            if (Long.compareUnsigned(lo, hi) > 0 || Long.compareUnsigned(hi - lo, size - 1) < 0) {
                return false;
            }
            long s = (hi - (size - 1)) & -align;
            if (Long.compareUnsigned(s, lo) < 0) {
                return false;
            }
            start = s;
            return true;
        }
    }

    /** True when some stored range meets {@code [first, last]}. */
    private static boolean overlaps(Node n, long first, long last) {
        while (n != null) {
            int i = n.ceilByLast(first);
            if (i == n.count || Long.compareUnsigned(n.keys[2 * i], last) > 0) {
                return false;
            }
            if (n.gaps == null) {
                return true;
            }
            n = (Node) n.slots[i];
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------
    // The copy-on-write writer.

    /**
     * One write: starts from a published snapshot, copies each node it changes once (later changes
     * in the same write go to the copy), and yields the snapshot to publish.
     */
    private final class Writer {
        private final Object token = new Object();
        private Node node;
        private int height;
        private long count;

        Writer(Snapshot s) {
            node = s.node;
            height = s.height;
            count = s.count;
        }

        Snapshot snapshot() {
            return node == null ? Snapshot.EMPTY : new Snapshot(node, height, count);
        }

        private Node edit(Node n) {
            if (n.owner == token) {
                return n;
            }
            Node c = new Node(n.isLeaf(), n.isLeaf() ? leafSlots : internalSlots, token);
            c.count = n.count;
            System.arraycopy(n.keys, 0, c.keys, 0, 2 * n.count);
            System.arraycopy(n.slots, 0, c.slots, 0, n.count);
            if (n.gaps != null) {
                System.arraycopy(n.gaps, 0, c.gaps, 0, n.count);
            }
            return c;
        }

        private int capacity(Node n) {
            return n.isLeaf() ? leafSlots : internalSlots;
        }

        private int minFill(Node n) {
            return capacity(n) / 2;
        }

        /** Inserts a range known to meet no stored range. */
        void insert(long first, long last, Object value) {
            count++;
            if (node == null) {
                Node leaf = new Node(true, leafSlots, token);
                putAt(leaf, 0, first, last, value);
                node = leaf;
                height = 1;
                return;
            }
            node = edit(node);
            Node split = insertInto(node, first, last, value);
            if (split != null) {
                Node r = new Node(false, internalSlots, token);
                putAt(r, 0, 0, 0, node);
                putAt(r, 1, 0, 0, split);
                refresh(r, 0);
                refresh(r, 1);
                node = r;
                height++;
            }
        }

        private Node insertInto(Node n, long first, long last, Object value) {
            if (n.isLeaf()) {
                putAt(n, n.floorByFirst(first) + 1, first, last, value);
                return n.count > leafSlots ? split(n) : null;
            }
            int i = Math.max(0, n.floorByFirst(first));
            Node c = edit((Node) n.slots[i]);
            n.slots[i] = c;
            Node s = insertInto(c, first, last, value);
            refresh(n, i);
            if (s == null) {
                return null;
            }
            putAt(n, i + 1, 0, 0, s);
            refresh(n, i + 1);
            return n.count > internalSlots ? split(n) : null;
        }

        /** Erases the range holding {@code index}, known to exist. */
        Object erase(long index) {
            node = edit(node);
            Object old = eraseFrom(node, index);
            count--;
            if (node.count == 0) {
                node = null;
                height = 0;
            } else if (!node.isLeaf() && node.count == 1) {
                node = (Node) node.slots[0];
                height--;
            }
            return old;
        }

        private Object eraseFrom(Node n, long index) {
            int i = n.floorByFirst(index);
            if (i < 0 || Long.compareUnsigned(n.last(i), index) < 0) {
                throw new IllegalStateException("erase: no range holds 0x" + Long.toHexString(index));
            }
            if (n.isLeaf()) {
                Object old = n.slots[i];
                removeAt(n, i);
                return old;
            }
            Node c = edit((Node) n.slots[i]);
            n.slots[i] = c;
            Object old = eraseFrom(c, index);
            if (c.count < minFill(c)) {
                rebalance(n, i);
            } else {
                refresh(n, i);
            }
            return old;
        }

        /** Child {@code i} of {@code n} is under-full: merge it with a sibling or borrow. */
        private void rebalance(Node n, int i) {
            if (n.count < 2) {
                refresh(n, i);
                return;
            }
            int l = i > 0 ? i - 1 : i;
            int r = l + 1;
            Node left = edit((Node) n.slots[l]);
            n.slots[l] = left;
            Node right = (Node) n.slots[r];
            if (left.count + right.count <= capacity(left)) {
                moveRange(right, 0, left, left.count, right.count);
                left.count += right.count;
                removeAt(n, r);
                refresh(n, l);
                return;
            }
            right = edit(right);
            n.slots[r] = right;
            int total = left.count + right.count;
            int wantLeft = total / 2;
            if (left.count < wantLeft) {
                int k = wantLeft - left.count;
                moveRange(right, 0, left, left.count, k);
                left.count += k;
                shiftLeft(right, k);
            } else if (left.count > wantLeft) {
                int k = left.count - wantLeft;
                shiftRight(right, k);
                moveRange(left, wantLeft, right, 0, k);
                clear(left, wantLeft, left.count);
                left.count = wantLeft;
            }
            refresh(n, l);
            refresh(n, r);
        }

        private Node split(Node n) {
            Node r = new Node(n.isLeaf(), capacity(n), token);
            int keep = (n.count + 1) / 2;
            int move = n.count - keep;
            moveRange(n, keep, r, 0, move);
            r.count = move;
            clear(n, keep, n.count);
            n.count = keep;
            return r;
        }

        /** Sets child {@code i}'s span and inner gap from the child itself. */
        private void refresh(Node n, int i) {
            Node c = (Node) n.slots[i];
            n.keys[2 * i] = c.spanFirst();
            n.keys[2 * i + 1] = c.spanLast();
            n.gaps[i] = c.interiorGap();
        }

        private void putAt(Node n, int pos, long first, long last, Object value) {
            int tail = n.count - pos;
            System.arraycopy(n.keys, 2 * pos, n.keys, 2 * pos + 2, 2 * tail);
            System.arraycopy(n.slots, pos, n.slots, pos + 1, tail);
            if (n.gaps != null) {
                System.arraycopy(n.gaps, pos, n.gaps, pos + 1, tail);
                n.gaps[pos] = 0;
            }
            n.keys[2 * pos] = first;
            n.keys[2 * pos + 1] = last;
            n.slots[pos] = value;
            n.count++;
        }

        private void removeAt(Node n, int pos) {
            int tail = n.count - pos - 1;
            System.arraycopy(n.keys, 2 * pos + 2, n.keys, 2 * pos, 2 * tail);
            System.arraycopy(n.slots, pos + 1, n.slots, pos, tail);
            if (n.gaps != null) {
                System.arraycopy(n.gaps, pos + 1, n.gaps, pos, tail);
            }
            n.count--;
            n.slots[n.count] = null;
        }

        private void moveRange(Node from, int fromPos, Node to, int toPos, int k) {
            System.arraycopy(from.keys, 2 * fromPos, to.keys, 2 * toPos, 2 * k);
            System.arraycopy(from.slots, fromPos, to.slots, toPos, k);
            if (from.gaps != null) {
                System.arraycopy(from.gaps, fromPos, to.gaps, toPos, k);
            }
        }

        private void shiftLeft(Node n, int k) {
            int rest = n.count - k;
            moveRange(n, k, n, 0, rest);
            clear(n, rest, n.count);
            n.count = rest;
        }

        private void shiftRight(Node n, int k) {
            moveRange(n, 0, n, k, n.count);
            n.count += k;
        }

        private void clear(Node n, int from, int to) {
            Arrays.fill(n.slots, from, to, null);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Iteration.

    /** In-order walk of one snapshot over the ranges that meet {@code [min, max]}. */
    private static final class Cursor<E> implements Iterator<Entry<E>> {
        private final Node[] path;
        private final int[] at;
        private final long max;
        private Entry<E> next;

        Cursor(Snapshot s, long min, long max) {
            this.max = max;
            this.path = new Node[Math.max(1, s.height)];
            this.at = new int[path.length];
            Node n = s.node;
            if (n == null || Long.compareUnsigned(min, max) > 0) {
                return;
            }
            int d = 0;
            while (true) {
                int i = n.ceilByLast(min);
                if (i == n.count) {
                    return;
                }
                path[d] = n;
                at[d] = i;
                if (n.isLeaf()) {
                    break;
                }
                n = (Node) n.slots[i];
                d++;
            }
            advanceTo(d);
        }

        @SuppressWarnings("unchecked")
        private void advanceTo(int leafDepth) {
            Node leaf = path[leafDepth];
            int i = at[leafDepth];
            long first = leaf.first(i);
            next = Long.compareUnsigned(first, max) > 0 ? null
                : new Entry<>(first, leaf.last(i), (E) leaf.slots[i]);
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Entry<E> next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Entry<E> out = next;
            step();
            return out;
        }

        private void step() {
            int d = path.length - 1;
            while (d >= 0 && at[d] + 1 >= path[d].count) {
                d--;
            }
            if (d < 0) {
                next = null;
                return;
            }
            at[d]++;
            while (d < path.length - 1) {
                Node child = (Node) path[d].slots[at[d]];
                d++;
                path[d] = child;
                at[d] = 0;
            }
            advanceTo(d);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Validation and display.

    /**
     * {@code mt_validate()}: checks every structural invariant of the current snapshot and throws
     * {@link IllegalStateException} on the first broken one: ranges in key order and not
     * overlapping, every key within the width, every stored span and gap exact, every leaf at
     * the same depth, node fill within bounds, no {@code null} entry, and the count.
     */
    @Models("lib/maple_tree.c:mt_validate")
    public void validate() {
        Snapshot s = root;
        if (s.node == null) {
            if (s.height != 0 || s.count != 0) {
                throw new IllegalStateException("empty tree with height " + s.height);
            }
            return;
        }
        long[] seen = new long[1];
        validateNode(s.node, 1, s.height, true, seen, new long[3]);
        if (seen[0] != s.count) {
            throw new IllegalStateException("count " + s.count + " but " + seen[0] + " ranges");
        }
        if (!s.node.isLeaf() && s.node.count < 2) {
            throw new IllegalStateException("internal root with one child");
        }
        // Balanced height: with the minimum fills below the root, a tree of height h >= 2 holds
        // at least 2 * minInternal^(h-2) * minLeaf ranges.
        long minRanges = 1;
        if (s.height >= 2) {
            minRanges = 2L * Math.max(1, leafSlots / 2);
            for (int h = 3; h <= s.height && minRanges < Long.MAX_VALUE / internalSlots; h++) {
                minRanges *= internalSlots / 2;
            }
        }
        if (s.count < minRanges) {
            throw new IllegalStateException("height " + s.height + " too tall for " + s.count);
        }
    }

    /**
     * Checks the subtree {@code n} and recomputes, from its leaves alone, its first index, last
     * index and largest inner gap into {@code out}, so that the stored spans and gaps of every
     * internal node are compared with exact values.
     */
    private void validateNode(Node n, int depth, int height, boolean isRoot, long[] seen,
            long[] out) {
        if (n.count < 1) {
            throw new IllegalStateException("empty node at depth " + depth);
        }
        int cap = n.isLeaf() ? leafSlots : internalSlots;
        if (n.count > cap || (!isRoot && n.count < cap / 2)) {
            throw new IllegalStateException("node fill " + n.count + " outside [" + cap / 2 + ", "
                + cap + "] at depth " + depth);
        }
        for (int j = n.count; j < n.slots.length; j++) {
            if (n.slots[j] != null) {
                throw new IllegalStateException("stale slot beyond count at depth " + depth);
            }
        }
        long first = 0;
        long last = 0;
        long gap = 0;
        long[] child = new long[3];
        for (int j = 0; j < n.count; j++) {
            if (n.slots[j] == null) {
                throw new IllegalStateException("null slot at depth " + depth);
            }
            long f;
            long l;
            if (n.isLeaf()) {
                f = n.first(j);
                l = n.last(j);
                if (Long.compareUnsigned(f, l) > 0 || Long.compareUnsigned(l, keyMax) > 0) {
                    throw new IllegalStateException("bad range 0x" + Long.toHexString(f) + "-0x"
                        + Long.toHexString(l));
                }
            } else {
                if (depth >= height) {
                    throw new IllegalStateException("internal node at depth " + depth + " of "
                        + height);
                }
                validateNode((Node) n.slots[j], depth + 1, height, false, seen, child);
                f = child[0];
                l = child[1];
                if (n.first(j) != f || n.last(j) != l) {
                    throw new IllegalStateException("stale span for child " + j + " at depth "
                        + depth);
                }
                if (n.gaps[j] != child[2]) {
                    throw new IllegalStateException("gap of child " + j + " at depth " + depth
                        + " is " + Long.toUnsignedString(n.gaps[j]) + ", exact "
                        + Long.toUnsignedString(child[2]));
                }
                gap = maxUnsigned(gap, child[2]);
            }
            if (j == 0) {
                first = f;
            } else {
                if (Long.compareUnsigned(last, f) >= 0) {
                    throw new IllegalStateException("ranges out of order or overlapping at depth "
                        + depth + ": ..0x" + Long.toHexString(last) + " then 0x"
                        + Long.toHexString(f));
                }
                gap = maxUnsigned(gap, f - last - 1);
            }
            last = l;
        }
        if (n.isLeaf()) {
            if (depth != height) {
                throw new IllegalStateException("leaf at depth " + depth + " in tree of height "
                    + height);
            }
            seen[0] += n.count;
        }
        out[0] = first;
        out[1] = last;
        out[2] = gap;
    }

    private static long maxUnsigned(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    /**
     * A text picture of the nodes, for the walkthrough: one line per node, indented by depth, with
     * each slot's range and, in internal nodes, its largest inner gap.
     */
    public String dump() {
        Snapshot s = root;
        StringBuilder sb = new StringBuilder();
        sb.append("maple_tree(").append(keyBits).append("-bit")
            .append(allocTree ? ", ALLOC_RANGE" : "").append(") height ").append(s.height)
            .append(", ").append(s.count).append(" ranges\n");
        if (s.node != null) {
            dumpNode(s.node, 1, sb);
        }
        return sb.toString();
    }

    private static void dumpNode(Node n, int depth, StringBuilder sb) {
        sb.append("  ".repeat(depth)).append(n.isLeaf() ? "leaf" : "arange");
        for (int j = 0; j < n.count; j++) {
            sb.append(" [").append(Long.toHexString(n.first(j))).append('-')
                .append(Long.toHexString(n.last(j))).append(']');
            if (n.isLeaf()) {
                sb.append('=').append(n.slots[j]);
            } else {
                sb.append(" gap ").append(Long.toUnsignedString(n.gaps[j]));
            }
        }
        sb.append('\n');
        if (!n.isLeaf()) {
            for (int j = 0; j < n.count; j++) {
                dumpNode((Node) n.slots[j], depth + 1, sb);
            }
        }
    }

    @Override
    public String toString() {
        return "MapleTree" + entries();
    }
}
