package vfiowb.benchmarks;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The obvious alternative to a maple tree: a {@link TreeMap} from first index to range, with
 * {@code floorEntry} for lookups and first-fit allocation by walking the ranges in order.
 * Keys use {@code Long}'s natural (signed) order, which is right for the benchmarks' keys
 * (all far below 2^63) and spares the baseline a comparator.
 */
public final class TreeMapRangeMap<E> {
    /** One stored range. */
    public record Range<E>(long first, long last, E entry) {}

    private final TreeMap<Long, Range<E>> map = new TreeMap<>();

    public E load(long index) {
        Map.Entry<Long, Range<E>> e = map.floorEntry(index);
        if (e == null) {
            return null;
        }
        Range<E> r = e.getValue();
        return r.last() >= index ? r.entry() : null;
    }

    /** Stores {@code [first, last]} if all of it is free; false when any part is taken. */
    public boolean insertRange(long first, long last, E entry) {
        Map.Entry<Long, Range<E>> e = map.floorEntry(last);
        if (e != null && e.getValue().last() >= first) {
            return false;
        }
        map.put(first, new Range<>(first, last, entry));
        return true;
    }

    /** Removes the range holding {@code index}; returns its entry or null. */
    public E erase(long index) {
        Map.Entry<Long, Range<E>> e = map.floorEntry(index);
        if (e == null || e.getValue().last() < index) {
            return null;
        }
        map.remove(e.getKey());
        return e.getValue().entry();
    }

    /**
     * First fit by walking: the lowest {@code align}-aligned start of {@code size} free indices in
     * {@code [min, max]}, stored with {@code entry}; -1 when nothing fits.
     */
    public long allocFirstFit(long size, long align, long min, long max, E entry) {
        long start = firstFit(size, align, min, max);
        if (start >= 0) {
            map.put(start, new Range<>(start, start + size - 1, entry));
        }
        return start;
    }

    /** The walk of {@link #allocFirstFit} without the store. */
    public long firstFit(long size, long align, long min, long max) {
        long candidate = min;
        Map.Entry<Long, Range<E>> below = map.floorEntry(min);
        Iterator<Range<E>> it = (below == null ? map : map.tailMap(below.getKey(), true))
            .values().iterator();
        while (it.hasNext()) {
            Range<E> r = it.next();
            if (r.first() > candidate) {
                long start = (candidate + align - 1) & -align;
                if (start + size - 1 < r.first() && start + size - 1 <= max) {
                    return start;
                }
            }
            if (r.last() >= candidate) {
                candidate = r.last() + 1;
            }
            if (candidate > max) {
                return -1;
            }
        }
        long start = (candidate + align - 1) & -align;
        return start + size - 1 > max ? -1 : start;
    }

    public int size() {
        return map.size();
    }
}
