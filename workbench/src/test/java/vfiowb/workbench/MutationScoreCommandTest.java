package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mutation-score} on small hand-written PIT reports and a fake source tree: counting per
 * status as PIT does, the scope and minimum deciding the exit code, equivalent entries matched by
 * line text across stages and checked against the reports (a killed mutant listed, a stale entry),
 * truncated reports, user errors, and the markdown and JSON forms.
 */
class MutationScoreCommandTest {
    static final String M = "org.pitest.mutationtest.engine.gregor.mutators.";
    static final String MLX5 = "drivers.mlx5.Mlx5VfioPci";
    static final String OPEN = "mlx5vfPciOpenDevice";

    @TempDir
    Path tmp;

    /** The source of the modelled mlx5 open at stage {@code stage}, {@code pad} lines lower. */
    static String mlx5Source(String stage, int pad) {
        return "package vfiowb." + stage + ".drivers.mlx5;\n" + "// a comment\n".repeat(pad) + "\n"
                + "final class Mlx5VfioPci {\n"
                + "    static int mlx5vfPciOpenDevice(Object d) {\n"   // 4 + pad
                + "        int ret = VfioPciCore.enable(d);\n"          // 5
                + "        if (ret != 0) {\n"                           // 6
                + "            return ret;\n"                           // 7
                + "        }\n"                                         // 8
                + "        Trace.note(d);\n"                            // 9
                + "        VfioPciCore.vfioPciCoreFinishEnable(d);\n"   // 10
                + "        return 0;\n"                                 // 11
                + "    }\n}\n";
    }

    /** One {@code <mutation>} line as PIT 1.30's XMLReportListener writes it. */
    static String mutation(String status, String cls, String method, int line, String mutator,
            int index, String description) {
        boolean detected = Set.of("KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR", "NON_VIABLE")
                .contains(status);
        String outer = cls.substring(cls.lastIndexOf('.') + 1).replaceFirst("\\$.*", "");
        return "<mutation detected='" + detected + "' status='" + status + "' numberOfTestsRun='"
                + (status.equals("NO_COVERAGE") ? 0 : 2) + "'><sourceFile>" + outer
                + ".java</sourceFile><mutatedClass>" + cls + "</mutatedClass><mutatedMethod>" + method
                + "</mutatedMethod><methodDescription>(Ljava/lang/Object;)I</methodDescription>"
                + "<lineNumber>" + line + "</lineNumber><mutator>" + M + mutator + "</mutator>"
                + "<indexes><index>" + index + "</index></indexes><blocks><block>1</block></blocks>"
                + (detected && status.equals("KILLED")
                        ? "<killingTest>vfiowb.T.[engine:junit-jupiter]/[class:vfiowb.T]/[method:t()]"
                                + "</killingTest>" : "<killingTest/>")
                + "<description>" + description + "</description></mutation>\n";
    }

    /** A whole report holding {@code mutations}. */
    static String report(String... mutations) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<mutations partial=\"false\">\n"
                + String.join("", mutations) + "</mutations>\n";
    }

    /**
     * The mlx5 open's five mutants at {@code stage}, lines {@code pad} lower; the one removing
     * the call to finishEnable ends with status {@code finish}.
     */
    static String mlx5Report(String stage, int pad, String finish) {
        String cls = "vfiowb." + stage + "." + MLX5;
        return report(
                mutation("KILLED", cls, OPEN, 6 + pad, "NegateConditionalsMutator", 4,
                        "negated conditional"),
                mutation("KILLED", cls, OPEN, 6 + pad, "RemoveConditionalMutator_EQUAL_ELSE", 4,
                        "removed conditional - replaced equality check with false"),
                mutation("KILLED", cls, OPEN, 11 + pad, "PrimitiveReturnsMutator", 20,
                        "replaced int return with 0"),
                mutation("SURVIVED", cls, OPEN, 9 + pad, "VoidMethodCallMutator", 10,
                        "removed call to Trace::note"),
                mutation(finish, cls, OPEN, 10 + pad, "VoidMethodCallMutator", 14,
                        "removed call to VfioPciCore::vfioPciCoreFinishEnable"));
    }

    static final String ENTRY = "vfiowb.stepN." + MLX5 + "\t" + OPEN + "\tVoidMethodCallMutator\t"
            + "vfioPciCoreFinishEnable(d);\tthe model's vfio_pci_core_finish_enable is empty\n";

    Path step1;
    Path step5;

    @BeforeEach
    void sources() throws IOException {
        write("step1-region-info-op/src/main/java/vfiowb/step1/drivers/mlx5/Mlx5VfioPci.java",
                mlx5Source("step1", 0));
        write("step5-cleanup/src/main/java/vfiowb/step5/drivers/mlx5/Mlx5VfioPci.java",
                mlx5Source("step5", 2));
        step1 = write("reports/step1.xml", mlx5Report("step1", 0, "SURVIVED"));
        step5 = write("reports/step5.xml", mlx5Report("step5", 2, "SURVIVED"));
    }

    Path write(String relative, String text) throws IOException {
        Path p = tmp.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    Path list(String... entries) throws IOException {
        return write("list.tsv", "# class\tmethod\tmutator\tline-contains\twhy\n\n"
                + String.join("", entries));
    }

    Cli.Result run(String... args) {
        return runIn(tmp, args);
    }

    static Cli.Result runIn(Path sources, String... args) {
        List<String> a = new ArrayList<>(List.of("mutation-score", "--sources", sources.toString()));
        a.addAll(Arrays.asList(args));
        return Cli.run(a.toArray(new String[0]));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> packages(Cli.Result r) {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        for (Object o : (List<Object>) r.json().get("packages")) {
            Map<String, Object> p = (Map<String, Object>) o;
            out.put((String) p.get("package"), p);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<String> errors(Cli.Result r) {
        return (List<String>) r.json().get("errors");
    }

    static long n(Map<String, Object> p, String key) {
        return ((Number) p.get(key)).longValue();
    }

    static String pct(Map<String, Object> p, String key) {
        return p.get(key).toString();
    }

    @Test
    void eachStatusCountsAsPitCountsIt() throws IOException {
        String c = "vfiowb.step5.core.Core";
        Path p = write("core.xml", report(
                mutation("KILLED", c, "a", 1, "NegateConditionalsMutator", 1, "negated conditional"),
                mutation("KILLED", c, "a", 2, "NegateConditionalsMutator", 2, "negated conditional"),
                mutation("TIMED_OUT", c, "a", 3, "NegateConditionalsMutator", 3, "negated conditional"),
                mutation("MEMORY_ERROR", c, "a", 4, "NegateConditionalsMutator", 4, "negated conditional"),
                mutation("RUN_ERROR", c, "a", 5, "NegateConditionalsMutator", 5, "negated conditional"),
                mutation("SURVIVED", c + "$Inner", "b", 6, "MathMutator", 6, "Replaced integer addition"),
                mutation("NO_COVERAGE", c, "c", 7, "MathMutator", 7, "Replaced integer addition"),
                mutation("NO_COVERAGE", c, "c", 8, "MathMutator", 8, "Replaced integer addition"),
                mutation("NON_VIABLE", c, "d", 9, "MathMutator", 9, "Replaced integer addition")));
        Cli.Result r = run(p.toString(), "--equivalents", "none", "--format", "json");
        assertEquals(1, r.code(), r.err());
        Map<String, Object> core = packages(r).get("vfiowb.step5.core");
        assertEquals(8, n(core, "generated"), "the non-viable mutant is not counted");
        assertEquals(5, n(core, "detected"), "killed, timed out, memory and run errors");
        assertEquals(1, n(core, "timedOut"));
        assertEquals(1, n(core, "survived"), "a nested class is in its outer class's package");
        assertEquals(2, n(core, "noCoverage"));
        assertEquals(0, n(core, "equivalent"));
        assertEquals("62.5", pct(core, "raw"));
        assertEquals("62.5", pct(core, "score"));
        assertEquals(Set.of("vfiowb.step5.core"), packages(r).keySet());
    }

    @Test
    void theScopeAndTheMinimumDecideTheExitCode() throws IOException {
        List<String> ms = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ms.add(mutation(i < 9 ? "KILLED" : "SURVIVED", "vfiowb.step5.core.Core", "a", i + 1,
                    "MathMutator", i, "x"));
            ms.add(mutation(i < 8 ? "KILLED" : "SURVIVED", "vfiowb.step5.drivers.gvt.Kvmgt", "b",
                    i + 1, "MathMutator", i, "x"));
        }
        ms.add(mutation("SURVIVED", "vfiowb.step5.Step5", "c", 1, "MathMutator", 1, "x"));
        Path p = write("scope.xml", report(ms.toArray(new String[0])));
        Cli.Result r = run(p.toString(), "--equivalents", "none");
        assertEquals(1, r.code(), r.out() + r.err());
        assertEquals("", r.err());
        String o = r.out();
        assertTrue(o.contains("\npackage                  generated detected   t/o survived  no cov"
                + "  equiv     raw   score\n"
                + "vfiowb.step5                     1        0     0        1       0      0   0.0 %"
                + "   0.0 %  (not in scope)\n"
                + "vfiowb.step5.core               10        9     0        1       0      0  90.0 %"
                + "  90.0 %\n"
                + "vfiowb.step5.drivers.gvt        10        8     0        2       0      0  80.0 %"
                + "  80.0 %  below 85 %\n"), o);
        assertTrue(o.endsWith("1 of 2 package(s) in scope below 85 %: vfiowb.step5.drivers.gvt\n"), o);
        assertEquals(0, run(p.toString(), "--equivalents", "none", "--min", "80").code(),
                "a score equal to the minimum reaches it");
        assertEquals(1, run(p.toString(), "--equivalents", "none", "--min", "80.1").code());
        Cli.Result core = run(p.toString(), "--equivalents", "none", "--scope", "vfiowb\\.step5\\.core");
        assertEquals(0, core.code(), core.out());
        assertTrue(core.out().endsWith("every package in scope (1) reaches 85 % over the "
                + "non-equivalent\n"), core.out());
        assertEquals(1, run(p.toString(), "--equivalents", "none", "--scope", "vfiowb\\.step5.*")
                .code(), "the stage package at 0 % counts once in scope");
        assertEquals(0, run(p.toString(), "--equivalents", "none", "--scope", "vfiowb\\.step5\\.cor")
                .code(), "the scope matches whole package names");
    }

    @Test
    void anEntryCoversTheSameLineInTwoStagesByItsText() throws IOException {
        Path l = list(ENTRY);
        Cli.Result raw = run(step1.toString(), step5.toString(), "--min", "75", "--equivalents", "none",
                "--format", "json");
        assertEquals(1, raw.code(), "60 % raw in each stage");
        Cli.Result r = run(step1.toString(), step5.toString(), "--min", "75", "--equivalents",
                l.toString(), "--format", "json");
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals(List.of(), errors(r));
        for (String stage : List.of("step1", "step5")) {
            Map<String, Object> p = packages(r).get("vfiowb." + stage + ".drivers.mlx5");
            assertEquals(5, n(p, "generated"));
            assertEquals(3, n(p, "detected"));
            assertEquals(2, n(p, "survived"));
            assertEquals(1, n(p, "equivalent"), stage + ": line 10 at stage 1, 12 at stage 5; "
                    + "Trace.note's survivor, the same mutator in the same method, stays");
            assertEquals("60.0", pct(p, "raw"));
            assertEquals("75.0", pct(p, "score"));
        }
        Cli.Result five = run(step1.toString(), step5.toString(), "--min", "75", "--equivalents",
                list(ENTRY.replace("stepN", "step5")).toString(), "--format", "json");
        assertEquals(1, five.code(), "an entry naming stage 5 covers only stage 5");
        assertEquals(List.of(), errors(five));
        assertEquals(0, n(packages(five).get("vfiowb.step1.drivers.mlx5"), "equivalent"));
        assertEquals(1, n(packages(five).get("vfiowb.step5.drivers.mlx5"), "equivalent"));
    }

    @Test
    void stageNMatchesEveryStageAndTheVariantsButNothingElse() {
        var e = new vfiowb.workbench.mutation.Equivalents.Entry("l", 1, "vfiowb.stepN.core.X", "m",
                "VoidMethodCallMutator", "x", "why");
        for (String yes : List.of("vfiowb.step1.core.X", "vfiowb.step5.core.X", "vfiowb.wcalias.core.X",
                "vfiowb.wccookie.core.X", "vfiowb.wcdmabuf.core.X")) {
            assertTrue(e.matchesClass(yes), yes);
        }
        for (String no : List.of("vfiowb.common.core.X", "vfiowb.step5.core.XY", "vfiowb.step5.core.X$1",
                "vfiowb.stepN.core.X", "vfiowb.step5.pci.X", "vfiowbXstep5.core.X")) {
            assertFalse(e.matchesClass(no), no);
        }
    }

    @Test
    void aStageRangeMatchesItsStagesAndTheVariantsOnlyWhenItReachesFive() {
        var e = new vfiowb.workbench.mutation.Equivalents.Entry("l", 1, "vfiowb.step4-5.core.X",
                "m", "VoidMethodCallMutator", "x", "why");
        for (String yes : List.of("vfiowb.step4.core.X", "vfiowb.step5.core.X",
                "vfiowb.wcalias.core.X", "vfiowb.wcdmabuf.core.X")) {
            assertTrue(e.matchesClass(yes), yes);
        }
        for (String no : List.of("vfiowb.step3.core.X", "vfiowb.step1.core.X", "vfiowb.step6.core.X",
                "vfiowb.step4-5.core.X")) {
            assertFalse(e.matchesClass(no), no);
        }
        var early = new vfiowb.workbench.mutation.Equivalents.Entry("l", 1, "vfiowb.step1-3.core.X",
                "m", "VoidMethodCallMutator", "x", "why");
        assertTrue(early.matchesClass("vfiowb.step2.core.X"));
        assertFalse(early.matchesClass("vfiowb.wccookie.core.X"), "the variants sit on stage 5");
        assertFalse(early.matchesClass("vfiowb.step4.core.X"));
        assertEquals(1, vfiowb.workbench.mutation.Equivalents.parse("l",
                List.of("vfiowb.step4-5.core.X\tm\tVoidMethodCallMutator\tx\twhy")).size());
        assertThrows(UserError.class, () -> vfiowb.workbench.mutation.Equivalents.parse("l",
                List.of("vfiowb.step5-4.core.X\tm\tVoidMethodCallMutator\tx\twhy")));
    }

    @Test
    void anEntryOnAMutantATestKillsIsAnError() throws IOException {
        Path killed = write("reports/step5k.xml", mlx5Report("step5", 2, "KILLED"));
        Path l = list(ENTRY);
        Cli.Result r = run(step1.toString(), killed.toString(), "--min", "0", "--equivalents",
                l.toString(), "--format", "json");
        assertEquals(1, r.code(), r.out());
        assertEquals(List.of(l + ":3: lists as equivalent a mutant a test detects: vfiowb.step5."
                + MLX5 + "." + OPEN + " line 12 VoidMethodCallMutator (KILLED)"), errors(r));
        assertEquals(0, n(packages(r).get("vfiowb.step1.drivers.mlx5"), "equivalent"),
                "an entry in error covers nothing, not even stage 1's survivor");
        Cli.Result text = run(step1.toString(), killed.toString(), "--min", "0", "--equivalents",
                l.toString());
        assertEquals(1, text.code());
        assertTrue(text.out().contains("equivalents list: 1 error(s)\n  " + l + ":3: lists as "
                + "equivalent"), text.out());
    }

    @Test
    void aStaleEntryIsAnErrorAndOneForAClassNotInTheReportsIsPassedOver() throws IOException {
        Path l = list(ENTRY,
                "vfiowb.stepN." + MLX5 + "\t" + OPEN + "\tVoidMethodCallMutator\tvfioPciCoreFinishEnable"
                        + "(vdev);\tan old text\n",
                "vfiowb.stepN.drivers.gvt.Kvmgt\tgttEntry\tNegateConditionalsMutator\tindex == 0\tnot "
                        + "in these reports\n");
        Cli.Result r = run(step1.toString(), "--min", "75", "--equivalents", l.toString(),
                "--format", "json");
        assertEquals(1, r.code(), r.out());
        assertEquals(List.of(l + ":4: stale: matches no undetected mutant of vfiowb.stepN." + MLX5
                + ", whose class is in the reports"), errors(r));
        assertEquals(1, n(packages(r).get("vfiowb.step1.drivers.mlx5"), "equivalent"),
                "the valid entry still counts");
        Files.delete(tmp.resolve("step1-region-info-op/src/main/java/vfiowb/step1/drivers/mlx5/"
                + "Mlx5VfioPci.java"));
        Cli.Result noSource = run(step1.toString(), "--equivalents", list(ENTRY).toString(),
                "--format", "json");
        assertEquals(1, noSource.code());
        assertTrue(errors(noSource).get(0).contains("stale") && errors(noSource).get(0).contains(
                "the source of 2 mutant(s) with its method and mutator was not found under " + tmp),
                errors(noSource).toString());
    }

    @Test
    void aTruncatedReportIsReadUpToItsLastCompleteMutation() throws IOException {
        String full = Files.readString(step5);
        int third = full.indexOf("<mutation ", full.indexOf("<mutation ", full.indexOf("<mutation ")
                + 1) + 1);
        Path cut = write("reports/cut.xml", full.substring(0, third + 120));
        Cli.Result r = run(cut.toString(), step1.toString(), "--equivalents", "none", "--format",
                "json");
        assertEquals(1, r.code(), r.err());
        assertEquals(List.of(Map.of("path", cut.toString(), "truncated", true),
                Map.of("path", step1.toString(), "truncated", false)), r.json().get("files"));
        assertEquals(2, n(packages(r).get("vfiowb.step5.drivers.mlx5"), "generated"));
        assertEquals(5, n(packages(r).get("vfiowb.step1.drivers.mlx5"), "generated"));
        Cli.Result text = run(cut.toString(), "--equivalents", "none");
        assertTrue(text.out().contains(cut + "  truncated: read up to its last complete mutation "
                + "(2 mutants)\n"), text.out());
        Cli.Result md = run(cut.toString(), "--equivalents", "none", "--format", "markdown");
        assertTrue(md.out().contains("Truncated reports, read up to their last complete mutation "
                + "(partial): `" + cut + "`."), md.out());
    }

    @Test
    void survivorsAreListedWithTheirLineButNotTheEquivalentOnes() throws IOException {
        Cli.Result r = run(step1.toString(), step5.toString(), "--equivalents", list(ENTRY).toString(),
                "--survivors", "vfiowb\\.step5\\..*");
        String o = r.out();
        assertTrue(o.contains("survivors not listed as equivalent in packages matching "
                + "vfiowb\\.step5\\..*: 1\n  vfiowb.step5." + MLX5 + "." + OPEN + " line 11  "
                + "VoidMethodCallMutator  SURVIVED: removed call to Trace::note\n      Trace.note(d);\n"), o);
        assertFalse(o.contains("vfioPciCoreFinishEnable(d)"), o);
        assertFalse(o.contains("vfiowb.step1." + MLX5 + "." + OPEN + " line"), o);
        Cli.Result j = run(step5.toString(), "--equivalents", "none", "--survivors", ".*", "--format",
                "json");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> s = (List<Map<String, Object>>) j.json().get("survivors");
        assertEquals(2, s.size());
        assertEquals(Map.of("class", "vfiowb.step5." + MLX5, "method", OPEN, "line", 12L,
                "mutator", "VoidMethodCallMutator", "status", "SURVIVED", "description",
                "removed call to VfioPciCore::vfioPciCoreFinishEnable", "source",
                "        VfioPciCore.vfioPciCoreFinishEnable(d);"), s.get(1));
        Cli.Result none = runIn(tmp.resolve("reports"), step5.toString(), "--equivalents", "none",
                "--survivors", ".*");
        assertTrue(none.out().contains("removed call to Trace::note\n      (source not found)\n"),
                none.out());
    }

    @Test
    void theMarkdownIsATableWithTheInScopePackagesAtTheMinimumInBold() throws IOException {
        Path other = write("reports/other.xml", report(
                mutation("SURVIVED", "vfiowb.step5.Step5", "c", 1, "MathMutator", 1, "x"),
                mutation("KILLED", "vfiowb.step5.core.Core", "a", 1, "MathMutator", 1, "x")));
        Cli.Result r = run(step5.toString(), other.toString(), "--equivalents", list(ENTRY).toString(),
                "--format", "markdown", "--min", "75");
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals("| package | generated | detected | timed out | survived | no coverage "
                + "| equivalent | raw | score |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
                + "| `vfiowb.step5` | 1 | 0 | 0 | 1 | 0 | 0 | 0.0 % | 0.0 % |\n"
                + "| **`vfiowb.step5.core`** | 1 | 1 | 0 | 0 | 0 | 0 | 100.0 % | **100.0 %** |\n"
                + "| **`vfiowb.step5.drivers.mlx5`** | 5 | 3 | 0 | 2 | 0 | 1 | 60.0 % | **75.0 %** |\n"
                + "\nScore = detected / (generated - equivalent); packages in the scope (`"
                + vfiowb.workbench.mutation.MutationScore.DEFAULT_SCOPE + "`) at or above 75 % in "
                + "bold. Equivalents: `" + tmp.resolve("list.tsv") + "`, 1 mutants.\n", r.out());
        Cli.Result below = run(step5.toString(), "--equivalents", "none", "--format", "markdown");
        assertTrue(below.out().contains("| `vfiowb.step5.drivers.mlx5` | 5 | 3 | 0 | 2 | 0 | 0 | "
                + "60.0 % | 60.0 % |\n"), below.out());
        assertEquals(1, below.code());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theJsonHasTheDocumentedFields() throws IOException {
        Cli.Result r = run(step5.toString(), "--equivalents", list(ENTRY).toString(), "--format", "json");
        assertEquals(1, r.code());
        Map<String, Object> j = r.json();
        assertEquals(List.of("files", "min", "scope", "equivalents", "packages", "errors"),
                new ArrayList<>(j.keySet()));
        assertEquals(85L, j.get("min"));
        assertEquals(vfiowb.workbench.mutation.MutationScore.DEFAULT_SCOPE, j.get("scope"));
        assertEquals(tmp.resolve("list.tsv").toString(), j.get("equivalents"));
        Map<String, Object> p = (Map<String, Object>) ((List<Object>) j.get("packages")).get(0);
        assertEquals(List.of("package", "generated", "detected", "timedOut", "survived", "noCoverage",
                "equivalent", "raw", "score", "inScope", "belowMin"), new ArrayList<>(p.keySet()));
        assertEquals(Boolean.TRUE, p.get("inScope"));
        assertEquals(Boolean.TRUE, p.get("belowMin"), "75 % < 85 %");
        assertNull(run(step5.toString(), "--equivalents", "none", "--format", "json").json()
                .get("equivalents"));
        Cli.Result help = Cli.run("mutation-score", "--help");
        for (String key : List.of("files", "truncated", "packages", "timedOut", "noCoverage",
                "belowMin", "errors", "survivors")) {
            assertTrue(help.out().contains("\"" + key + "\""), key);
        }
    }

    @Test
    void theDefaultListIsDocsUnderTheSources() throws IOException {
        write("docs/mutation-equivalents.tsv", "# header only\n" + ENTRY);
        Cli.Result r = run(step5.toString(), "--min", "75");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("mutation score of 1 report(s), 5 mutants counted; equivalents: "
                + tmp.resolve("docs/mutation-equivalents.tsv") + " (1 entries, 1 mutants)\n"), r.out());
    }

    @Test
    void everyCutOfAReportReadsExactlyItsCompleteMutations() throws IOException {
        String c = "vfiowb.step5.core.Core";
        String full = report(
                mutation("KILLED", c, "a", 1, "NegateConditionalsMutator", 1, "négation &amp; co"),
                mutation("SURVIVED", c, "b", 2, "MathMutator", 2, "Replaced integer addition"),
                mutation("NO_COVERAGE", c, "c", 3, "MathMutator", 3, "¬ covered"));
        byte[] bytes = full.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String root = "<mutations partial=\"false\">";
        int rootEnd = full.indexOf(root) + root.length();
        Path p = tmp.resolve("cut.xml");
        for (int len = rootEnd; len <= bytes.length; len++) {
            byte[] prefix = Arrays.copyOf(bytes, len);
            Files.write(p, prefix);
            String text = new String(prefix, java.nio.charset.StandardCharsets.UTF_8);
            int complete = text.split("</mutation>", -1).length - 1;
            vfiowb.workbench.mutation.PitReport.Report r = vfiowb.workbench.mutation.PitReport.read(p);
            assertEquals(complete, r.mutants().size(), "cut at " + len);
            assertEquals(!text.strip().endsWith("</mutations>"), r.truncated(), "cut at " + len);
        }
        assertEquals("négation & co", vfiowb.workbench.mutation.PitReport.read(p).mutants().get(0)
                .description());
    }

    @Test
    void theRepositorysListParses() throws IOException {
        Path real = RunCommandTest.scenarios().toAbsolutePath().normalize().getParent()
                .resolve("docs/mutation-equivalents.tsv");
        assertTrue(Files.readString(real).startsWith("# Equivalent mutants"), real.toString());
        for (vfiowb.workbench.mutation.Equivalents.Entry e
                : vfiowb.workbench.mutation.Equivalents.read(real)) {
            assertFalse(e.why().isBlank(), e.where());
        }
    }

    /** A user error: exit 2, one line naming the problem, nothing on stdout, no stack trace. */
    static void userError(Cli.Result r, String expected) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.oneErrorLine(), r.err());
        assertTrue(r.err().startsWith("vfio-workbench mutation-score: "), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aMalformedListLineIsAUserErrorNamingItsFileAndLine() throws IOException {
        userError(run(step5.toString(), "--equivalents", list(ENTRY, "vfiowb.stepN.core.X\tm\t"
                + "VoidMethodCallMutator\tx\n").toString()), "list.tsv:4: expected 5 TAB-separated "
                + "fields (class, method, mutator, line-contains, why), found 4");
        userError(run(step5.toString(), "--equivalents", list("vfiowb.stepN.core.X\tm\t"
                + "VoidMethodCallMutator\tx\t \n").toString()), "list.tsv:3: the why field is empty");
        userError(run(step5.toString(), "--equivalents", list("vfiowb.stepN.core.X\tm\t"
                + M + "VoidMethodCallMutator\tx\twhy\n").toString()), "list.tsv:3: mutator");
        userError(run(step5.toString(), "--equivalents", list("a line of prose\tm\t"
                + "VoidMethodCallMutator\tx\twhy\n").toString()), "list.tsv:3: class 'a line of prose'");
        userError(run(step5.toString(), "--equivalents", list(ENTRY, ENTRY).toString()),
                "list.tsv:4: the same class, method, mutator and line text as line 3");
        userError(run(step5.toString(), "--equivalents", tmp.resolve("nope.tsv").toString()),
                "nope.tsv: no such file");
        userError(run(step5.toString()), "docs/mutation-equivalents.tsv: no such file "
                + "(--equivalents none counts raw scores only)");
    }

    @Test
    void aMissingOrForeignReportAndBadOptionsAreUserErrors() throws IOException {
        userError(run(tmp.resolve("none.xml").toString(), "--equivalents", "none"),
                tmp.resolve("none.xml") + ": no such file");
        userError(run(tmp.toString(), "--equivalents", "none"), "a directory, not a PIT mutations.xml");
        userError(run(write("a.html", "<html><body/></html>\n").toString(), "--equivalents", "none"),
                "a.html: not a PIT mutations.xml: its root element is <html>, not <mutations>");
        userError(run(write("e.xml", "").toString(), "--equivalents", "none"),
                "e.xml: not a PIT mutations.xml");
        userError(run(write("t.txt", "MutationScore 85 %\n").toString(), "--equivalents", "none"),
                "t.txt: not a PIT mutations.xml");
        String full = Files.readString(step5);
        userError(run(write("bad.xml", full.replace("<lineNumber>8</lineNumber>", "<lineNumber>8"))
                .toString(), "--equivalents", "none"), "bad.xml: malformed XML: line 3");
        userError(run(write("st.xml", full.replace("'KILLED'", "'STARTED'")).toString(),
                "--equivalents", "none"), "st.xml:3: mutation status 'STARTED' is none of those counted");
        userError(run(write("nl.xml", full.replace("<lineNumber>8</lineNumber>", "")).toString(),
                "--equivalents", "none"), "nl.xml: not a PIT mutations.xml: the mutation at line 3 "
                + "has no <lineNumber>");
        userError(run(step5.toString(), step5.toString(), "--equivalents", "none"),
                "is also in " + step5 + "; give each module's report once");
        userError(run(step5.toString(), "--equivalents", "none", "--scope", "(core"),
                "--scope: not a regular expression");
        userError(run(step5.toString(), "--equivalents", "none", "--survivors", "[a-"),
                "--survivors: not a regular expression");
        for (String bad : List.of("abc", "101", "-1", "")) {
            userError(run(step5.toString(), "--equivalents", "none", "--min", bad),
                    "--min takes a percentage from 0 to 100, not '" + bad + "'");
        }
        userError(runIn(step5, step5.toString(), "--equivalents", "none"),
                "--sources " + step5 + ": not a directory");
        userError(Cli.run("mutation-score"), "Missing required parameter");
    }
}
