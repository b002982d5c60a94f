package vfiowb.workbench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.Stage;
import vfiowb.workbench.conform.Suite;
import vfiowb.workbench.conform.Suites;
import vfiowb.workbench.json.Json;
import vfiowb.workbench.walk.Diff;

/** {@code conform}: the conformance suite, a matrix of scenario by stage. */
@Command(name = "conform", mixinStandardHelpOptions = true, versionProvider = Workbench.Version.class,
        description = {"Run the conformance suite for one or all stages (default: all) and the "
                + "catalogue's devices (or those named), and show a matrix of device/scenario by "
                + "stage: PASS, FAIL, or - where the stage has no driver for the device.",
            "With more than one stage, the transcript differences between adjacent stages, each "
                + "marked declared (with the suite's reason) or NOT DECLARED."},
        footerHeading = "%nJSON (--format json):%n",
        footer = {
            "{\"suite\", \"arch\", \"stages\": [n...], \"passed\",",
            " \"results\": [{\"device\", \"scenario\", \"stage\", \"status\" (pass|fail|unbound), \"detail\"}],",
            " \"differences\": [{\"device\", \"scenario\", \"from\", \"to\",",
            "    \"lines\": [{\"op\" (-|+), \"line\", \"declared\", \"reason\"}]}]}",
            "Exit code 1 when a scenario fails or a difference is not declared."})
final class ConformCommand extends AbstractCommand {
    @Mixin
    Options.StageOption stage;
    @Mixin
    Options.ArchOption arch;
    @Mixin
    Options.DeviceOption device;
    @Mixin
    Options.FormatOption format;

    private record Key(String device, String scenario) {}

    @Override
    public Integer call() {
        Format f = format.get();
        List<Stage> stages = stage.stage == null ? Options.stages() : stage.resolve(true);
        Arch a = arch.resolve();
        List<DeviceSpec> devices = device.isEmpty() ? DeviceCatalogue.all() : device.resolve();
        Suite suite = Suites.current();
        Map<Key, Map<Integer, Suite.Outcome>> matrix = new LinkedHashMap<>();
        for (Stage s : stages) {
            for (Suite.Outcome o : suite.run(s, a, devices)) {
                matrix.computeIfAbsent(new Key(o.device(), o.scenario()), k -> new LinkedHashMap<>())
                        .put(s.number(), o);
            }
        }
        boolean failed = false;
        List<Object> results = new ArrayList<>();
        for (Map.Entry<Key, Map<Integer, Suite.Outcome>> e : matrix.entrySet()) {
            for (Map.Entry<Integer, Suite.Outcome> so : e.getValue().entrySet()) {
                Suite.Outcome o = so.getValue();
                failed |= o.status().equals("fail");
                results.add(Json.obj().put("device", o.device()).put("scenario", o.scenario())
                        .put("stage", so.getKey()).put("status", o.status()).put("detail", o.detail()));
            }
        }
        List<Object> differences = new ArrayList<>();
        for (Map.Entry<Key, Map<Integer, Suite.Outcome>> e : matrix.entrySet()) {
            for (int i = 1; i < stages.size(); i++) {
                int from = stages.get(i - 1).number();
                int to = stages.get(i).number();
                Suite.Outcome a1 = e.getValue().get(from);
                Suite.Outcome b1 = e.getValue().get(to);
                if (a1 == null || b1 == null || a1.status().equals("unbound")
                        || b1.status().equals("unbound")) {
                    continue;
                }
                List<Object> lines = new ArrayList<>();
                for (Diff.Edit d : Diff.lines(a1.transcript(), b1.transcript())) {
                    if (d.op() == ' ') {
                        continue;
                    }
                    Suite.Declared decl = declared(suite, e.getKey(), from, to, d.line());
                    failed |= decl == null;
                    lines.add(Json.obj().put("op", String.valueOf(d.op())).put("line", d.line())
                            .put("declared", decl != null).put("reason", decl == null ? null : decl.reason()));
                }
                if (!lines.isEmpty()) {
                    differences.add(Json.obj().put("device", e.getKey().device())
                            .put("scenario", e.getKey().scenario()).put("from", from).put("to", to)
                            .put("lines", lines));
                }
            }
        }
        List<Integer> numbers = new ArrayList<>();
        stages.forEach(s -> numbers.add(s.number()));
        switch (f) {
            case JSON:
                out().println(Json.pretty(Json.obj().put("suite", suite.name()).put("arch", a.cliName())
                        .put("stages", numbers).put("passed", !failed).put("results", results)
                        .put("differences", differences)));
                break;
            case MARKDOWN:
                markdown(suite, a, stages, matrix, differences);
                break;
            default:
                text(suite, a, stages, matrix, differences);
        }
        return failed ? Workbench.CHECK_FAILED : 0;
    }

    private static Suite.Declared declared(Suite suite, Key k, int from, int to, String line) {
        for (Suite.Declared d : suite.declared()) {
            if (d.device().equals(k.device()) && d.scenario().equals(k.scenario())
                    && d.fromStage() == from && d.toStage() == to && d.line().equals(line)) {
                return d;
            }
        }
        return null;
    }

    private String cell(Suite.Outcome o, boolean colour) {
        if (o == null || o.status().equals("unbound")) {
            return "-";
        }
        if (o.status().equals("pass")) {
            return colour ? style().pass("PASS") : "PASS";
        }
        return colour ? style().fail("FAIL") : "FAIL";
    }

    private void text(Suite suite, Arch a, List<Stage> stages, Map<Key, Map<Integer, Suite.Outcome>> matrix,
            List<Object> differences) {
        PrintWriter out = out();
        out.println(style().bold("conformance") + ": " + suite.name() + ", " + a.cliName());
        StringBuilder head = new StringBuilder(String.format("  %-34s", "device / scenario"));
        for (Stage s : stages) {
            head.append(String.format(" %-8s", "stage " + s.number()));
        }
        out.println(head);
        for (Map.Entry<Key, Map<Integer, Suite.Outcome>> e : matrix.entrySet()) {
            StringBuilder row = new StringBuilder(String.format("  %-34s",
                    e.getKey().device() + " / " + e.getKey().scenario()));
            for (Stage s : stages) {
                Suite.Outcome o = e.getValue().get(s.number());
                String c = cell(o, false);
                row.append(' ').append(cell(o, true)).append(" ".repeat(Math.max(0, 8 - c.length())));
            }
            out.println(row.toString().stripTrailing());
            for (Suite.Outcome o : e.getValue().values()) {
                if (o.status().equals("fail")) {
                    out.println("      " + style().fail("stage fails: " + o.detail()));
                }
            }
        }
        if (stages.size() > 1) {
            out.println();
            out.println(style().bold("differences between adjacent stages")
                    + (differences.isEmpty() ? ": none" : ":"));
            for (Object o : differences) {
                Map<?, ?> d = (Map<?, ?>) o;
                out.println("  " + d.get("device") + " / " + d.get("scenario") + ", stage " + d.get("from")
                        + " -> " + d.get("to") + ":");
                for (Object lo : (List<?>) d.get("lines")) {
                    Map<?, ?> l = (Map<?, ?>) lo;
                    boolean decl = Boolean.TRUE.equals(l.get("declared"));
                    out.println("    " + l.get("op") + " " + l.get("line") + "  "
                            + (decl ? style().pass("declared: " + l.get("reason"))
                                    : style().fail("NOT DECLARED")));
                }
            }
        }
    }

    private void markdown(Suite suite, Arch a, List<Stage> stages, Map<Key, Map<Integer, Suite.Outcome>> matrix,
            List<Object> differences) {
        PrintWriter out = out();
        out.println("## Conformance: " + suite.name() + " (" + a.cliName() + ")");
        out.println();
        StringBuilder head = new StringBuilder("| device | scenario |");
        StringBuilder rule = new StringBuilder("|--------|----------|");
        for (Stage s : stages) {
            head.append(" stage ").append(s.number()).append(" |");
            rule.append("---------|");
        }
        out.println(head);
        out.println(rule);
        for (Map.Entry<Key, Map<Integer, Suite.Outcome>> e : matrix.entrySet()) {
            StringBuilder row = new StringBuilder("| " + e.getKey().device() + " | " + e.getKey().scenario() + " |");
            for (Stage s : stages) {
                row.append(' ').append(cell(e.getValue().get(s.number()), false)).append(" |");
            }
            out.println(row);
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
                out.println("**" + d.get("device") + " / " + d.get("scenario") + "**, stage " + d.get("from")
                        + " to " + d.get("to") + ":");
                out.println();
                for (Object lo : (List<?>) d.get("lines")) {
                    Map<?, ?> l = (Map<?, ?>) lo;
                    out.println("- `" + l.get("op") + " " + l.get("line") + "`: "
                            + (Boolean.TRUE.equals(l.get("declared")) ? "declared (" + l.get("reason") + ")"
                                    : "**not declared**"));
                }
                out.println();
            }
        }
    }
}
