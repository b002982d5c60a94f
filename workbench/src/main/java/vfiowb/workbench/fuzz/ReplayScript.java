package vfiowb.workbench.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * The shortest failing prefix of a fuzz run as a scenario script: every system call up to and
 * including the failing operation, each with the outcome the stage gave as its expectation, so
 * {@code vfio-workbench run} replays the same calls and stops where they go another way.
 * Failures are checked after every operation, so the prefix that ends at the first failing one
 * is the shortest that fails.
 */
public final class ReplayScript {
    private ReplayScript() {}

    /**
     * The script for {@code run} up to operation {@code lastOp}, headed by comments saying what
     * broke and the command that replays it.
     */
    public static String of(Fuzzer.Run run, int lastOp, List<String> header, String replay) {
        List<String> out = new ArrayList<>();
        for (String h : header) {
            out.add("# " + h);
        }
        out.add("# replay: " + replay);
        out.add("");
        int op = -1;
        for (Fuzzer.Step s : run.steps()) {
            if (s.op() > lastOp) {
                break;
            }
            if (s.op() != op) {
                op = s.op();
                out.add("# operation " + op);
            }
            out.add(s.script());
        }
        return String.join("\n", out) + "\n";
    }
}
