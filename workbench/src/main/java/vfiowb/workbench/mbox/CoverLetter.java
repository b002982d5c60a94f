package vfiowb.workbench.mbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import vfiowb.common.rules.RuleCatalogue;
import vfiowb.common.rules.StageRule;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.workbench.conform.Declared;
import vfiowb.workbench.json.Json;
import vfiowb.workbench.mbox.Letter.Render;
import vfiowb.workbench.series.Series;

/**
 * The cover letter ({@code [PATCH 0/T]}) of the stages an mbox carries: what the series does,
 * the problem, the design, what each stage's rules prove, what userspace sees change, the
 * kernel bugs the series removes, and the objections raised upstream, each answered by a number
 * or a transcript the model computes now. It is written through a {@link Letter}, so it cannot
 * hold a typed number: every number is a fact read from a workbench command's output, and every
 * transcript an excerpt of one; the letter names each command.
 *
 * <p>{@link #SECTIONS} is the letter's outline, in order. Measured tables from other commands
 * plug into it as further {@link Section}s: {@link #MEASURED} is where the capacity tables of
 * issue 13 ({@code capacity}, {@code Capacity.compute}) go.
 */
public final class CoverLetter {
    /** What one section writes about the stages {@code scope} covers. */
    @FunctionalInterface
    public interface Section {
        void write(Letter letter, Scope scope);
    }

    /**
     * The stages an mbox carries: its pairs of adjacent stage modules in order, and the stages on
     * the class path (whose commands print the numbers).
     */
    public record Scope(List<Series.Pair> pairs, List<Stage> stages) {
        public Scope {
            pairs = List.copyOf(pairs);
            stages = List.copyOf(stages);
            if (pairs.isEmpty()) {
                throw new IllegalArgumentException("no stage pair");
            }
        }

        /** The stage the mbox applies to. */
        public int first() {
            return pairs.get(0).from().number();
        }

        /** The stage the mbox ends at. */
        public int last() {
            return pairs.get(pairs.size() - 1).to().number();
        }

        /** The stages whose patches the mbox carries, in order. */
        public List<Integer> later() {
            return pairs.stream().map(p -> p.to().number()).toList();
        }

        /** Stage {@code n} as the class path has it. */
        public Stage stage(int n) {
            return stages.stream().filter(s -> s.number() == n).findFirst().orElseThrow(() ->
                    new vfiowb.workbench.UserError("stage " + n + " has sources in the repository but "
                            + "is not on the class path; rebuild the workbench (mvn -B package)"));
        }

        /** Whether stage {@code n} has the per-file cookie tree (its policy has the tree's knobs). */
        public boolean hasTree(int n) {
            return stage(n).policyKnobs().contains("layout");
        }

        /** The last stage without the cookie tree: the kernel as it is before the cookies. */
        public int baseline() {
            int b = stages.get(0).number();
            for (Stage s : stages) {
                if (!hasTree(s.number())) {
                    b = s.number();
                }
            }
            return b;
        }

        /** The first stage with the cookie tree, or -1. */
        public int firstTree() {
            return stages.stream().filter(s -> hasTree(s.number())).mapToInt(Stage::number).findFirst()
                    .orElse(-1);
        }

        /** The repository root, where scenario paths are relative to. */
        Path root(Letter l) {
            return l.evidence().root();
        }
    }

    /**
     * Measured tables of the design choices, one section each, written after the design: the
     * capacity tables ({@code capacity}: reach by read/write and mmap, pgoff spent and spent on
     * alignment, page-table entries against the minimum, per stage and policy). Each writes its
     * numbers as {@link Letter.Fact}s of the command that prints them.
     */
    public static final List<Section> MEASURED = List.of(CoverLetter::capacity);

    /** The letter's sections, in order. */
    public static final List<Section> SECTIONS = sections();

    private static List<Section> sections() {
        List<Section> s = new ArrayList<>();
        s.add(CoverLetter::intro);
        s.add(CoverLetter::problem);
        s.add(CoverLetter::design);
        s.addAll(MEASURED);
        s.add(CoverLetter::rules);
        s.add(CoverLetter::userspace);
        s.add(CoverLetter::kernelBugs);
        s.add(CoverLetter::objections);
        return List.copyOf(s);
    }

    /** The heading of the footnotes. */
    public static final String FOOTNOTES = "Where the numbers come from";

    private CoverLetter() {}

    /** The letter for {@code scope}, its numbers from {@code evidence}. */
    public static Letter write(Scope scope, Evidence evidence) {
        Letter l = new Letter(evidence);
        for (Section s : SECTIONS) {
            s.write(l, scope);
        }
        return l.footnotes(FOOTNOTES);
    }

    // ---------------------------------------------------------------- commands

    static final List<String> STAGES_JSON = List.of("stages", "--format", "json");
    static final List<String> STAGES_TEXT = List.of("stages");

    private static List<String> args(String... a) {
        return List.of(a);
    }

    /** {@code run --stage N [OPTIONS] --format F SCRIPT}. */
    private static List<String> run(int stage, String format, String script, String... options) {
        List<String> a = new ArrayList<>(List.of("run", "--stage", String.valueOf(stage)));
        a.addAll(List.of(options));
        a.addAll(List.of("--format", format, script));
        return a;
    }

    /** A stage's number as {@code stages --format json} prints it, found by its module. */
    private static Letter.Fact stageNumber(Scope s, int n) {
        String module = s.stage(n).module();
        return new Letter.Fact(STAGES_JSON, "the number of " + module, r -> {
            for (Object o : list(at(r.json(), "stages"))) {
                if (module.equals(at(o, "module"))) {
                    return Json.toLong(at(o, "number"));
                }
            }
            throw new IllegalStateException("stages prints no " + module);
        }, Render.COUNT);
    }

    // ---------------------------------------------------------------- sections

    private static void intro(Letter l, Scope s) {
        StringBuilder intro = new StringBuilder();
        intro.append("This series is part of the plan from the kvm list thread \"Revisiting WC mmap"
                + " Support for VFIO PCI\": give VFIO_DEVICE_GET_REGION_INFO its own op and convert"
                + " every driver to it; then add a per-file maple tree of mmap cookies and an"
                + " mmap_obj op, convert every driver to the cookie ops so that pgoff arithmetic"
                + " leaves the drivers, and remove the old paths. ");
        Letter.Para carries = l.para().text(intro.toString());
        if (s.later().size() == 1) {
            carries.text("This posting carries stage").fact(stageNumber(s, s.last()));
        } else {
            carries.text("This posting carries stages").fact(stageNumber(s, s.later().get(0))).text(" to")
                    .fact(stageNumber(s, s.last()));
        }
        carries.text(" of that plan, applied to stage").fact(stageNumber(s, s.first())).text(":").end();
        List<String> lines = new ArrayList<>();
        for (String line : l.evidence().run(STAGES_TEXT).out().split("\n")) {
            for (int n : s.later()) {
                if (line.startsWith("stage " + n + "  ")) {
                    lines.add(line);
                }
            }
        }
        l.excerpt(STAGES_TEXT, lines);
        l.para().text("Each stage is a module of the VFIO mmap series workbench holding the whole"
                + " VFIO core and every modelled driver as they stand after it; a stage's patches are"
                + " the difference between adjacent modules, one per core, vfio-pci-core, driver or"
                + " test change, with the stage number normalised away. The model's files stand"
                + " where kernel files would, and each diffstat lists beside them the kernel files"
                + " and functions the changed code models (its @Models). Every number in this"
                + " letter is printed by the workbench command its paragraph cites in brackets, and"
                + " every block that starts with $ is what that command printed, cut to the lines"
                + " shown.").end();
    }

    private static void problem(Letter l, Scope s) {
        int b = s.baseline();
        List<String> walk = args("walk", "--stage", String.valueOf(b), "--device", "nic-vf", "--format", "json");
        l.heading("The problem");
        l.para().text("Up to stage").fact(stageNumber(s, b)).text(" (what v6.19 has), vfio-pci puts"
                + " every region at a fixed file offset, index <<").fact(slotShift(walk))
                .text(" (VFIO_PCI_OFFSET_SHIFT): each region gets").fact(slotSize(walk))
                .text(" of file offset whatever its size, drivers decode the region index from the"
                        + " offset of every mmap, read, write and ioeventfd, and a region cannot be"
                        + " larger than its slot. The catalogue's cxl-2t has a BAR2 of")
                .fact(regionSize(run(b, "json", TWO_TIB, new String[0]), 2))
                .text("; its second half decodes as the next region:").end();
        l.excerpt(run(b, "text", TWO_TIB), allLines(l, run(b, "text", TWO_TIB)));
        l.para().text("On i386 mmap2 carries a page offset, and file_mmap_ok refuses a device-file"
                + " mapping whose end passes the limit of an unsigned long offset (no"
                + " FOP_UNSIGNED_OFFSET), so with index << slots only BAR0 can be mapped; pread and"
                + " pwrite take a loff_t and still reach every region:").end();
        List<String> eoverflow = run(b, "text", EOVERFLOW, "--arch", "i386");
        l.excerpt(eoverflow, allLines(l, eoverflow));
        List<String> probe = run(b, "text", QEMU_PROBE);
        l.para().text("Write combining needs a second mapping of a BAR with another page"
                + " protection. With one fixed slot per region index there is no offset left to name"
                + " it, and every BAR mapping vfio-pci makes is uncached:").end();
        l.excerpt(probe, lines(l, probe, x -> x.contains(" pagetable ") || x.contains("pt.pgprot")));
        l.para().text("Cookies leave room for a second cookie of the same region with its own"
                + " pgprot, whichever write-combining uAPI is chosen; this series makes that room"
                + " and changes no uAPI.").end();
    }

    private static void design(Letter l, Scope s) {
        int t = s.firstTree();
        if (t < 0 || t > s.last()) {
            return;
        }
        l.heading("Design");
        l.para().text("The core owns the offsets from stage").fact(stageNumber(s, t)).text(" on:"
                + " struct vfio_device_file gains a maple tree (mmap_mt) of struct vfio_mmap cookies;"
                + " a get_region_info_obj op hands the core the driver's object for a region and the"
                + " core places its pgoff range; mmap, read, write and ioeventfd resolve the offset"
                + " through the tree and call the driver's *_obj op with the object and the offset"
                + " inside it; revocation zaps every range any file used. Drivers not converted"
                + " keep the old paths until they are.").end();
        l.para().text("Each open question of the thread is a boot policy of the model (--policy on"
                + " walk, run, conform and serve), so that each answer can be measured against the"
                + " others. The series' defaults are " + SeriesPolicy.DEFAULT + ": cookies made at"
                + " open, the index << slots kept where a region fits and larger regions placed"
                + " above every slot, each range aligned to min(PUD_SIZE, size) by an aligned gap"
                + " search, the tree keyed in pages, and mmap(NULL) placed after the pgoff's"
                + " alignment. docs/stage3.md argues each default; the objections below carry the"
                + " numbers reviewers asked for.").end();
    }

    /**
     * What each policy costs, from {@code capacity}: the 2 TiB CXL BAR on x86_64 before the
     * cookies and at the posting's last stage, and the reach of an i386 process under the
     * default and the packed layout.
     */
    private static void capacity(Letter l, Scope s) {
        int a = s.last();
        int b = s.baseline();
        if (!s.hasTree(a)) {
            return;
        }
        List<String> before = args("capacity", "--stage", String.valueOf(b), "--arch", "x86_64",
                "--device", "cxl-2t");
        List<String> after = args("capacity", "--stage", String.valueOf(a), "--arch", "x86_64",
                "--device", "cxl-2t");
        List<String> beforeJson = json(before);
        List<String> afterJson = json(after);
        l.heading("What each policy costs");
        l.para().text("capacity boots a stage under each policy, lets a QEMU-style client probe every"
                + " region of a device file, and measures how far pread/pwrite and mmap reach into each"
                + " region, the pgoff space the file's layout spends (in brackets: the part alignment"
                + " costs, against the same policy with align=none), and the page-table entries that"
                + " map each mappable region once every page is touched, against the minimum: the size"
                + " in the largest entries the arch can install. Policies a stage cannot tell apart"
                + " give one row. The CXL device's BAR2 on x86_64, before the cookies and at the end"
                + " of this posting:").end();
        l.excerpt(before, allLines(l, before));
        l.excerpt(after, allLines(l, after));
        l.para().text("At stage").fact(stageNumber(s, b)).text(" pread/pwrite reach")
                .fact(capacityFact(beforeJson, "default", "cxl-2t", "BAR2", "rw reach",
                        r -> Json.toLong(at(r, "rw", "bytes")), Render.SIZE))
                .text(" of BAR2's").fact(capacityFact(beforeJson, "default", "cxl-2t", "BAR2", "size",
                        r -> Json.toLong(at(r, "size")), Render.SIZE))
                .text(", and an mmap can start only in its first").fact(capacityFact(beforeJson, "default",
                        "cxl-2t", "BAR2", "mmap reach", r -> Json.toLong(at(r, "mmap", "bytes")), Render.SIZE))
                .text(": the offsets of the rest decode as the next region. One mapping of the whole BAR"
                        + " from its start still passes vfio_pci_core_mmap's size check, and that is what"
                        + " the page-table columns count. At stage").fact(stageNumber(s, a)).text(" under the default policy both reach")
                .fact(capacityFact(afterJson, "default", "cxl-2t", "BAR2", "mmap reach",
                        r -> Json.toLong(at(r, "mmap", "bytes")), Render.SIZE))
                .text(", and touching every page takes").fact(capacityFact(afterJson, "default", "cxl-2t",
                        "BAR2", "PUD entries", r -> Json.toLong(at(r, "pageTables", "pud")), Render.COUNT))
                .text(" PUD entries, the minimum being").fact(capacityFact(afterJson, "default", "cxl-2t",
                        "BAR2", "minimum PUD entries", r -> Json.toLong(at(r, "pageTables", "minimum", "pud")),
                        Render.COUNT))
                .text(". Without the cookie's alignment (layout=packed,align=none) the same mapping takes")
                .fact(capacityFact(afterJson, "layout=packed,align=none", "cxl-2t", "BAR2", "PTEs",
                        r -> Json.toLong(at(r, "pageTables", "pte")), Render.COUNT))
                .text(" PTEs. The price is pgoff space, which costs nothing but its width: the default"
                        + " layout keeps every fixed slot and places BAR2 above them, spending")
                .fact(capacityFact(afterJson, "default", "cxl-2t", null, "pgoff spent",
                        r -> Json.toLong(at(r, "spent")), Render.SIZE))
                .text(" of this file's pgoff; layout=packed spends").fact(capacityFact(afterJson,
                        "layout=packed", "cxl-2t", null, "pgoff spent", r -> Json.toLong(at(r, "spent")),
                        Render.SIZE))
                .text(", of which alignment costs").fact(capacityFact(afterJson, "layout=packed", "cxl-2t",
                        null, "pgoff spent on alignment", r -> Json.toLong(at(r, "alignment")), Render.SIZE))
                .text(".").end();

        List<String> i386 = args("capacity", "--stage", String.valueOf(a), "--arch", "i386",
                "--device", "nic-vf");
        List<String> i386Json = json(i386);
        l.para().text("An i386 process maps a device file only below the end of an unsigned long"
                + " file offset. nic-vf at stage").fact(stageNumber(s, a)).text(", every policy:").end();
        l.excerpt(i386, allLines(l, i386));
        l.para().text("Under the default layout mmap reaches").fact(capacityFact(i386Json, "default",
                "nic-vf", null, "BARs wholly mappable", r -> mappableBars(r), Render.COUNT))
                .text(" of nic-vf's").fact(capacityFact(i386Json, "default", "nic-vf", null, "BARs",
                        r -> bars(r), Render.COUNT))
                .text(" BARs, as today; under layout=packed").fact(capacityFact(i386Json, "layout=packed",
                        "nic-vf", null, "BARs wholly mappable", r -> mappableBars(r), Render.COUNT))
                .text(", in").fact(capacityFact(i386Json, "layout=packed", "nic-vf", null, "pgoff spent",
                        r -> Json.toLong(at(r, "spent")), Render.SIZE))
                .text(" of pgoff. The default keeps the old offsets for userspace that hard-codes them"
                        + " (see the objections below); the packed layout is the one that gives an"
                        + " i386 process every BAR.").end();
    }

    private static List<String> json(List<String> textArgs) {
        List<String> a = new ArrayList<>(textArgs);
        a.addAll(List.of("--format", "json"));
        return a;
    }

    /**
     * A number of {@code capacity --format json}: of the row of {@code policy} and
     * {@code device}, from the region named {@code region} or (null) from the row itself.
     */
    private static Letter.Fact capacityFact(List<String> args, String policy, String device, String region,
            String what, java.util.function.ToLongFunction<Object> extract, Render render) {
        String label = what + " of " + device + (region == null ? "" : " " + region) + " under " + policy;
        return new Letter.Fact(args, label, r -> {
            for (Object row : list(at(r.json(), "rows"))) {
                if (!policy.equals(at(row, "policy")) || !device.equals(at(row, "device"))) {
                    continue;
                }
                if (region == null) {
                    return extract.applyAsLong(row);
                }
                for (Object g : list(at(row, "regions"))) {
                    if (region.equals(at(g, "name"))) {
                        return extract.applyAsLong(g);
                    }
                }
            }
            throw new IllegalStateException(Evidence.Run.display(args) + " prints no " + label);
        }, render);
    }

    private static long bars(Object row) {
        return list(at(row, "regions")).stream().filter(g -> String.valueOf(at(g, "name")).startsWith("BAR"))
                .count();
    }

    private static long mappableBars(Object row) {
        return list(at(row, "regions")).stream().filter(g -> String.valueOf(at(g, "name")).startsWith("BAR")
                && "all".equals(at(g, "mmap", "kind"))).count();
    }

    private static void rules(Letter l, Scope s) {
        l.heading("What each stage proves");
        l.para().text("Architecture rules (ArchUnit, and an ASM scan where a rule must see"
                + " instructions) state what each stage promises; every rule of a stage holds on it,"
                + " and evaluated on the classes of the stage before it names what the stage"
                + " removes.").end();
        for (Series.Pair p : s.pairs()) {
            int to = p.to().number();
            int from = p.from().number();
            List<StageRule> rules = RuleCatalogue.introducedAt(to);
            if (rules.isEmpty()) {
                l.para().text("Stage").fact(stageNumber(s, to)).text(" introduces no rule.").end();
                continue;
            }
            List<String> against = args("rules", "--stage", String.valueOf(to), "--against",
                    String.valueOf(from), "--format", "markdown");
            List<String> self = args("rules", "--stage", String.valueOf(to), "--format", "markdown");
            List<String> againstJson = args("rules", "--stage", String.valueOf(to), "--against",
                    String.valueOf(from), "--format", "json");
            l.para().text("Stage").fact(stageNumber(s, to)).text(" introduces").fact(new Letter.Fact(
                    againstJson, "rules introduced", r -> list(at(r.json(), "evaluations", 0, "rules"))
                            .stream().filter(x -> Json.toLong(at(x, "introducedAt")) == to).count(),
                    Render.COUNT)).text(rules.size() == 1 ? " rule. On stage" : " rules. On stage")
                    .fact(stageNumber(s, from)).text(" and on stage").fact(stageNumber(s, to))
                    .text(":").end();
            l.excerpt(against, ruleLines(l, against, rules));
            l.excerpt(self, ruleLines(l, self, rules));
            for (StageRule r : rules) {
                List<String> units = stringList(ruleJson(l, againstJson, r.id()), "units");
                if (!units.isEmpty()) {
                    l.item().text(r.id() + " names, at stage").fact(stageNumber(s, from))
                            .text(": " + String.join(", ", units) + ".").cite(againstJson).end();
                } else {
                    l.item().text(r.id() + " holds at stage").fact(stageNumber(s, from))
                            .text(" as well: the stage before has nothing it could catch; the rule"
                                    + " guards what the stage adds.").cite(againstJson).end();
                }
            }
        }
    }

    private static void userspace(Letter l, Scope s) {
        List<String> conform = args("conform", "--stage", "all", "--format", "json");
        List<String> declaredText = args("conform", "--declared");
        Set<Integer> later = new LinkedHashSet<>(s.later());
        l.heading("What userspace sees change");
        Evidence.Run conformRun = l.evidence().run(conform);
        List<Declared.Difference> declarations = Declared.all().stream()
                .filter(d -> later.contains(d.to()) && d.from() == d.to() - 1).toList();
        Letter.Para p = l.para().text("The conformance suite (the QEMU and DPDK clients, a device profile"
                + " and every scenario) runs on").fact(new Letter.Fact(conform, "devices", r -> list(at(r.json(),
                        "results")).stream().map(x -> at(x, "device")).distinct().count(), Render.COUNT))
                .text(" catalogue devices at every stage, and conform compares the transcripts of"
                        + " adjacent stages.");
        if (changedLines(conformRun, later, x -> true) == 0) {
            p.text(" Between the stages of this posting no transcript line changes on x86_64 under the"
                    + " default policy.");
        } else {
            p.text(" Between the stages of this posting").fact(new Letter.Fact(conform,
                    "changed transcript lines", r -> changedLines(r, later, x -> true), Render.COUNT))
                    .text(" transcript lines change on x86_64 under the default policy, and").fact(
                            new Letter.Fact(conform, "undeclared lines", r -> changedLines(r, later,
                                    x -> !Boolean.TRUE.equals(at(x, "declared"))), Render.COUNT))
                    .text(" of them are not declared.");
        }
        if (declarations.isEmpty()) {
            p.text(" No difference is declared for these stages (workbench conform/Declared.java), under"
                    + " any arch or policy.").cite(conform).end();
            return;
        }
        p.text(" Each declared difference (workbench conform/Declared.java) names the patch that makes"
                + " it and why:").cite(conform).end();
        String text = l.evidence().run(declaredText).out();
        String[] lines = text.split("\n");
        for (Declared.Difference d : declarations) {
            String head = null;
            String reason = null;
            for (int i = 0; i + 1 < lines.length; i++) {
                if (lines[i].startsWith("stage " + d.from() + " -> " + d.to() + "  ")
                        && lines[i + 1].strip().equals(d.reason())) {
                    head = lines[i];
                    reason = lines[i + 1];
                    break;
                }
            }
            if (head == null) {
                throw new IllegalStateException("conform --declared does not list " + d.summary());
            }
            Letter.Para item = l.item().quote(declaredText, head).text(":").quote(declaredText, reason);
            String summary = d.summary();
            long seen = changedLines(conformRun, later, x -> summary.equals(at(x, "reason")));
            if (seen > 0) {
                item.text(" (on x86_64 under the default policy: changed lines").fact(new Letter.Fact(
                        conform, "lines of " + summary, r -> changedLines(r, later,
                                x -> summary.equals(at(x, "reason"))), Render.COUNT))
                        .text(", devices").fact(new Letter.Fact(conform, "devices of " + summary,
                                r -> devices(r, later, summary), Render.COUNT)).text(")");
            }
            item.text(".").end();
        }
    }

    private static void kernelBugs(Letter l, Scope s) {
        List<String> scripts = kernelBugScripts(l);
        if (scripts.isEmpty()) {
            return;
        }
        l.heading("Kernel bugs fixed on the way");
        l.para().text("The model follows the kernel line by line, so it reproduces upstream bugs"
                + " where upstream code has them (docs/kernel-bugs.md); each has a reproducer under"
                + " scenarios/kernel-bugs, which exits with a kernel-bug outcome at every stage that"
                + " still has the bug.").end();
        List<String> still = new ArrayList<>();
        for (String script : scripts) {
            List<Integer> reached = new ArrayList<>();
            List<Integer> stages = new ArrayList<>(List.of(s.first()));
            stages.addAll(s.later());
            for (int n : stages) {
                if (reachesBug(l.evidence().run(run(n, "json", script)))) {
                    reached.add(n);
                }
            }
            if (reached.isEmpty()) {
                continue;
            }
            int lastReached = reached.get(reached.size() - 1);
            if (lastReached == s.last()) {
                still.add(script);
                continue;
            }
            int gone = stages.get(stages.indexOf(lastReached) + 1);
            List<String> before = run(lastReached, "text", script);
            List<String> after = run(gone, "text", script);
            Letter.Para item = l.item().text(script + ": reached up to stage").fact(transcriptStage(
                    run(lastReached, "json", script))).text(", gone at stage").fact(transcriptStage(
                    run(gone, "json", script)));
            String by = removedBy(s, gone, bugFile(l.evidence().run(run(lastReached, "json", script))));
            if (by != null) {
                item.text(" with").quote(STAGES_TEXT, by);
            }
            item.text(":").end();
            l.excerpt(before, lines(l, before, x -> x.contains(": kernel bug: ")));
            l.excerpt(after, lines(l, after, x -> x.contains("expectation failed")));
        }
        if (!still.isEmpty()) {
            l.para().text("Still reached at stage").fact(stageNumber(s, s.last())).text(":").end();
            for (String script : still) {
                List<String> at = run(s.last(), "text", script);
                l.excerpt(at, lines(l, at, x -> x.contains(": kernel bug: ")).subList(0, 1));
            }
        }
    }

    private static void objections(Letter l, Scope s) {
        int a = s.last();
        int b = s.baseline();
        if (!s.hasTree(a)) {
            return;
        }
        l.heading("Objections raised upstream");
        List<String> walk = args("walk", "--stage", String.valueOf(a), "--policy", "create=region-info",
                "--device", "nic-vf", "--format", "json");
        l.para().text("Cookie immutability. A cookie is made once per file and region, its range"
                + " never changes once handed out, and every later REGION_INFO of the region answers"
                + " the same cookie. QEMU's probe of nic-vf at stage").fact(stageNumber(s, a))
                .text(" under create=region-info makes").fact(new Letter.Fact(walk, "REGION_INFO calls",
                        r -> regionInfoCalls(r).size(), Render.COUNT))
                .text(" REGION_INFO calls, of which").fact(new Letter.Fact(walk, "cookies placed",
                        r -> cookieNotes(r, x -> x.startsWith("placed ")), Render.COUNT))
                .text(" placed a cookie and").fact(new Letter.Fact(walk, "answered with the file's cookie",
                        r -> cookieNotes(r, x -> x.endsWith("(the file's)")), Render.COUNT))
                .text(" found the file's cookie already there; the others asked about regions"
                        + " without bytes, which get none.").end();

        List<String> pmd = run(a, "json", PAGE_TABLES, "--policy", "placement=pmd");
        List<String> pgoff = run(a, "json", PAGE_TABLES, "--policy", "placement=pgoff");
        l.para().text("pgoff alignment. A cookie's range is aligned to min(PUD_SIZE, size) so that"
                + " mm can place the mapping at an address of the same alignment and map it with the"
                + " largest pages. Mapping the whole").fact(regionSize(pmd, 2))
                .text(" BAR2 of ivshmem-1t at stage").fact(stageNumber(s, a))
                .text(" and touching every page takes").fact(touch(pmd, "pmd")).text(" PMD entries and")
                .fact(touch(pmd, "tableKib")).text(" KiB of page tables when mmap(NULL) aligns only to"
                        + " PMD_SIZE (placement=pmd, as Linux does today), and").fact(touch(pgoff, "pud"))
                .text(" PUD entries and").fact(touch(pgoff, "tableKib")).text(" KiB when the address"
                        + " follows the cookie's alignment (placement=pgoff).").end();

        List<String> revoke = run(a, "text", REVOCATION, "--policy", "layout=packed,create=region-info");
        l.para().text("Revocation across files. All files of a device share the inode's address"
                + " space, and each file's tree says what its pgoffs mean, so the core zaps the whole"
                + " range any file used. Two files of e1000e with BAR0 at different pgoffs, memory"
                + " decode turned off through one of them, then a reset through the other:").end();
        l.excerpt(revoke, allLines(l, revoke));

        List<String> twoTib = run(a, "text", TWO_TIB);
        l.para().text("read and write translation. read, write and ioeventfd offsets resolve through"
                + " the same tree as mmap, so every path reaches a region past the old slot; cxl-2t's"
                + " BAR2 at stage").fact(stageNumber(s, a)).text(", where stage").fact(stageNumber(s, b))
                .text(" failed above:").end();
        l.excerpt(twoTib, lines(l, twoTib, x -> x.matches("\\s*\\d+\\s+(pwrite|pread|load) .*")));

        List<String> packed = run(a, "text", PACKED_REACH, "--arch", "i386", "--policy", "layout=packed");
        List<String> legacy = run(a, "text", EOVERFLOW, "--arch", "i386");
        l.para().text("Reach on i386. Under layout=packed every region of nic-vf lies low enough to"
                + " be mapped by an i386 process; the default legacy layout keeps today's offsets and"
                + " so today's reach, which is why packed is the layout for such a kernel:").end();
        l.excerpt(packed, lines(l, packed, x -> x.contains(" mmap ") || x.contains(" expect {")));
        l.excerpt(legacy, lines(l, legacy, x -> x.contains(" mmap ")));

        List<String> hardOk = run(a, "text", HARDCODED);
        List<String> hardFails = run(a, "text", HARDCODED, "--policy", "create=region-info");
        l.para().text("Userspace that hard-codes index <<").fact(slotShift(args("walk", "--stage",
                String.valueOf(b), "--device", "nic-vf", "--format", "json")))
                .text(" (qatlib, old DPDK and ODP write config space at the fixed offset before they"
                        + " ask REGION_INFO) keeps working under the default create=open,layout=legacy,"
                        + " because the file's cookies exist from open at their old slots; with cookies"
                        + " made at REGION_INFO the same write finds nothing:").end();
        l.excerpt(hardOk, allLines(l, hardOk));
        l.excerpt(hardFails, allLines(l, hardFails));
    }

    // ---------------------------------------------------------------- scenarios and facts

    static final String TWO_TIB = "scenarios/two-tib-bar-every-byte.vfio";
    static final String EOVERFLOW = "scenarios/i386-eoverflow.vfio";
    static final String PACKED_REACH = "scenarios/i386-packed-reach.vfio";
    static final String QEMU_PROBE = "scenarios/qemu-probe-nic-vf.vfio";
    static final String PAGE_TABLES = "scenarios/one-tib-bar-page-tables.vfio";
    static final String REVOCATION = "scenarios/revocation-across-files.vfio";
    static final String HARDCODED = "scenarios/hardcoded-config-offset.vfio";

    /** The offset REGION_INFO gives region 1 in the walk: the first slot past region 0. */
    private static long regionOneOffset(Evidence.Run r) {
        for (Map<String, Object> c : regionInfoCalls(r)) {
            if (Json.toLong(at(c, "args", "arg", "index")) == 1 && at(c, "reply", "offset") != null) {
                return Json.toLong(at(c, "reply", "offset"));
            }
        }
        throw new IllegalStateException(r.display() + " asks no REGION_INFO of region 1");
    }

    private static Letter.Fact slotShift(List<String> walk) {
        return new Letter.Fact(walk, "the slot shift (log2 of region 1's offset)",
                CoverLetter::regionOneOffset, Render.LOG2);
    }

    private static Letter.Fact slotSize(List<String> walk) {
        return new Letter.Fact(walk, "the slot size (region 1's offset)", CoverLetter::regionOneOffset,
                Render.SIZE);
    }

    /** The size REGION_INFO reports for region {@code index} in a {@code run} transcript. */
    private static Letter.Fact regionSize(List<String> run, int index) {
        return new Letter.Fact(run, "the size of region " + index, r -> {
            for (Map<String, Object> line : r.jsonLines()) {
                if ("region_info".equals(line.get("call")) && Json.toLong(at(line, "args", "index")) == index) {
                    return Json.toLong(at(line, "result", "size"));
                }
            }
            throw new IllegalStateException(r.display() + " asks no REGION_INFO of region " + index);
        }, Render.SIZE);
    }

    /** A field of the {@code touch} result in a {@code run} transcript. */
    private static Letter.Fact touch(List<String> run, String field) {
        return new Letter.Fact(run, "touch " + field, r -> {
            for (Map<String, Object> line : r.jsonLines()) {
                if ("touch".equals(line.get("call"))) {
                    return Json.toLong(at(line, "result", field));
                }
            }
            throw new IllegalStateException(r.display() + " touches nothing");
        }, Render.COUNT);
    }

    /** The stage a {@code run} transcript ran at, from its first line. */
    private static Letter.Fact transcriptStage(List<String> run) {
        return new Letter.Fact(run, "the transcript's stage",
                r -> Json.toLong(r.jsonLines().get(0).get("stage")), Render.COUNT);
    }

    /** The kernel file of the first bug a reproducer's transcript reaches. */
    private static String bugFile(Evidence.Run r) {
        for (Map<String, Object> line : r.jsonLines()) {
            if (line.containsKey("kernel_bug")) {
                return Diffstat.kernelFile(String.valueOf(at(line, "kernel_bug", "function")));
            }
        }
        throw new IllegalStateException(r.display() + " reaches no kernel bug");
    }

    /**
     * The subject of stage {@code stage}'s patch whose unit models {@code kernelFile}, when the
     * stage names it among its subjects (which {@code stages} prints); else null.
     */
    private static String removedBy(Scope s, int stage, String kernelFile) {
        for (Series.Pair p : s.pairs()) {
            if (p.to().number() != stage) {
                continue;
            }
            for (Series.Patch patch : p.patches()) {
                if (PatchBody.kernelFilesOf(p, patch.unit()).contains(kernelFile)
                        && s.stage(stage).patchSubjects().contains(patch.subject())) {
                    return patch.subject();
                }
            }
        }
        return null;
    }

    private static boolean reachesBug(Evidence.Run r) {
        return r.jsonLines().stream().anyMatch(x -> x.containsKey("kernel_bug"));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> regionInfoCalls(Evidence.Run r) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object c : list(at(r.json(), "calls"))) {
            if ("VFIO_DEVICE_GET_REGION_INFO".equals(at(c, "args", "request"))) {
                out.add((Map<String, Object>) c);
            }
        }
        return out;
    }

    private static long cookieNotes(Evidence.Run r, Predicate<String> which) {
        long n = 0;
        for (Map<String, Object> c : regionInfoCalls(r)) {
            Object notes = c.get("cookies");
            if (notes instanceof List) {
                for (Object o : (List<?>) notes) {
                    String note = String.valueOf(o);
                    if (which.test(note)) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private static long changedLines(Evidence.Run r, Set<Integer> later, Predicate<Object> which) {
        long n = 0;
        for (Object d : list(at(r.json(), "differences"))) {
            if (later.contains((int) Json.toLong(at(d, "to")))) {
                for (Object line : list(at(d, "lines"))) {
                    if (which.test(line)) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private static long devices(Evidence.Run r, Set<Integer> later, String summary) {
        Set<Object> devs = new LinkedHashSet<>();
        for (Object d : list(at(r.json(), "differences"))) {
            if (later.contains((int) Json.toLong(at(d, "to")))) {
                for (Object line : list(at(d, "lines"))) {
                    if (summary.equals(at(line, "reason"))) {
                        devs.add(at(d, "device"));
                    }
                }
            }
        }
        return devs.size();
    }

    private static Object ruleJson(Letter l, List<String> json, String id) {
        for (Object r : list(at(l.evidence().run(json).json(), "evaluations", 0, "rules"))) {
            if (id.equals(at(r, "id"))) {
                return r;
            }
        }
        throw new IllegalStateException(Evidence.Run.display(json) + " prints no rule " + id);
    }

    /** The Markdown lines of a rules evaluation: its heading and the summary line of each rule. */
    private static List<String> ruleLines(Letter l, List<String> args, List<StageRule> rules) {
        return lines(l, args, x -> x.startsWith("### ")
                || rules.stream().anyMatch(r -> x.startsWith("- **" + r.id() + "**")));
    }

    private static List<String> kernelBugScripts(Letter l) {
        return KernelBugScripts.list(l.evidence().root());
    }

    /** Every non-empty line the command printed, standard output then standard error. */
    private static List<String> allLines(Letter l, List<String> args) {
        return lines(l, args, x -> true);
    }

    private static List<String> lines(Letter l, List<String> args, Predicate<String> which) {
        List<String> out = new ArrayList<>();
        for (String x : l.evidence().run(args).lines()) {
            if (!x.isBlank() && which.test(x)) {
                out.add(x);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException(Evidence.Run.display(args) + " printed none of the lines wanted");
        }
        return out;
    }

    // ---------------------------------------------------------------- JSON

    /** The value at {@code path} (keys and list indexes) in parsed JSON, or null. */
    static Object at(Object json, Object... path) {
        Object v = json;
        for (Object p : path) {
            if (v instanceof Map && p instanceof String) {
                v = ((Map<?, ?>) v).get(p);
            } else if (v instanceof List && p instanceof Integer && (Integer) p < ((List<?>) v).size()) {
                v = ((List<?>) v).get((Integer) p);
            } else {
                return null;
            }
        }
        return v;
    }

    static List<?> list(Object v) {
        return v instanceof List ? (List<?>) v : List.of();
    }

    private static List<String> stringList(Object json, String key) {
        List<String> out = new ArrayList<>();
        for (Object o : list(at(json, key))) {
            out.add(String.valueOf(o));
        }
        return out;
    }
}
