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
import vfiowb.workbench.json.Json;

/** {@code stages}: the stages on the class path. */
@Command(name = "stages", mixinStandardHelpOptions = true, versionProvider = Workbench.Version.class,
        description = "List the stages of the series that exist: number, module, title, the kernel "
                + "patch subjects each models, its vfio_device_ops tables and the members the "
                + "series adds to them, and the rules it introduces with whether they pass on it.",
        footerHeading = "%nJSON (--format json):%n",
        footer = {
            "{\"stages\": [{\"number\", \"module\", \"title\", \"packageRoot\",",
            "   \"patches\": [subject...],",
            "   \"opsTables\": {\"count\", \"tables\": {table: [member...]},",
            "                 \"seriesMembers\": {member: tables setting it}} or null,",
            "   \"rules\": [{\"id\", \"introducedAt\", \"promise\", \"passed\", \"violations\": n}]}]}",
            "Exit code 1 when a stage breaks a rule it introduces."})
final class StagesCommand extends AbstractCommand {
    @Mixin
    Options.FormatOption format;

    @Option(names = "--no-rules", description = "Skip evaluating the rules (faster).")
    boolean noRules;

    @Override
    public Integer call() {
        Format f = format.get().only("stages", Format.TEXT, Format.JSON);
        List<Stage> stages = Options.stages();
        List<Object> json = new ArrayList<>();
        boolean failed = false;
        PrintWriter out = out();
        for (Stage s : stages) {
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
            json.add(Json.obj().put("number", s.number()).put("module", s.module())
                    .put("title", s.title()).put("packageRoot", s.packageRoot())
                    .put("patches", s.patchSubjects())
                    .put("opsTables", ops == null ? null : Json.obj().put("count", ops.count())
                            .put("tables", ops.tables()).put("seriesMembers", ops.seriesMembers()))
                    .put("rules", rules));
            if (f == Format.TEXT) {
                out.println(style().bold("stage " + s.number()) + "  " + s.module() + "  " + s.title());
                out.println("  patches (" + s.patchSubjects().size() + "):");
                for (String p : s.patchSubjects()) {
                    out.println("    " + p);
                }
                out.println("  ops tables: " + opsLine(ops));
                out.println("  rules introduced (" + ruleLines.size() + "):");
                ruleLines.forEach(out::println);
                if (ruleLines.isEmpty()) {
                    out.println("    none");
                }
                out.println();
            }
        }
        if (f == Format.JSON) {
            out.println(Json.pretty(Json.obj().put("stages", json)));
        }
        return failed ? Workbench.CHECK_FAILED : 0;
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
