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

/**
 * The maple tree against the {@link TreeMapRangeMap} baseline on the fragmented layout
 * {@link FragmentedLayout.Kind#ONE_FIT_MIDWAY}, with the implementation a parameter so that the two
 * runs of each operation and size follow each other (on a shared machine, load drifts over
 * minutes).
 *
 * <p>{@code insert}, {@code erase} and the allocations each time a pair (the operation and the one
 * that undoes it), so that the structure keeps its size. {@code emptyAreaAligned} times the aligned
 * search alone. Each runs in its own JVM with a fixed, pre-touched heap, so that page faults of a
 * growing heap do not land in the copy-on-write writers' timings.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class RangeMapBench {
    @Param({"10", "1000", "1000000"})
    public int entries;

    @Param({"maple", "treemap"})
    public String impl;

    private Subject subject;
    private FragmentedLayout layout;
    private int next;

    @Setup(Level.Trial)
    public void build() {
        layout = FragmentedLayout.build(FragmentedLayout.Kind.ONE_FIT_MIDWAY, entries, 42);
        subject = "maple".equals(impl) ? new Subject.Maple() : new Subject.Baseline();
        for (int i = 0; i < entries; i++) {
            subject.insertRange(layout.first[i], layout.last[i], Integer.valueOf(i));
        }
        long[] answers = {subject.allocPair(), subject.alignedAllocPair(), subject.oversizeAllocPair(),
            subject.alignedQuery()};
        long[] want = {layout.plainFit, layout.alignedFit, layout.alignedFit, layout.alignedFit};
        if (!java.util.Arrays.equals(answers, want)) {
            throw new IllegalStateException(impl + " answers " + java.util.Arrays.toString(answers)
                + ", layout says " + java.util.Arrays.toString(want));
        }
    }

    private int pick() {
        return next++ & (layout.queries.length - 1);
    }

    @Benchmark
    public Object load() {
        return subject.load(layout.queries[pick()]);
    }

    @Benchmark
    public Object insert() {
        return subject.insertPair(layout.freePages[pick()]);
    }

    @Benchmark
    public Object erase() {
        int i = layout.victims[pick()];
        return subject.erasePair(layout.first[i], layout.last[i]);
    }

    @Benchmark
    public long allocRange() {
        return subject.allocPair();
    }

    @Benchmark
    public long allocRangeAligned() {
        return subject.alignedAllocPair();
    }

    @Benchmark
    public long allocRangeOversizeAligned() {
        return subject.oversizeAllocPair();
    }

    @Benchmark
    public long emptyAreaAligned() {
        return subject.alignedQuery();
    }
}
