package vfiowb.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic, fragmented key space of {@code n} ranges (keys are pgoffs in pages), the shape
 * the benchmarks run on.
 *
 * <ul>
 *   <li>{@link Kind#ONE_FIT_MIDWAY}: ranges of 1 to 16 pages separated by holes of 0 to 7 pages,
 *       from pgoff 1 up, except one hole of 32 pages after range {@code n / 2}. Every other hole
 *       is smaller than the 8-page request, so the lowest fit of both the plain and the 8-aligned
 *       request is in that hole, half way along: a first-fit walk passes {@code n / 2} ranges, a
 *       gap search must descend the whole height of the tree to reach it.</li>
 *   <li>{@link Kind#NEAR_MISS}: holes of 8 to 14 pages that all start one page past a multiple
 *       of 8. Each is big enough for 8 pages but holds no 8-aligned run of 8, so an aligned gap
 *       search that prunes by size must look into every hole: the worst case for the aligned gap
 *       search. The aligned fit is above the last range.</li>
 * </ul>
 */
public final class FragmentedLayout {
    /** The allocation request of the benchmarks: 8 pages (32 KiB), 8-page aligned when aligned. */
    public static final long REQUEST_PAGES = 8;
    public static final long REQUEST_ALIGN = 8;
    /** Allocations start at pgoff 1, as iommufd's start at PAGE_SIZE so that 0 means unset. */
    public static final long MIN_PGOFF = 1;

    public enum Kind { ONE_FIT_MIDWAY, NEAR_MISS }

    private static final int PICKS = 1 << 12;

    public final long[] first;
    public final long[] last;
    /** First pgoff above every range. */
    public final long top;
    /** Where the lowest fit of the plain 8-page request starts. */
    public final long plainFit;
    /** Where the lowest fit of the 8-page, 8-aligned request starts. */
    public final long alignedFit;
    /** Random pgoffs in [0, top + 64): hits and misses for lookups. */
    public final long[] queries = new long[PICKS];
    /** Random single free pgoffs (inside holes, or above the top) for insertions. */
    public final long[] freePages = new long[PICKS];
    /** Random range indexes for erasures. */
    public final int[] victims = new int[PICKS];

    private FragmentedLayout(long[] first, long[] last, long top, long plainFit, long alignedFit,
            List<Long> holes, SplittableRandom r) {
        this.first = first;
        this.last = last;
        this.top = top;
        this.plainFit = plainFit;
        this.alignedFit = alignedFit;
        if (holes.isEmpty()) {
            holes.add(top);
        }
        for (int i = 0; i < PICKS; i++) {
            queries[i] = r.nextLong(top + 64);
            freePages[i] = holes.get(r.nextInt(holes.size()));
            victims[i] = r.nextInt(first.length);
        }
    }

    /** The layout of {@code n} ranges; the same {@code (kind, n, seed)} always gives the same. */
    public static FragmentedLayout build(Kind kind, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] first = new long[n];
        long[] last = new long[n];
        List<Long> holes = new ArrayList<>();
        long cursor = MIN_PGOFF;
        long plainFit = -1;
        long alignedFit = -1;
        for (int i = 0; i < n; i++) {
            first[i] = cursor;
            long hole;
            if (kind == Kind.ONE_FIT_MIDWAY) {
                last[i] = cursor + r.nextInt(16);
                hole = i == n / 2 ? 32 : r.nextInt(8);
                if (i == n / 2) {
                    plainFit = last[i] + 1;
                    alignedFit = alignUp(plainFit);
                }
            } else {
                last[i] = (cursor + r.nextInt(16) + 7) & ~7L;
                hole = 8 + r.nextInt(7);
                if (plainFit < 0) {
                    plainFit = last[i] + 1;
                }
            }
            if (hole > 0) {
                holes.add(last[i] + 1 + r.nextInt((int) hole));
            }
            cursor = last[i] + 1 + hole;
        }
        long top = n == 0 ? MIN_PGOFF : last[n - 1] + 1;
        if (kind == Kind.NEAR_MISS) {
            alignedFit = alignUp(top);
        }
        return new FragmentedLayout(first, last, top, plainFit, alignedFit, holes, r);
    }

    private static long alignUp(long pgoff) {
        return (pgoff + REQUEST_ALIGN - 1) & -REQUEST_ALIGN;
    }
}
