package vfiowb.workbench.fuzz;

import java.util.ArrayList;
import java.util.List;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.userspace.Process;
import vfiowb.workbench.conform.Declared;

/**
 * One seed on one device at one or more stages: a {@link Fuzzer} run per stage, then, stage by
 * stage, the comparison the fuzzer promises: for the same seed, adjacent stages give the same
 * outcomes except where {@link Declared} says the later stage's patch changes them on purpose
 * (stage 3 on places regions elsewhere, which is why steps name regions by index).
 */
public final class Campaign {
    /** Declarations apply to the fuzzer's steps under this key. */
    public static final String KEY = "fuzz";

    /** A run at one stage. */
    public record StageRun(Stage stage, Fuzzer.Run run) {}

    /**
     * Where two adjacent stages first differ without a declaration: the operation, and the
     * lines each gave.
     */
    public record Difference(int from, int to, int op, String before, String after) {}

    /** The runs and the first undeclared difference between adjacent ones, or null. */
    public record Result(DeviceSpec device, long seed, List<StageRun> runs, Difference difference) {
        public boolean passed() {
            return difference == null && runs.stream().allMatch(r -> r.run().passed());
        }
    }

    private Campaign() {}

    /** Runs {@code seed} for {@code ops} operations on {@code device} at every stage given. */
    public static Result run(List<Stage> stages, Arch arch, SeriesPolicy policy, DeviceSpec device,
            long seed, int ops) {
        List<StageRun> runs = new ArrayList<>();
        for (Stage s : stages) {
            Process p = new Process(s.boot(arch, List.of(device), policy));
            runs.add(new StageRun(s, Fuzzer.run(p, device.name(), seed, ops)));
        }
        Declared.Context ctx = new Declared.Context(arch, policy);
        Difference d = null;
        for (int i = 1; i < runs.size() && d == null; i++) {
            d = compare(ctx, device.name(), runs.get(i - 1), runs.get(i));
        }
        return new Result(device, seed, runs, d);
    }

    /** A pwrite or store that went through. */
    private static boolean wrote(Fuzzer.Step s) {
        return (s.line().startsWith("pwrite ") && s.line().matches(".* -> [1-9]\\d*"))
                || (s.line().startsWith("store ") && s.line().endsWith("-> ok"));
    }

    /** An open or mmap that one stage made and the other did not: later calls build on it. */
    private static boolean diverges(Fuzzer.Step s, Fuzzer.Step t) {
        return (s.line().startsWith("open ") || s.line().startsWith("mmap "))
                && succeeded(s) != succeeded(t);
    }

    private static boolean succeeded(Fuzzer.Step s) {
        return s.line().endsWith("-> ok") || s.line().matches(".* -> fd \\d+");
    }

    /**
     * The first comparable step where {@code a} and {@code b} differ without a declaration, up
     * to where either stopped. The comparison stops where the stages' states part ways for a
     * reason it accepts: an open or mmap one stage made and the other did not (as declared), a
     * call it does not compare that went differently, or one that wrote where each layout puts
     * something else.
     */
    static Difference compare(Declared.Context ctx, String device, StageRun a, StageRun b) {
        List<Fuzzer.Step> x = a.run().steps();
        List<Fuzzer.Step> y = b.run().steps();
        int from = a.stage().number();
        int to = b.stage().number();
        int stopA = a.run().passed() ? Integer.MAX_VALUE : a.run().violation().op();
        int stopB = b.run().passed() ? Integer.MAX_VALUE : b.run().violation().op();
        int i = 0;
        int j = 0;
        while (i < x.size() && j < y.size()) {
            Fuzzer.Step s = x.get(i);
            Fuzzer.Step t = y.get(j);
            if (s.op() >= stopA || t.op() >= stopB) {
                return null;
            }
            if (s.op() != t.op()) {
                // One stage made more calls for an operation (a probe of more regions): realign.
                if (s.op() < t.op()) {
                    i++;
                } else {
                    j++;
                }
                continue;
            }
            if (!(s.comparable() && t.comparable())) {
                // Not compared; but once it went differently, or wrote somewhere each layout
                // chooses, the stages' states part ways and later lines would differ for it.
                if (!s.line().equals(t.line()) || wrote(s) || wrote(t)) {
                    return null;
                }
            } else if (!s.line().equals(t.line())) {
                boolean declared = Declared.find(ctx, from, to, device, KEY, s.line(), t.line()) != null;
                if (!declared) {
                    return new Difference(from, to, s.op(), s.line(), t.line());
                }
                if (diverges(s, t)) {
                    return null;
                }
            }
            i++;
            j++;
        }
        return null;
    }
}
