package vfiowb.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import vfiowb.common.lib.MapleArea;
import vfiowb.common.lib.MapleTree;

/**
 * Aligned allocation on the worst layout for the aligned gap search
 * ({@link FragmentedLayout.Kind#NEAR_MISS}): every hole is big enough but misaligned, so size
 * pruning never helps and the gap search visits every hole. The oversize way prunes by
 * {@code size + align - 1} and stays logarithmic, at the price of the space it wastes elsewhere.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class NearMissAlignedBench {
    private static final Object COOKIE = new Object();

    @Param({"1000", "1000000"})
    public int entries;

    private MapleTree<Object> tree;
    private TreeMapRangeMap<Object> map;

    @Setup(Level.Trial)
    public void build() {
        FragmentedLayout layout = FragmentedLayout.build(FragmentedLayout.Kind.NEAR_MISS, entries, 42);
        tree = new MapleTree<>(64, MapleTree.Flag.ALLOC_RANGE);
        map = new TreeMapRangeMap<>();
        for (int i = 0; i < entries; i++) {
            tree.insertRange(layout.first[i], layout.last[i], Integer.valueOf(i));
            map.insertRange(layout.first[i], layout.last[i], Integer.valueOf(i));
        }
        long want = layout.alignedFit;
        if (mapleGapSearch() != want || treeMapFirstFit() != want) {
            throw new IllegalStateException("near-miss layout has an aligned fit below the top");
        }
    }

    @Benchmark
    public long mapleGapSearch() {
        MapleArea a = tree.allocRangeAligned(FragmentedLayout.REQUEST_PAGES,
            FragmentedLayout.REQUEST_ALIGN, FragmentedLayout.MIN_PGOFF, -1L, COOKIE);
        tree.erase(a.first());
        return a.first();
    }

    @Benchmark
    public long mapleOversize() {
        MapleArea a = tree.allocRangeOversizeAligned(FragmentedLayout.REQUEST_PAGES,
            FragmentedLayout.REQUEST_ALIGN, FragmentedLayout.MIN_PGOFF, -1L, COOKIE);
        tree.erase(a.first());
        return a.first();
    }

    @Benchmark
    public long treeMapFirstFit() {
        long start = map.allocFirstFit(FragmentedLayout.REQUEST_PAGES, FragmentedLayout.REQUEST_ALIGN,
            FragmentedLayout.MIN_PGOFF, Long.MAX_VALUE, COOKIE);
        map.erase(start);
        return start;
    }
}
