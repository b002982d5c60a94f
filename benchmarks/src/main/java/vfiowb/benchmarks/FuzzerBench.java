package vfiowb.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.Stages;
import vfiowb.common.userspace.Process;
import vfiowb.workbench.fuzz.Fuzzer;

/**
 * The in-process fuzzer's throughput on one thread (so per core): operations per second,
 * invariants checked after every one, as {@code vfio-workbench fuzz} and {@code FuzzTest} run it.
 * Each invocation is one seed of {@link #OPS} operations on a freshly booted stage, so the boot
 * and the first open's probe count too. {@code mix}: {@code ioctl} is the simple-ioctl mix
 * (after the first open only ioctls: REGION_INFO, GET_INFO, IRQ_INFO and numbers near and far
 * from the VFIO range, with any argsz and buffer); {@code all} is the fuzzer's usual mix
 * (mmaps, faults, resets, closes and reopens included).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class FuzzerBench {
    /** Operations per seed, as FuzzTest's slice runs them. */
    public static final int OPS = 1000;

    @Param({"1", "4", "5"})
    public int stage;

    @Param({"ioctl", "all"})
    public String mix;

    @Param({"nic-vf"})
    public String device;

    private Stage s;
    private DeviceSpec spec;
    private long seed;

    @Setup(Level.Trial)
    public void setUp() {
        s = Stages.byNumber(stage);
        spec = DeviceCatalogue.byName(device).orElseThrow();
    }

    /** One seed: boot, then {@link #OPS} operations with their checks; fails on a violation. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public int seed() {
        Process p = new Process(s.boot(Arch.X86_64, List.of(spec)));
        Fuzzer f = Fuzzer.start(p, spec.name(), ++seed, mix.equals("ioctl"));
        for (int i = 0; i < OPS; i++) {
            Fuzzer.Violation v = f.step();
            if (v != null) {
                throw new IllegalStateException("seed " + seed + " broke " + v.invariant() + ": "
                        + v.message());
            }
        }
        return f.result().steps().size();
    }
}
