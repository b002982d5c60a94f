package vfiowb.common.lib;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import vfiowb.common.errno.Errno;

/**
 * The plain reference the maple tree is checked against: a sorted map from first index to range,
 * with every search done by walking the free ranges one by one. Deliberately naive; shares no code
 * with {@link MapleTree}.
 */
final class RangeMapReference<E> {
    private final long keyMax;
    private final boolean allocTree;
    private final TreeMap<Long, MapleTree.Entry<E>> map = new TreeMap<>(Long::compareUnsigned);

    RangeMapReference(int keyBits, boolean allocTree) {
        this.keyMax = keyBits == 64 ? -1L : (1L << keyBits) - 1;
        this.allocTree = allocTree;
    }

    private static boolean le(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0;
    }

    private static boolean lt(long a, long b) {
        return Long.compareUnsigned(a, b) < 0;
    }

    E load(long index) {
        if (!le(index, keyMax)) {
            return null;
        }
        Map.Entry<Long, MapleTree.Entry<E>> e = map.floorEntry(index);
        return e != null && le(index, e.getValue().last()) ? e.getValue().entry() : null;
    }

    List<MapleTree.Entry<E>> overlapping(long first, long last) {
        List<MapleTree.Entry<E>> out = new ArrayList<>();
        Map.Entry<Long, MapleTree.Entry<E>> before = map.floorEntry(first);
        if (before != null && le(first, before.getValue().last())) {
            out.add(before.getValue());
        }
        for (MapleTree.Entry<E> e : map.tailMap(first, true).values()) {
            if (!le(e.first(), last)) {
                break;
            }
            if (out.isEmpty() || out.get(out.size() - 1) != e) {
                out.add(e);
            }
        }
        return out;
    }

    int insertRange(long first, long last, E entry) {
        if (entry == null || lt(last, first) || lt(keyMax, last)) {
            return -Errno.EINVAL;
        }
        if (!overlapping(first, last).isEmpty()) {
            return -Errno.EEXIST;
        }
        map.put(first, new MapleTree.Entry<>(first, last, entry));
        return 0;
    }

    int storeRange(long first, long last, E entry) {
        if (lt(last, first) || lt(keyMax, last)) {
            return -Errno.EINVAL;
        }
        for (MapleTree.Entry<E> e : overlapping(first, last)) {
            map.remove(e.first());
            if (lt(e.first(), first)) {
                map.put(e.first(), new MapleTree.Entry<>(e.first(), first - 1, e.entry()));
            }
            if (lt(last, e.last())) {
                map.put(last + 1, new MapleTree.Entry<>(last + 1, e.last(), e.entry()));
            }
        }
        if (entry != null) {
            map.put(first, new MapleTree.Entry<>(first, last, entry));
        }
        return 0;
    }

    E erase(long index) {
        if (!le(index, keyMax)) {
            return null;
        }
        Map.Entry<Long, MapleTree.Entry<E>> e = map.floorEntry(index);
        if (e == null || !le(index, e.getValue().last())) {
            return null;
        }
        map.remove(e.getKey());
        return e.getValue().entry();
    }

    void destroy() {
        map.clear();
    }

    boolean isEmpty() {
        return map.isEmpty();
    }

    int count() {
        return map.size();
    }

    List<MapleTree.Entry<E>> entries() {
        return new ArrayList<>(map.values());
    }

    MapleTree.Entry<E> find(long index, long max) {
        if (lt(max, index)) {
            return null;
        }
        List<MapleTree.Entry<E>> o = overlapping(index, lt(keyMax, max) ? keyMax : max);
        return o.isEmpty() ? null : o.get(0);
    }

    /** The stored range at or below {@code key}, else the lowest one; null when empty. */
    MapleTree.Entry<E> near(long key) {
        Map.Entry<Long, MapleTree.Entry<E>> e = map.floorEntry(key);
        if (e == null) {
            e = map.firstEntry();
        }
        return e == null ? null : e.getValue();
    }

    private int check(long size, long align, long min, long max) {
        if (lt(max, min) || lt(keyMax, max) || size == 0 || Long.bitCount(align) != 1) {
            return -Errno.EINVAL;
        }
        if (lt(max - min, size - 1)) {
            return -Errno.EINVAL;
        }
        return 0;
    }

    /**
     * Lowest (or highest) aligned fit, by walking the free ranges one at a time up from
     * {@code min} (or down from {@code max}) and trying each.
     */
    MapleArea search(long size, long align, long min, long max, boolean highest) {
        int bad = check(size, align, min, max);
        if (bad != 0) {
            return MapleArea.error(bad);
        }
        Long start = highest ? walkDown(size, align, min, max) : walkUp(size, align, min, max);
        return start == null ? MapleArea.error(-Errno.EBUSY) : MapleArea.of(start, start + size - 1);
    }

    private Long walkUp(long size, long align, long min, long max) {
        Map.Entry<Long, MapleTree.Entry<E>> below = map.floorEntry(min);
        Iterator<MapleTree.Entry<E>> it;
        long next;
        if (below == null) {
            next = 0;
            it = map.values().iterator();
        } else {
            if (below.getValue().last() == keyMax) {
                return null;
            }
            next = below.getValue().last() + 1;
            it = map.tailMap(below.getKey(), false).values().iterator();
        }
        while (le(next, max)) {
            MapleTree.Entry<E> e = it.hasNext() ? it.next() : null;
            if (e == null || lt(next, e.first())) {
                Long s = fit(next, e == null ? keyMax : e.first() - 1, size, align, min, max, false);
                if (s != null) {
                    return s;
                }
            }
            if (e == null || e.last() == keyMax) {
                return null;
            }
            next = e.last() + 1;
        }
        return null;
    }

    private Long walkDown(long size, long align, long min, long max) {
        Map.Entry<Long, MapleTree.Entry<E>> at = map.floorEntry(max);
        if (at == null) {
            return fit(0, keyMax, size, align, min, max, true);
        }
        Map.Entry<Long, MapleTree.Entry<E>> above = map.higherEntry(at.getKey());
        long top = above == null ? keyMax : above.getKey() - 1;
        while (true) {
            MapleTree.Entry<E> e = at.getValue();
            if (lt(e.last(), top)) {
                Long s = fit(e.last() + 1, top, size, align, min, max, true);
                if (s != null) {
                    return s;
                }
            }
            if (e.first() == 0 || lt(e.first() - 1, min)) {
                return null;
            }
            top = e.first() - 1;
            at = map.lowerEntry(at.getKey());
            if (at == null) {
                return fit(0, top, size, align, min, max, true);
            }
        }
    }

    /** The aligned start of a {@code size} fit in free {@code [lo, hi]} clipped to the window. */
    private static Long fit(long lo, long hi, long size, long align, long min, long max,
            boolean highest) {
        lo = lt(lo, min) ? min : lo;
        hi = lt(max, hi) ? max : hi;
        if (lt(hi, lo) || lt(hi - lo, size - 1)) {
            return null;
        }
        long start;
        if (!highest) {
            long rem = Long.remainderUnsigned(lo, align);
            start = rem == 0 ? lo : lo + (align - rem);
            if (lt(start, lo)) {
                return null;
            }
        } else {
            long top = hi - size + 1;
            start = top - Long.remainderUnsigned(top, align);
        }
        if (lt(start, lo) || lt(hi, start) || lt(hi - start, size - 1)) {
            return null;
        }
        return start;
    }

    MapleArea alloc(long size, long align, long min, long max, E entry, boolean highest) {
        if (!allocTree || entry == null) {
            return MapleArea.error(-Errno.EINVAL);
        }
        MapleArea a = search(size, align, min, max, highest);
        if (a.ok()) {
            map.put(a.first(), new MapleTree.Entry<>(a.first(), a.last(), entry));
        }
        return a;
    }

    MapleArea allocOversize(long size, long align, long min, long max, E entry) {
        if (!allocTree || entry == null) {
            return MapleArea.error(-Errno.EINVAL);
        }
        int bad = check(size, align, min, max);
        if (bad != 0) {
            return MapleArea.error(bad);
        }
        long length = size + align - 1;
        if (lt(length, size)) {
            return MapleArea.error(-Errno.EBUSY);
        }
        MapleArea gap = search(length, 1, min, max, false);
        if (!gap.ok()) {
            return MapleArea.error(-Errno.EBUSY);
        }
        long rem = Long.remainderUnsigned(gap.first(), align);
        long start = rem == 0 ? gap.first() : gap.first() + (align - rem);
        map.put(start, new MapleTree.Entry<>(start, start + size - 1, entry));
        return MapleArea.of(start, start + size - 1);
    }

    Iterator<MapleTree.Entry<E>> iterator() {
        return map.values().iterator();
    }
}
