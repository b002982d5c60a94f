package vfiowb.workbench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vfiowb.common.rules.RuleCatalogue;
import vfiowb.common.rules.RuleEvaluator;
import vfiowb.common.rules.RuleResult;
import vfiowb.common.rules.StageRule;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.Stages;
import vfiowb.workbench.json.Json;

/** {@code stages}: the stages on the class path. */
@Command(name = "stages", mixinStandardHelpOptions = true, versionProvider = Workbench.Version.class,
        description = "List the stages of the series that exist: number, module, title, the kernel "
                + "patch subjects each models, its vfio_device_ops tables, the members the "
                + "series adds to them and the path REGION_INFO and read/write/mmap take through "
                + "each table (the cookie, the driver's own offsets, ...), and the rules it introduces with whether they pass on it; "
                + "then the planned stages not written yet, and the variants: designs built on a "
                + "stage as an RFC sits on a series (the write-combining uAPIs on stage 5).",
        footerHeading = "%nJSON (--format json):%n",
        footer = {
            "{\"stages\": [{\"number\", \"module\", \"title\", \"packageRoot\",",
            "   \"patches\": [subject...],",
            "   \"opsTables\": {\"count\", \"tables\": {table: [member...]},",
            "                 \"seriesMembers\": {member: tables setting it},",
            "                 \"paths\": {\"region_info\"|\"read/write/mmap\": {path: [table...]}}}",
            "   or null,",
            "   \"rules\": [{\"id\", \"introducedAt\", \"promise\", \"passed\", \"violations\": n}]}],",
            " \"notWritten\": [{\"number\", \"module\", \"plan\"}],",
            " \"variants\": [{\"name\", \"on\" (the stage it sits on), \"module\", ... as a stage;",
            "   or, not written yet, \"plan\" and \"written\": false}]}",
            "Exit code 1 when a stage breaks a rule it introduces."})
final class StagesCommand extends AbstractCommand {
    @Mixin
    Options.TextJsonOrMarkdown format;

    @Option(names = "--no-rules", description = "Skip evaluating the rules (faster).")
    boolean noRules;

    @Override
    public Integer call() {
        Format f = format.get();
        List<Stage> stages = Options.stages();
        List<Stage> variants = Stages.variants();
        PrintWriter out = out();
        List<String> markdown = new ArrayList<>();
        List<String> variantMarkdown = new ArrayList<>();
        List<Object> json = new ArrayList<>();
        List<Object> variantJson = new ArrayList<>();
        boolean failed = false;
        for (Stage s : stages) {
            failed |= describe(s, f, json, markdown);
        }
        List<Object> missing = new ArrayList<>();
        for (SeriesPlan.Planned p : SeriesPlan.notWritten(stages)) {
            missing.add(Json.obj().put("number", p.number()).put("module", p.module())
                    .put("plan", p.plan()));
            if (f == Format.TEXT) {
                out.println(style().bold("stage " + p.number()) + "  " + p.module() + "  "
                        + style().note("not written yet") + ": " + p.plan());
            }
            markdown.add("| " + p.number() + " | `" + p.module() + "` | *not written yet*: "
                    + md(p.plan()) + " | | | |");
        }
        if (f == Format.TEXT) {
            out.println(style().bold("variants") + ": designs built on a stage the way an RFC sits "
                    + "on a series (--stage NAME); each keeps its stage's rules");
            out.println();
        }
        for (Stage v : variants) {
            failed |= describe(v, f, variantJson, variantMarkdown);
        }
        for (SeriesPlan.PlannedVariant p : SeriesPlan.variantsNotWritten(variants)) {
            variantJson.add(Json.obj().put("name", p.name()).put("on", p.on()).put("module", p.name())
                    .put("plan", p.plan()).put("written", false));
            if (f == Format.TEXT) {
                out.println(style().bold(p.name() + " (RFC on stage " + p.on() + ")") + "  "
                        + style().note("not written yet") + ": " + p.plan());
            }
            variantMarkdown.add("| " + p.name() + " | `" + p.name() + "` | *not written yet*: "
                    + md(p.plan()) + " | | | |");
        }
        if (f == Format.MARKDOWN) {
            out.println("## Stages of the series");
            out.println();
            out.println("| stage | module | title | patches | ops tables | rules introduced |");
            out.println("|---|---|---|---|---|---|");
            markdown.forEach(out::println);
            if (!variantMarkdown.isEmpty()) {
                out.println();
                out.println("## Variants (RFCs on a stage)");
                out.println();
                out.println("| variant | module | title | patches | ops tables | rules of its stage |");
                out.println("|---|---|---|---|---|---|");
                variantMarkdown.forEach(out::println);
            }
            for (Stage s : stages) {
                out.println();
                out.println("### Stage " + s.number() + ": " + md(s.title()));
                out.println();
                s.patchSubjects().forEach(p -> out.println("- " + md(p)));
            }
            for (Stage v : variants) {
                out.println();
                out.println("### " + md(v.label()) + ": " + md(v.title()));
                out.println();
                v.patchSubjects().forEach(p -> out.println("- " + md(p)));
            }
        }
        if (f == Format.JSON) {
            out.println(Json.pretty(Json.obj().put("stages", json).put("notWritten", missing)
                    .put("variants", variantJson)));
        }
        return failed ? Workbench.CHECK_FAILED : 0;
    }

    /**
     * Adds stage or variant {@code s} to the report: its JSON object, its Markdown row, or its
     * text. Returns whether it breaks a rule its stage introduces.
     */
    private boolean describe(Stage s, Format f, List<Object> json, List<String> markdown) {
        PrintWriter out = out();
        boolean failed = false;
        StageInfo.OpsTables ops = StageInfo.opsTables(s);
        List<Object> rules = new ArrayList<>();
        List<String> ruleLines = new ArrayList<>();
        for (StageRule r : RuleCatalogue.introducedAt(s.number())) {
            Json.Obj o = Json.obj().put("id", r.id()).put("introducedAt", r.introducedAt())
                    .put("promise", r.promise());
            if (noRules) {
                o.put("passed", null).put("violations", null);
                ruleLines.add("       -  " + r.id() + "  " + r.promise());
            } else {
                RuleResult res = RuleEvaluator.evaluate(r, s.packageRoot());
                failed |= !res.passed();
                o.put("passed", res.passed()).put("violations", res.violations().size());
                ruleLines.add("    " + (res.passed() ? style().pass("PASS") : style().fail("FAIL"))
                        + "  " + r.id() + (res.passed() ? "" : " (" + res.violations().size()
                        + " violations)") + "  " + r.promise());
            }
            rules.add(o);
        }
        if (f == Format.MARKDOWN) {
            markdown.add(markdownRow(s, ops, rules));
        }
        Json.Obj o = Json.obj();
        if (s.variant() != null) {
            o.put("name", s.variant()).put("on", s.number());
        } else {
            o.put("number", s.number());
        }
        json.add(o.put("module", s.module())
                .put("title", s.title()).put("packageRoot", s.packageRoot())
                .put("patches", s.patchSubjects())
                .put("opsTables", ops == null ? null : Json.obj().put("count", ops.count())
                        .put("tables", ops.tables()).put("seriesMembers", ops.seriesMembers())
                        .put("paths", ops.paths()))
                .put("rules", rules));
        if (f == Format.TEXT) {
            out.println(style().bold(s.variant() == null ? "stage " + s.number() : s.label()) + "  "
                    + s.module() + "  " + s.title());
            out.println("  patches (" + s.patchSubjects().size() + "):");
            for (String p : s.patchSubjects()) {
                out.println("    " + p);
            }
            out.println("  ops tables: " + opsLine(ops));
            if (ops != null) {
                ops.paths().forEach((call, byPath) -> byPath.forEach((path, tables) ->
                        out.println("    " + call + " via " + path + " (" + tables.size()
                                + "): " + String.join(", ", tables))));
            }
            out.println("  rules " + (s.variant() == null ? "introduced" : "its stage introduces")
                    + " (" + ruleLines.size() + "):");
            ruleLines.forEach(out::println);
            if (ruleLines.isEmpty()) {
                out.println("    none");
            }
            out.println();
        }
        return failed;
    }

    /** One stage as a Markdown table row. */
    private String markdownRow(Stage s, StageInfo.OpsTables ops, List<Object> rules) {
        StringBuilder r = new StringBuilder();
        for (Object o : rules) {
            Json.Obj rule = (Json.Obj) o;
            Object passed = rule.get("passed");
            r.append(r.length() == 0 ? "" : "<br>").append('`').append(rule.get("id")).append('`')
                    .append(passed == null ? "" : Boolean.TRUE.equals(passed) ? " PASS"
                            : " **FAIL** (" + rule.get("violations") + ")");
        }
        return "| " + s.name() + " | `" + s.module() + "` | " + md(s.title()) + " | "
                + s.patchSubjects().size() + " | " + (ops == null ? "-" : ops.count()) + " | "
                + (r.length() == 0 ? "none" : r) + " |";
    }

    /** Text for a Markdown table cell. */
    static String md(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private static String opsLine(StageInfo.OpsTables ops) {
        if (ops == null) {
            return "not reported (the stage has no readable DriverRegistry)";
        }
        StringBuilder sb = new StringBuilder().append(ops.count()).append(" modelled (")
                .append(String.join(", ", ops.tables().keySet())).append(")");
        if (ops.seriesMembers().isEmpty()) {
            sb.append("; none sets a member the series adds");
        }
        for (Map.Entry<String, Integer> e : ops.seriesMembers().entrySet()) {
            sb.append("; ").append(e.getKey()).append(" set by ").append(e.getValue())
                    .append(" of ").append(ops.count());
        }
        return sb.toString();
    }
}
