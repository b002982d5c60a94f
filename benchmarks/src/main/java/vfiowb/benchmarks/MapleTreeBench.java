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
 * The maple tree on a fragmented key space ({@link FragmentedLayout.Kind#ONE_FIT_MIDWAY}).
 * {@code insert}, {@code erase} and the allocations each time a pair (the operation and the one
 * that undoes it), so that the tree keeps its size; {@link TreeMapBench} times the same pairs.
 * {@code emptyAreaAligned} times the aligned search alone. The heap is fixed and pre-touched so
 * that page faults of a growing heap do not land in the copy-on-write writers' timings.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class MapleTreeBench {
    private static final Object COOKIE = new Object();

    @Param({"10", "1000", "1000000"})
    public int entries;

    private MapleTree<Object> tree;
    private FragmentedLayout layout;
    private int next;

    @Setup(Level.Trial)
    public void build() {
        layout = FragmentedLayout.build(FragmentedLayout.Kind.ONE_FIT_MIDWAY, entries, 42);
        tree = new MapleTree<>(64, MapleTree.Flag.ALLOC_RANGE);
        for (int i = 0; i < entries; i++) {
            if (tree.insertRange(layout.first[i], layout.last[i], Integer.valueOf(i)) != 0) {
                throw new IllegalStateException("layout overlaps at " + i);
            }
        }
        MapleArea plain = tree.allocRange(FragmentedLayout.REQUEST_PAGES, FragmentedLayout.MIN_PGOFF,
            -1L, COOKIE);
        tree.erase(plain.first());
        MapleArea aligned = tree.emptyAreaAligned(FragmentedLayout.MIN_PGOFF, -1L,
            FragmentedLayout.REQUEST_PAGES, FragmentedLayout.REQUEST_ALIGN);
        if (plain.first() != layout.plainFit
                || aligned.first() != layout.alignedFit) {
            throw new IllegalStateException("unexpected fits " + plain + " " + aligned);
        }
    }

    private int pick() {
        return next++ & (layout.queries.length - 1);
    }

    @Benchmark
    public Object load() {
        return tree.load(layout.queries[pick()]);
    }

    @Benchmark
    public int insert() {
        long page = layout.freePages[pick()];
        int ret = tree.insert(page, COOKIE);
        tree.erase(page);
        return ret;
    }

    @Benchmark
    public Object erase() {
        int i = layout.victims[pick()];
        Object old = tree.erase(layout.first[i]);
        tree.insertRange(layout.first[i], layout.last[i], old);
        return old;
    }

    @Benchmark
    public long allocRange() {
        MapleArea a = tree.allocRange(FragmentedLayout.REQUEST_PAGES, FragmentedLayout.MIN_PGOFF, -1L,
            COOKIE);
        tree.erase(a.first());
        return a.first();
    }

    @Benchmark
    public long allocRangeAligned() {
        MapleArea a = tree.allocRangeAligned(FragmentedLayout.REQUEST_PAGES,
            FragmentedLayout.REQUEST_ALIGN, FragmentedLayout.MIN_PGOFF, -1L, COOKIE);
        tree.erase(a.first());
        return a.first();
    }

    /** The aligned gap search alone, storing nothing: how the search itself grows with n. */
    @Benchmark
    public long emptyAreaAligned() {
        return tree.emptyAreaAligned(FragmentedLayout.MIN_PGOFF, -1L, FragmentedLayout.REQUEST_PAGES,
            FragmentedLayout.REQUEST_ALIGN).first();
    }

    @Benchmark
    public long allocRangeOversizeAligned() {
        MapleArea a = tree.allocRangeOversizeAligned(FragmentedLayout.REQUEST_PAGES,
            FragmentedLayout.REQUEST_ALIGN, FragmentedLayout.MIN_PGOFF, -1L, COOKIE);
        tree.erase(a.first());
        return a.first();
    }
}
