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

    /**
     * The free ranges that meet {@code [min, max]}, in key order, as {lo, hi} pairs (not clipped),
     * found by walking the map from the range at or below {@code min}.
     */
    List<long[]> freeRanges(long min, long max) {
        List<long[]> out = new ArrayList<>();
        Map.Entry<Long, MapleTree.Entry<E>> below = map.floorEntry(min);
        Iterable<MapleTree.Entry<E>> rest;
        long next;
        if (below == null) {
            next = 0;
            rest = map.values();
        } else {
            if (below.getValue().last() == keyMax) {
                return out;
            }
            next = below.getValue().last() + 1;
            rest = map.tailMap(below.getKey(), false).values();
        }
        for (MapleTree.Entry<E> e : rest) {
            if (lt(max, next)) {
                return out;
            }
            if (lt(next, e.first())) {
                out.add(new long[] {next, e.first() - 1});
            }
            if (e.last() == keyMax) {
                return out;
            }
            next = e.last() + 1;
        }
        if (le(next, max)) {
            out.add(new long[] {next, keyMax});
        }
        return out;
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

    /** Lowest (or highest) aligned fit, by trying every free range. */
    MapleArea search(long size, long align, long min, long max, boolean highest) {
        int bad = check(size, align, min, max);
        if (bad != 0) {
            return MapleArea.error(bad);
        }
        List<long[]> free = freeRanges(min, max);
        MapleArea best = null;
        for (long[] r : free) {
            long lo = lt(r[0], min) ? min : r[0];
            long hi = lt(max, r[1]) ? max : r[1];
            if (lt(hi, lo)) {
                continue;
            }
            long start;
            if (!highest) {
                long rem = Long.remainderUnsigned(lo, align);
                start = rem == 0 ? lo : lo + (align - rem);
                if (lt(start, lo)) {
                    continue;
                }
            } else {
                if (lt(hi - lo, size - 1)) {
                    continue;
                }
                long top = hi - size + 1;
                start = top - Long.remainderUnsigned(top, align);
            }
            if (lt(start, lo) || lt(hi, start) || lt(hi - start, size - 1)) {
                continue;
            }
            best = MapleArea.of(start, start + size - 1);
            if (!highest) {
                break;
            }
        }
        return best != null ? best : MapleArea.error(-Errno.EBUSY);
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
