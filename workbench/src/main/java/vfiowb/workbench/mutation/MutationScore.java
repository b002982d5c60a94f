package vfiowb.workbench.mutation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import vfiowb.workbench.UserError;
import vfiowb.workbench.io.Printable;

/**
 * Per-package mutation scores from PIT reports, with the reviewed equivalent mutants left out:
 * the figures of docs/mutation.md and the verdict on the project's goal (every package in scope
 * at or above the minimum).
 *
 * <p>Counting follows PIT: a package's generated mutants are all but the non-viable ones, its
 * detected ones those killed, timed out, out of memory or crashing the run; survived and
 * no-coverage mutants are undetected. The raw score is detected / generated; the score is
 * detected / (generated - equivalent), the textbook definition, an equivalent mutant being an
 * undetected one an entry of the list matches (100 % when every mutant is equivalent: nothing is
 * left to kill).
 *
 * <p>The list is checked against the reports, because it is only worth trusting while it is
 * true: an entry matching a mutant a test detects claims equivalent what is not; an entry whose
 * class is in the reports but that matches no undetected mutant is stale (the code moved on).
 * Both are errors, and an entry in error covers nothing. An entry whose class is not in the
 * reports at all is passed over: a run of one stage or a few packages says nothing of it.
 */
public final class MutationScore {
    /** The packages the goal of issue 9 covers: each stage's core, vfio-pci-core, drivers; mm. */
    public static final String DEFAULT_SCOPE =
            "vfiowb\\.(step[1-5]\\.(core|pci|drivers\\.[a-z0-9_]+)|common\\.mm)";

    /** One package's counts and verdict. */
    public record PackageScore(String pkg, int generated, int detected, int timedOut, int survived,
            int noCoverage, int equivalent, boolean inScope, boolean belowMin) {
        /** detected / generated, in percent to one decimal. */
        public BigDecimal raw() {
            return percent(detected, generated);
        }

        /** detected / (generated - equivalent), in percent to one decimal. */
        public BigDecimal score() {
            return percent(detected, generated - equivalent);
        }
    }

    /**
     * The outcome of {@link #compute}.
     *
     * @param packages every package with a counted mutant, by name
     * @param errors what is wrong with the equivalents list, each naming its entry
     * @param equivalent the mutants the list's valid entries cover
     */
    public record Result(List<PackageScore> packages, List<String> errors, Set<Mutant> equivalent) {
        /** The packages in scope below the minimum. */
        public List<PackageScore> below() {
            return packages.stream().filter(PackageScore::belowMin).toList();
        }

        /** Whether the goal is met and the list is true. */
        public boolean passed() {
            return errors.isEmpty() && below().isEmpty();
        }
    }

    private MutationScore() {}

    /**
     * The mutants of every report, in order; the same mutant in two of them is a user error
     * (reports of different modules never share a class, so one was given twice).
     */
    public static List<Mutant> merge(List<PitReport.Report> reports) {
        Map<String, PitReport.Report> seen = new HashMap<>();
        List<Mutant> out = new ArrayList<>();
        for (PitReport.Report r : reports) {
            for (Mutant m : r.mutants()) {
                PitReport.Report before = seen.putIfAbsent(m.identity(), r);
                if (before != null) {
                    throw new UserError(Printable.of(r.path().toString()) + ": mutant "
                            + Printable.of(m.label()) + " (instruction " + m.indexes().stream()
                                    .map(String::valueOf).collect(Collectors.joining(", "))
                            + ") is also in "
                            + (before == r ? "this report" : Printable.of(before.path().toString()))
                            + "; give each module's report once");
                }
                out.add(m);
            }
        }
        return out;
    }

    /** Scores {@code mutants} by package, checking {@code entries} against them. */
    public static Result compute(List<Mutant> mutants, List<Equivalents.Entry> entries,
            SourceLines sources, Pattern scope, BigDecimal min) {
        Map<String, List<Mutant>> byClass = new LinkedHashMap<>();
        for (Mutant m : mutants) {
            byClass.computeIfAbsent(m.mutatedClass(), k -> new ArrayList<>()).add(m);
        }
        List<String> errors = new ArrayList<>();
        Set<Mutant> equivalent = new HashSet<>();
        for (Equivalents.Entry e : entries) {
            Pattern cls = Equivalents.classPattern(e.className());
            boolean classSeen = false;
            int noSource = 0;
            List<Mutant> detected = new ArrayList<>();
            List<Mutant> undetected = new ArrayList<>();
            for (Map.Entry<String, List<Mutant>> c : byClass.entrySet()) {
                if (!cls.matcher(c.getKey()).matches()) {
                    continue;
                }
                classSeen = true;
                for (Mutant m : c.getValue()) {
                    if (!m.status().counted() || !m.method().equals(e.method())
                            || !m.mutatorName().equals(e.mutator())) {
                        continue;
                    }
                    String text = sources.line(m);
                    if (text == null) {
                        noSource++;
                    } else if (text.contains(e.lineContains())) {
                        (m.status().detected() ? detected : undetected).add(m);
                    }
                }
            }
            if (!detected.isEmpty()) {
                Mutant d = detected.get(0);
                errors.add(e.where() + ": lists as equivalent a mutant a test detects: "
                        + Printable.of(d.label()) + " (" + d.status() + ")"
                        + (detected.size() > 1 ? " and " + (detected.size() - 1) + " more" : ""));
            } else if (classSeen && undetected.isEmpty()) {
                errors.add(e.where() + ": stale: matches no undetected mutant of "
                        + Printable.of(e.className()) + ", whose class is in the reports"
                        + (noSource > 0 ? " (the source of " + noSource + " mutant(s) with its method "
                                + "and mutator was not found under " + Printable.of(
                                        sources.root().toString()) + "/*/src/main/java)" : ""));
            } else {
                equivalent.addAll(undetected);
            }
        }
        return new Result(packages(mutants, equivalent, scope, min), List.copyOf(errors),
                Set.copyOf(equivalent));
    }

    private static List<PackageScore> packages(List<Mutant> mutants, Set<Mutant> equivalent,
            Pattern scope, BigDecimal min) {
        Map<String, int[]> counts = new TreeMap<>();
        for (Mutant m : mutants) {
            if (!m.status().counted()) {
                continue;
            }
            // generated, detected, timed out, survived, no coverage, equivalent
            int[] c = counts.computeIfAbsent(m.pkg(), k -> new int[6]);
            c[0]++;
            if (m.status().detected()) {
                c[1]++;
            } else if (m.status() == Mutant.Status.SURVIVED) {
                c[3]++;
            } else {
                c[4]++;
            }
            if (m.status() == Mutant.Status.TIMED_OUT) {
                c[2]++;
            }
            if (equivalent.contains(m)) {
                c[5]++;
            }
        }
        List<PackageScore> out = new ArrayList<>();
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            int[] c = e.getValue();
            boolean inScope = scope.matcher(e.getKey()).matches();
            int over = c[0] - c[5];
            boolean below = inScope && over > 0 && BigDecimal.valueOf(100L * c[1])
                    .compareTo(min.multiply(BigDecimal.valueOf(over))) < 0;
            out.add(new PackageScore(e.getKey(), c[0], c[1], c[2], c[3], c[4], c[5], inScope, below));
        }
        return out;
    }

    /**
     * The undetected mutants not listed as equivalent in the packages {@code packages} matches
     * whole, by class, line, mutator and method.
     */
    public static List<Mutant> survivors(List<Mutant> mutants, Result result, Pattern packages) {
        return mutants.stream()
                .filter(m -> m.status().undetected() && !result.equivalent().contains(m)
                        && packages.matcher(m.pkg()).matches())
                .sorted(Comparator.comparing(Mutant::mutatedClass).thenComparingInt(Mutant::line)
                        .thenComparing(Mutant::mutatorName).thenComparing(Mutant::method)
                        .thenComparing(m -> m.indexes().toString()))
                .toList();
    }

    /** {@code num} / {@code den} in percent, rounded half up to one decimal; 100 when den is 0. */
    public static BigDecimal percent(int num, int den) {
        if (den == 0) {
            return BigDecimal.valueOf(1000, 1);
        }
        return BigDecimal.valueOf(100L * num).divide(BigDecimal.valueOf(den), 1, RoundingMode.HALF_UP);
    }
}
