package vfiowb.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The benchmarks' rates per CPU-second, for a machine whose cores are shared (fuzzer stages 1, 4 and 5): JMH's throughput
 * divides by wall-clock time, which other processes' load inflates; this divides the same work by
 * the CPU time of the threads that did it (the benchmark thread, and for {@code serve} the
 * server's thread too), which is what "per core" means. Not a replacement for JMH (no forks, no
 * blackholes, one warm-up pass): a cross-check. The last column divides by the whole process's CPU
 * time instead, which also charges the garbage collector's and the JIT compiler's threads to the
 * work: the stricter figure, since an allocating benchmark hands part of its cost to them.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar vfiowb.benchmarks.PerCore [SECONDS [FILTER]]</pre>
 *
 * <p>{@code FILTER}, a regular expression, keeps only the rows whose name it finds
 * ({@code "fuzzer.*ioctl"}: the fuzzer's simple-ioctl rows).
 */
public final class PerCore {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** The whole JVM's CPU time: the work's threads plus the collector's and the compiler's. */
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private PerCore() {}

    private interface Work {
        /** Runs once and returns the operations it did. */
        long run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        Pattern filter = Pattern.compile(args.length > 1 ? args[1] : "");
        for (int stage : new int[] {1, 4, 5}) {
            for (String mix : new String[] {"ioctl", "all"}) {
                if (!filter.matcher("fuzzer stage " + stage + " mix " + mix).find()) {
                    continue;
                }
                FuzzerBench b = new FuzzerBench();
                b.stage = stage;
                b.mix = mix;
                b.device = "nic-vf";
                b.setUp();
                report("fuzzer stage " + stage + " mix " + mix, seconds, null, () -> {
                    b.seed();
                    return FuzzerBench.OPS;
                });
            }
        }
        for (String request : new String[] {"region-info", "load", "store"}) {
            if (!filter.matcher("serve " + request).find()) {
                continue;
            }
            ServeBench s = new ServeBench();
            s.request = request;
            s.stage = "4";
            s.start();
            try {
                report("serve " + request + " one at a time", seconds, s.serverThread(), () -> {
                    s.oneAtATime();
                    return 1;
                });
                report("serve " + request + " pipelined", seconds, s.serverThread(), () -> {
                    s.pipelined();
                    return ServeBench.DEPTH;
                });
            } finally {
                s.stop();
            }
        }
    }

    private static void report(String what, double seconds, Thread other, Work w) throws Exception {
        long warm = System.nanoTime() + (long) (seconds * 0.3e9);
        while (System.nanoTime() < warm) {
            w.run();
        }
        long ops = 0;
        long cpu0 = cpu(other);
        long process0 = PROCESS.getProcessCpuTime();
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            ops += w.run();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (cpu(other) - cpu0) / 1e9;
        double process = (PROCESS.getProcessCpuTime() - process0) / 1e9;
        System.out.printf(Locale.ROOT, "%-40s %,12.0f ops/s wall  %,12.0f ops per CPU-second "
                + "(%.1f CPU-s in %.1f s)  %,12.0f ops per process CPU-second%n", what, ops / wall,
                ops / cpu, cpu, wall, ops / process);
    }

    /** CPU time of this thread and {@code other}, if any. */
    private static long cpu(Thread other) {
        long t = THREADS.getCurrentThreadCpuTime();
        if (other != null) {
            t += THREADS.getThreadCpuTime(other.getId());
        }
        return t;
    }
}
