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

/** The {@link TreeMapRangeMap} baseline on the same layout and pairs as {@link MapleTreeBench}. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class TreeMapBench {
    private static final Object COOKIE = new Object();

    @Param({"10", "1000", "1000000"})
    public int entries;

    private TreeMapRangeMap<Object> map;
    private FragmentedLayout layout;
    private int next;

    @Setup(Level.Trial)
    public void build() {
        layout = FragmentedLayout.build(FragmentedLayout.Kind.ONE_FIT_MIDWAY, entries, 42);
        map = new TreeMapRangeMap<>();
        for (int i = 0; i < entries; i++) {
            if (!map.insertRange(layout.first[i], layout.last[i], Integer.valueOf(i))) {
                throw new IllegalStateException("layout overlaps at " + i);
            }
        }
        long plain = map.allocFirstFit(FragmentedLayout.REQUEST_PAGES, 1, FragmentedLayout.MIN_PGOFF,
            Long.MAX_VALUE, COOKIE);
        map.erase(plain);
        long aligned = map.allocFirstFit(FragmentedLayout.REQUEST_PAGES,
            FragmentedLayout.REQUEST_ALIGN, FragmentedLayout.MIN_PGOFF, Long.MAX_VALUE, COOKIE);
        map.erase(aligned);
        if (plain != layout.plainFit || aligned != layout.alignedFit) {
            throw new IllegalStateException("unexpected fits " + plain + " " + aligned);
        }
    }

    private int pick() {
        return next++ & (layout.queries.length - 1);
    }

    @Benchmark
    public Object load() {
        return map.load(layout.queries[pick()]);
    }

    @Benchmark
    public boolean insert() {
        long page = layout.freePages[pick()];
        boolean ok = map.insertRange(page, page, COOKIE);
        map.erase(page);
        return ok;
    }

    @Benchmark
    public Object erase() {
        int i = layout.victims[pick()];
        Object old = map.erase(layout.first[i]);
        map.insertRange(layout.first[i], layout.last[i], old);
        return old;
    }

    @Benchmark
    public long allocRange() {
        long start = map.allocFirstFit(FragmentedLayout.REQUEST_PAGES, 1, FragmentedLayout.MIN_PGOFF,
            Long.MAX_VALUE, COOKIE);
        map.erase(start);
        return start;
    }

    /** The aligned first-fit walk alone, storing nothing. */
    @Benchmark
    public long emptyAreaAligned() {
        return map.firstFit(FragmentedLayout.REQUEST_PAGES, FragmentedLayout.REQUEST_ALIGN,
            FragmentedLayout.MIN_PGOFF, Long.MAX_VALUE);
    }

    @Benchmark
    public long allocRangeAligned() {
        long start = map.allocFirstFit(FragmentedLayout.REQUEST_PAGES, FragmentedLayout.REQUEST_ALIGN,
            FragmentedLayout.MIN_PGOFF, Long.MAX_VALUE, COOKIE);
        map.erase(start);
        return start;
    }
}
