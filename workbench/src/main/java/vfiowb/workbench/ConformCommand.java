package vfiowb.workbench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import vfiowb.common.conformance.TranscriptDiff;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.Stage;
import vfiowb.workbench.conform.Declared;
import vfiowb.workbench.conform.Suite;
import vfiowb.workbench.json.Json;

/** {@code conform}: the conformance suite, a matrix of scenario by stage. */
@Command(name = "conform", mixinStandardHelpOptions = true, versionProvider = Workbench.Version.class,
        description = {"Run the conformance suite (vfiowb.common.conformance: the device profile, the "
                + "QEMU and DPDK clients, every scenario) for one or all stages (default: all) on "
                + "the catalogue's devices (or those named), and show a matrix of scenario by stage: "
                + "PASS n (n devices passed), FAIL k/n (k of n devices failed), DECL k/n (k of n "
                + "failed as a declared difference says they must), KBUG k/n (k devices reached an "
                + "upstream kernel bug the model reproduces, and nothing failed before it), n/a "
                + "(no device has what it needs), - (no device bound). Failures follow with their "
                + "messages, then the declared ones with the patch that removes (or brings) each, "
                + "then kernel bugs, each naming the upstream file and function "
                + "(docs/kernel-bugs.md).",
            "With more than one stage, the transcript differences between adjacent stages per "
                + "device and scenario, each marked declared (with the patch that makes it and "
                + "why) or NOT DECLARED. Declarations: workbench conform/Declared.java."},
        footerHeading = "%nJSON (--format json):%n",
        footer = {
            "{\"arch\", \"stages\": [n...], \"passed\", \"kernelBugs\" (runs that reached one),",
            " \"matrix\": [{\"key\" (profile | client:NAME | scenario:ID), \"title\",",
            "    \"stages\": {\"N\": {\"pass\", \"fail\", \"declared\", \"kernelBug\", \"na\", \"unbound\"}}}],",
            " \"results\": [{\"device\", \"key\", \"stage\",",
            "    \"status\" (pass|fail|kernel-bug|n/a|unbound), \"messages\",",
            "    \"declared\": [{\"patch\", \"stage\", \"reason\"}] (a failure declared) or null}],",
            " \"differences\": [{\"device\", \"key\", \"from\", \"to\",",
            "    \"lines\": [{\"op\" (-|+), \"line\", \"declared\", \"patch\", \"reason\"}]}]}",
            "Matrix cells count pass, fail (not declared), declared, kernelBug, na, unbound.",
            "Exit code 1 when a scenario or client fails in a way no declaration explains or a",
            "difference is not declared; else 4 when a run reached an upstream kernel bug; else",
            "0 (every failure and difference declared)."})
final class ConformCommand extends AbstractCommand {
    @Mixin
    Options.StageOption stage;
    @Mixin
    Options.PolicyOption policy;
    @Mixin
    Options.ArchOption arch;
    @Mixin
    Options.DeviceOption device;
    @Mixin
    Options.TextJsonOrMarkdown format;

    @picocli.CommandLine.Option(names = "--declared", description = "Run nothing: list the declared "
            + "differences (conform/Declared.java), each with its stages, the patch that makes it, "
            + "where it applies (every arch and policy, or the arch and knob values under which it "
            + "does) and why.")
    boolean declared;

    /** Counts of one key at one stage, over the devices. */
    private static final class Cell {
        int pass;
        int fail;
        int declared;
        int kernelBug;
        int na;
        int unbound;

        void add(String status, boolean isDeclared) {
            switch (status) {
                case "pass":
                    pass++;
                    break;
                case "fail":
                    if (isDeclared) {
                        declared++;
                    } else {
                        fail++;
                    }
                    break;
                case "kernel-bug":
                    kernelBug++;
                    break;
                case "n/a":
                    na++;
                    break;
                default:
                    unbound++;
            }
        }

        String text() {
            int ran = pass + fail + declared + kernelBug;
            if (fail > 0) {
                return "FAIL " + fail + "/" + ran;
            }
            if (kernelBug > 0) {
                return "KBUG " + kernelBug + "/" + ran;
            }
            if (declared > 0) {
                return "DECL " + declared + "/" + ran;
            }
            if (pass > 0) {
                return "PASS " + pass;
            }
            return na > 0 ? "n/a" : "-";
        }

        Json.Obj json() {
            return Json.obj().put("pass", pass).put("fail", fail).put("declared", declared)
                    .put("kernelBug", kernelBug).put("na", na).put("unbound", unbound);
        }
    }

    @Override
    public Integer call() {
        Format f = format.get();
        if (declared) {
            if (stage.stage != null || policy.policy != null || arch.arch != null || !device.isEmpty()) {
                throw new UserError("--declared lists every declaration; it takes no --stage, "
                        + "--policy, --arch or --device");
            }
            return listDeclared(f);
        }
        List<Stage> stages = policy.apply(stage.stage == null ? Options.stages() : stage.resolve(true));
        Arch a = arch.resolve();
        List<DeviceSpec> devices = device.isEmpty() ? DeviceCatalogue.on(a) : device.resolve(a);
        Map<String, String> titles = Suite.keys();
        Map<Integer, Map<String, Suite.Run>> byStage = new LinkedHashMap<>();
        Map<String, Map<Integer, Cell>> matrix = new LinkedHashMap<>();
        titles.keySet().forEach(k -> matrix.put(k, new LinkedHashMap<>()));
        List<Object> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> declaredFailures = new ArrayList<>();
        List<String> kernelBugs = new ArrayList<>();
        Declared.Context ctx = new Declared.Context(a, policy.resolve());
        for (Stage s : stages) {
            Map<String, Suite.Run> runs = new LinkedHashMap<>();
            for (Suite.Run r : Suite.run(s, a, devices)) {
                runs.put(r.device() + " " + r.key(), r);
                List<Declared.Difference> why = r.status().equals("fail")
                        ? Declared.explaining(ctx, s.number(), r.device(), r.key(), r.messages()) : null;
                matrix.computeIfAbsent(r.key(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(s.number(), n -> new Cell()).add(r.status(), why != null);
                List<Object> decl = null;
                if (why != null) {
                    decl = new ArrayList<>();
                    for (Declared.Difference d : why) {
                        decl.add(Json.obj().put("patch", d.patch()).put("stage", d.to())
                                .put("reason", d.reason()));
                    }
                }
                Json.Obj res = Json.obj().put("device", r.device()).put("key", r.key())
                        .put("stage", s.number());
                if (s.variant() != null) {
                    res.put("variant", s.variant());
                }
                results.add(res.put("status", r.status()).put("messages", r.messages())
                        .put("declared", decl));
                if (r.status().equals("kernel-bug")) {
                    kernelBugs.add(s.label() + " " + r.device() + " " + r.key() + ": "
                            + String.join("; ", r.messages()));
                }
                if (r.status().equals("fail")) {
                    String line = s.label() + " " + r.device() + " " + r.key() + ": "
                            + String.join("; ", r.messages());
                    if (why == null) {
                        failures.add(line);
                    } else {
                        declaredFailures.add(line);
                        for (Declared.Difference d : why) {
                            declaredFailures.add("    declared: " + d.describe(s.number()));
                        }
                    }
                }
            }
            byStage.put(s.number(), runs);
        }
        List<Object> differences = differences(ctx, stages, byStage);
        boolean undeclared = differences.stream().flatMap(d -> ((List<?>) ((Map<?, ?>) d).get("lines")).stream())
                .anyMatch(l -> Boolean.FALSE.equals(((Map<?, ?>) l).get("declared")));
        boolean failed = !failures.isEmpty() || undeclared;
        switch (f) {
            case JSON: {
                List<Object> m = new ArrayList<>();
                matrix.forEach((k, cells) -> {
                    Json.Obj st = Json.obj();
                    cells.forEach((n, c) -> st.put(String.valueOf(n), c.json()));
                    m.add(Json.obj().put("key", k).put("title", titles.getOrDefault(k, k)).put("stages", st));
                });
                List<Integer> numbers = new ArrayList<>();
                stages.forEach(s -> numbers.add(s.number()));
                out().println(Json.pretty(Json.obj().put("arch", a.cliName()).put("stages", numbers)
                        .put("passed", !failed).put("kernelBugs", kernelBugs.size())
                        .put("matrix", m).put("results", results)
                        .put("differences", differences)));
                break;
            }
            case MARKDOWN:
                markdown(a, stages, matrix, titles, failures, declaredFailures, kernelBugs,
                        differences);
                break;
            default:
                text(a, stages, matrix, titles, failures, declaredFailures, kernelBugs, differences,
                        devices.size());
        }
        if (failed) {
            return Workbench.CHECK_FAILED;
        }
        return kernelBugs.isEmpty() ? 0 : Workbench.KERNEL_BUG;
    }

    private static List<Object> differences(Declared.Context ctx, List<Stage> stages,
            Map<Integer, Map<String, Suite.Run>> byStage) {
        List<Object> out = new ArrayList<>();
        for (int i = 1; i < stages.size(); i++) {
            int from = stages.get(i - 1).number();
            int to = stages.get(i).number();
            for (Map.Entry<String, Suite.Run> e : byStage.get(to).entrySet()) {
                Suite.Run now = e.getValue();
                Suite.Run before = byStage.get(from).get(e.getKey());
                if (before == null || before.status().equals("unbound") || now.status().equals("unbound")) {
                    continue;
                }
                List<Object> lines = new ArrayList<>();
                for (TranscriptDiff.Edit d : TranscriptDiff.edits(before.transcript(), now.transcript())) {
                    if (d.op() == ' ') {
                        continue;
                    }
                    Declared.Difference decl = Declared.find(ctx, from, to, now.device(), now.key(),
                            d.line());
                    lines.add(Json.obj().put("op", String.valueOf(d.op())).put("line", d.line())
                            .put("declared", decl != null)
                            .put("patch", decl == null ? null : decl.patch())
                            .put("reason", decl == null ? null : decl.summary()));
                }
                if (!lines.isEmpty()) {
                    out.add(Json.obj().put("device", now.device()).put("key", now.key()).put("from", from)
                            .put("to", to).put("lines", lines));
                }
            }
        }
        return out;
    }

    private String colour(String cell) {
        if (cell.startsWith("FAIL") || cell.startsWith("KBUG")) {
            return style().fail(cell);
        }
        if (cell.startsWith("DECL")) {
            return style().note(cell);
        }
        return cell.startsWith("PASS") ? style().pass(cell) : cell;
    }

    private void text(Arch a, List<Stage> stages, Map<String, Map<Integer, Cell>> matrix,
            Map<String, String> titles, List<String> failures, List<String> declaredFailures,
            List<String> kernelBugs, List<Object> differences, int devices) {
        PrintWriter out = out();
        out.println(style().bold("conformance") + " on " + a.cliName() + ", " + devices + " device"
                + (devices == 1 ? "" : "s") + ": PASS n = n devices passed, DECL k/n = k failed as "
                + "declared, KBUG k/n = k reached an upstream kernel bug, n/a = not applicable, "
                + "- = no driver");
        StringBuilder head = new StringBuilder(String.format("  %-18s", "scenario"));
        for (Stage s : stages) {
            head.append(String.format(" %-12s", s.variant() == null ? "stage " + s.number() : s.variant()));
        }
        out.println(head.append(" title").toString());
        matrix.forEach((k, cells) -> {
            StringBuilder row = new StringBuilder(String.format("  %-18s", k.replaceFirst("^scenario:", "")));
            for (Stage s : stages) {
                Cell c = cells.get(s.number());
                String t = c == null ? "-" : c.text();
                row.append(' ').append(colour(t)).append(" ".repeat(Math.max(0, 12 - t.length())));
            }
            out.println(row.append(' ').append(titles.getOrDefault(k, "")).toString().stripTrailing());
        });
        if (!failures.isEmpty()) {
            out.println();
            out.println(style().fail("failures") + ":");
            failures.forEach(x -> out.println("  " + x));
        }
        if (!declaredFailures.isEmpty()) {
            out.println();
            out.println(style().note("declared failures") + " (what a stage shows on purpose; each "
                    + "with the patch that removes or brings it):");
            declaredFailures.forEach(x -> out.println("  " + (x.startsWith("    declared: ")
                    ? "  " + style().pass(x.strip()) : x)));
        }
        if (!kernelBugs.isEmpty()) {
            out.println();
            out.println(style().fail("upstream kernel bugs reached") + " (not failures of the "
                    + "model; docs/kernel-bugs.md):");
            kernelBugs.forEach(x -> out.println("  " + x));
        }
        if (stages.size() > 1) {
            out.println();
            out.println(style().bold("differences between adjacent stages")
                    + (differences.isEmpty() ? ": none" : ":"));
            for (Object o : differences) {
                Map<?, ?> d = (Map<?, ?>) o;
                out.println("  " + d.get("device") + " " + d.get("key") + ", stage " + d.get("from")
                        + " -> " + d.get("to") + ":");
                java.util.Set<Object> reasons = new java.util.LinkedHashSet<>();
                for (Object lo : (List<?>) d.get("lines")) {
                    Map<?, ?> l = (Map<?, ?>) lo;
                    if (Boolean.TRUE.equals(l.get("declared"))) {
                        reasons.add(l.get("reason"));
                    }
                }
                reasons.forEach(r -> out.println("    " + style().pass("declared: " + r)));
                for (Object lo : (List<?>) d.get("lines")) {
                    Map<?, ?> l = (Map<?, ?>) lo;
                    boolean decl = Boolean.TRUE.equals(l.get("declared"));
                    out.println("    " + l.get("op") + " " + l.get("line").toString().strip()
                            + (decl ? "" : "  " + style().fail("NOT DECLARED")));
                }
            }
        }
    }

    private void markdown(Arch a, List<Stage> stages, Map<String, Map<Integer, Cell>> matrix,
            Map<String, String> titles, List<String> failures, List<String> declaredFailures,
            List<String> kernelBugs, List<Object> differences) {
        PrintWriter out = out();
        out.println("## Conformance on " + a.cliName());
        out.println();
        StringBuilder head = new StringBuilder("| scenario |");
        StringBuilder rule = new StringBuilder("|----------|");
        for (Stage s : stages) {
            head.append(' ').append(s.variant() == null ? "stage " + s.number() : s.variant()).append(" |");
            rule.append("---------|");
        }
        out.println(head.append(" title |"));
        out.println(rule.append("-------|"));
        matrix.forEach((k, cells) -> {
            StringBuilder row = new StringBuilder("| " + k.replaceFirst("^scenario:", "") + " |");
            for (Stage s : stages) {
                Cell c = cells.get(s.number());
                row.append(' ').append(c == null ? "-" : c.text()).append(" |");
            }
            out.println(row.append(' ').append(titles.getOrDefault(k, "").replace("|", "\\|")).append(" |"));
        });
        if (!failures.isEmpty()) {
            out.println();
            out.println("### Failures");
            out.println();
            failures.forEach(x -> out.println("- " + x));
        }
        if (!declaredFailures.isEmpty()) {
            out.println();
            out.println("### Declared failures");
            out.println();
            declaredFailures.forEach(x -> out.println(x.startsWith("    declared: ")
                    ? "  - " + x.strip() : "- " + x));
        }
        if (!kernelBugs.isEmpty()) {
            out.println();
            out.println("### Upstream kernel bugs reached");
            out.println();
            kernelBugs.forEach(x -> out.println("- " + x));
        }
        if (stages.size() > 1) {
            out.println();
            out.println("### Differences between adjacent stages");
            out.println();
            if (differences.isEmpty()) {
                out.println("None.");
            }
            for (Object o : differences) {
                Map<?, ?> d = (Map<?, ?>) o;
                out.println("**" + d.get("device") + " " + d.get("key") + "**, stage " + d.get("from")
                        + " to " + d.get("to") + ":");
                out.println();
                for (Object lo : (List<?>) d.get("lines")) {
                    Map<?, ?> l = (Map<?, ?>) lo;
                    out.println("- `" + l.get("op") + " " + l.get("line").toString().strip() + "`: "
                            + (Boolean.TRUE.equals(l.get("declared")) ? "declared (" + l.get("reason") + ")"
                                    : "**not declared**"));
                }
                out.println();
            }
        }
    }

    /**
     * {@code --declared}: every declaration, in order, with where it applies. JSON:
     * {@code {"declared": [{"from", "to", "patch", "patches": [subject...], "where", "reason",
     * "explainsFailures"}]}}.
     */
    private int listDeclared(Format f) {
        PrintWriter out = out();
        List<Object> all = new ArrayList<>();
        for (Declared.Difference d : Declared.all()) {
            String where = Declared.where(d);
            List<String> subjects = Options.stages().stream().filter(s -> s.number() == d.to())
                    .findFirst().map(s -> Declared.patches(d.patch(), s.patchSubjects()))
                    .orElse(List.of());
            all.add(Json.obj().put("from", d.from()).put("to", d.to()).put("patch", d.patch())
                    .put("patches", subjects).put("where", where).put("reason", d.reason())
                    .put("explainsFailures", d.failing() != null));
            String head = "stage " + d.from() + " -> " + d.to() + "  "
                    + (d.patch() == null ? "(no patch named)" : "\"" + d.patch() + "\"") + "  [" + where + "]";
            if (f == Format.MARKDOWN) {
                out.println("- stage " + d.from() + " -> " + d.to() + ", "
                        + (d.patch() == null ? "no patch named" : "`" + d.patch() + "`") + " (" + where
                        + "): " + d.reason());
            } else if (f == Format.TEXT) {
                out.println(head);
                out.println("    " + d.reason());
            }
        }
        if (f == Format.JSON) {
            out.println(Json.pretty(Json.obj().put("declared", all)));
        }
        return 0;
    }
}
