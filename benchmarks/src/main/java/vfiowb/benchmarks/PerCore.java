package vfiowb.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * The benchmarks' rates per CPU-second, for a machine whose cores are shared: JMH's throughput
 * divides by wall-clock time, which other processes' load inflates; this divides the same work by
 * the CPU time of the threads that did it (the benchmark thread, and for {@code serve} the
 * server's thread too), which is what "per core" means. Not a replacement for JMH (no forks, no
 * blackholes, one warm-up pass): a cross-check.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar vfiowb.benchmarks.PerCore [SECONDS]</pre>
 */
public final class PerCore {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private PerCore() {}

    private interface Work {
        /** Runs once and returns the operations it did. */
        long run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        for (int stage : new int[] {1, 4}) {
            for (String mix : new String[] {"ioctl", "all"}) {
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
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            ops += w.run();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (cpu(other) - cpu0) / 1e9;
        System.out.printf(Locale.ROOT, "%-40s %,12.0f ops/s wall  %,12.0f ops per CPU-second "
                + "(%.1f CPU-s in %.1f s)%n", what, ops / wall, ops / cpu, cpu, wall);
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
