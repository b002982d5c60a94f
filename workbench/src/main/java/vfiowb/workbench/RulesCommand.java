package vfiowb.workbench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vfiowb.common.rules.RuleCatalogue;
import vfiowb.common.rules.RuleEvaluator;
import vfiowb.common.rules.RuleResult;
import vfiowb.common.rules.StageRule;
import vfiowb.common.rules.Violation;
import vfiowb.common.stage.Stage;
import vfiowb.workbench.json.Json;

/** {@code rules}: the cumulative rules of one stage evaluated on the classes of another. */
@Command(name = "rules", mixinStandardHelpOptions = true, versionProvider = Workbench.Version.class,
        description = {"Evaluate the rules stage N must satisfy (those introduced at N and before) "
                + "on the classes of stage M (--against, default N), and list each rule with PASS "
                + "or its violations by class and member.",
            "'rules --stage 4 --against 3' shows what the stage-4 rule catches in stage 3. "
                + "--stage all evaluates every stage on its own classes."},
        footerHeading = "%nJSON (--format json):%n",
        footer = {
            "{\"evaluations\": [{\"stage\", \"against\", \"packageRoot\", \"passed\",",
            "   \"rules\": [{\"id\", \"introducedAt\", \"promise\", \"passed\", \"units\": [package...],",
            "              \"violations\": [{\"class\", \"member\", \"detail\"}]}]}]}",
            "Exit code 1 when any rule is violated."})
final class RulesCommand extends AbstractCommand {
    @Mixin
    Options.StageOption stage;

    @Option(names = "--against", paramLabel = "M",
            description = "Evaluate on the classes of stage M (default: the stage itself).")
    String against;

    @Mixin
    Options.TextJsonOrMarkdown format;

    @Override
    public Integer call() {
        Format f = format.get();
        List<Stage> stages = stage.resolve(true);
        if (against != null && stages.size() > 1) {
            throw new UserError("--against needs one --stage, not all");
        }
        boolean failed = false;
        List<Object> evaluations = new ArrayList<>();
        PrintWriter out = out();
        for (Stage s : stages) {
            Stage on = against == null ? s : Options.stage(against, "--against");
            List<Object> rules = new ArrayList<>();
            boolean all = true;
            if (f == Format.MARKDOWN) {
                out.println("### Rules of stage " + s.number() + " on the classes of stage "
                        + on.number() + " (`" + on.packageRoot() + "`)");
                out.println();
            }
            if (f == Format.TEXT) {
                out.println(style().bold("rules of stage " + s.number()) + " ("
                        + RuleCatalogue.cumulative(s.number()).size() + ", cumulative) on the classes of stage "
                        + on.number() + " (" + on.packageRoot() + ")");
            }
            for (StageRule r : RuleCatalogue.cumulative(s.number())) {
                RuleResult res = RuleEvaluator.evaluate(r, on.packageRoot());
                all &= res.passed();
                List<Object> vs = new ArrayList<>();
                for (Violation v : res.violations()) {
                    vs.add(Json.obj().put("class", v.className()).put("member", v.member())
                            .put("detail", v.detail()));
                }
                rules.add(Json.obj().put("id", r.id()).put("introducedAt", r.introducedAt())
                        .put("promise", r.promise()).put("passed", res.passed())
                        .put("units", new ArrayList<>(res.violatingUnits())).put("violations", vs));
                if (f == Format.MARKDOWN) {
                    markdown(out, r, res);
                }
                if (f == Format.TEXT) {
                    out.println("  " + (res.passed() ? style().pass("PASS") : style().fail("FAIL")) + "  "
                            + r.id() + " (stage " + r.introducedAt() + ")  " + r.promise());
                    if (!res.passed()) {
                        out.println("        " + res.violations().size() + " violations in "
                                + String.join(", ", res.violatingUnits()));
                        for (Violation v : res.violations()) {
                            out.println("        " + v.className()
                                    + (v.member().isEmpty() ? "" : "." + v.member()) + ": " + v.detail());
                        }
                    }
                }
            }
            failed |= !all;
            evaluations.add(Json.obj().put("stage", s.number()).put("against", on.number())
                    .put("packageRoot", on.packageRoot()).put("passed", all).put("rules", rules));
            if (f == Format.TEXT) {
                out.println();
            }
        }
        if (f == Format.JSON) {
            out.println(Json.pretty(Json.obj().put("evaluations", evaluations)));
        }
        return failed ? Workbench.CHECK_FAILED : 0;
    }

    /**
     * One rule as a reviewer pastes it into a cover letter: whether it holds, and if not, each
     * unit (vfio-pci-core or a driver) with the methods that break it.
     */
    private static void markdown(PrintWriter out, StageRule r, RuleResult res) {
        out.println("- **" + r.id() + "** (stage " + r.introducedAt() + "): "
                + (res.passed() ? "holds" : res.violations().size() + " violations in "
                        + res.violatingUnits().size() + " units"));
        if (res.passed()) {
            return;
        }
        Map<String, Set<String>> byUnit = new TreeMap<>();
        String prefix = res.packageRoot() + ".";
        for (Violation v : res.violations()) {
            String rel = v.className().startsWith(prefix)
                    ? v.className().substring(prefix.length()) : v.className();
            int cut = rel.lastIndexOf('.');
            String unit = cut < 0 ? rel : rel.substring(0, cut);
            String where = (cut < 0 ? rel : rel.substring(cut + 1))
                    + (v.member().isEmpty() ? "" : "." + v.member().replaceAll("\\$\\d+$", ""));
            byUnit.computeIfAbsent(unit, k -> new TreeSet<>()).add(where);
        }
        byUnit.forEach((unit, methods) -> out.println("  - `" + unit + "`: "
                + String.join(", ", methods.stream().map(m -> "`" + m + "`").toList())));
    }
}
