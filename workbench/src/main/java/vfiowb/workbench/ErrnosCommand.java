package vfiowb.workbench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.Stage;
import vfiowb.workbench.errnos.BadInput;
import vfiowb.workbench.errnos.ErrnoParity;
import vfiowb.workbench.json.Json;

/** {@code errnos}: the errno parity table, model against kernel. */
@Command(name = "errnos", mixinStandardHelpOptions = true,
        versionProvider = Workbench.Version.class,
        description = {"For each class of bad input (a short argsz, a bad index, an undefined "
                + "flag, an unknown ioctl, a private mmap, an mmap or read past a region, ...) "
                + "and each ops table, the errno the model gives at each stage, computed by "
                + "running the call on the table's first catalogue device that has a mappable "
                + "region, against the errno the kernel gives and the function that gives it; "
                + "every difference is explained or reported. docs/errno-parity.md is this "
                + "command's markdown at --stage all, checked by a test.",
            "Defaults: --stage all, x86_64."},
        footerHeading = "%nJSON (--format json):%n",
        footer = {
            "{\"arch\", \"stages\": [n...], \"unexplained\", \"rows\": [{\"input\", \"description\",",
            "  \"tables\": [name...], \"kernel\": {\"errno\", \"function\"}, \"model\": {\"N\": errno},",
            "  \"same\", \"explanation\" or null}]}",
            "\"ok\" is a call that succeeded, \"n/a\" one the device gives nothing to aim at.",
            "Exit code 1 when a difference has no explanation, else 0."})
final class ErrnosCommand extends AbstractCommand {
    @Mixin
    Options.StageOption stage;
    @Mixin
    Options.ArchOption arch;
    @Mixin
    Options.TextJsonOrMarkdown format;

    @Override
    public Integer call() {
        Format f = format.get();
        List<Stage> stages = stage.stage == null ? Options.stages() : stage.resolve(true);
        ErrnoParity.Table t = ErrnoParity.measure(stages, arch.resolve());
        PrintWriter out = out();
        if (f == Format.JSON) {
            out.println(Json.pretty(json(t)));
        } else if (f == Format.MARKDOWN) {
            out.print(markdown(t));
        } else {
            text(t);
        }
        return t.unexplained() == 0 ? 0 : Workbench.CHECK_FAILED;
    }

    private void text(ErrnoParity.Table t) {
        PrintWriter out = out();
        out.println(style().bold("errno parity") + " on " + t.arch().cliName() + ", stage"
                + (t.stages().size() > 1 ? "s " : " ") + t.stages().stream().map(String::valueOf)
                        .collect(Collectors.joining(", ")) + " against the kernel");
        BadInput last = null;
        for (ErrnoParity.Row r : t.rows()) {
            if (r.input() != last) {
                out.println();
                out.println(style().bold(r.input().id()) + ": " + r.input().description());
                last = r.input();
            }
            String verdict = r.same() ? style().pass("same")
                    : r.explanation() != null ? style().note("declared")
                    : style().fail("UNEXPLAINED");
            out.println("  " + verdict + "  kernel " + r.kernel().errno() + " ("
                    + r.kernel().function() + "), model " + model(r.model()) + "  "
                    + String.join(", ", r.tables()));
            if (r.explanation() != null) {
                out.println("      " + r.explanation());
            }
        }
        out.println();
        out.println(t.unexplained() == 0 ? "every difference explained"
                : style().fail(t.unexplained() + " unexplained difference(s)"));
    }

    private static String model(Map<Integer, String> m) {
        if (m.values().stream().distinct().count() == 1) {
            return m.values().iterator().next();
        }
        return m.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    /** The markdown form: what docs/errno-parity.md holds below its introduction. */
    static String markdown(ErrnoParity.Table t) {
        StringBuilder sb = new StringBuilder();
        sb.append("| bad input | ops tables | kernel | kernel function |");
        for (int s : t.stages()) {
            sb.append(" stage ").append(s).append(" |");
        }
        sb.append(" difference |\n|---|---|---|---|");
        for (int i = 0; i < t.stages().size(); i++) {
            sb.append("---|");
        }
        sb.append("---|\n");
        for (ErrnoParity.Row r : t.rows()) {
            sb.append("| ").append(r.input().id()).append(" | ")
                    .append(r.tables().stream().map(x -> "`" + x + "`")
                            .collect(Collectors.joining(", ")))
                    .append(" | ").append(r.kernel().errno()).append(" | `")
                    .append(r.kernel().function()).append("` |");
            for (int s : t.stages()) {
                String m = r.model().get(s);
                sb.append(' ').append(m.equals(r.kernel().errno()) ? m : "**" + m + "**")
                        .append(" |");
            }
            sb.append(' ').append(r.same() ? "none" : r.explanation() != null ? r.explanation()
                    : "**unexplained**").append(" |\n");
        }
        sb.append("\nThe inputs:\n\n");
        for (BadInput in : BadInput.all()) {
            sb.append("- `").append(in.id()).append("`: ").append(in.description()).append('\n');
        }
        sb.append('\n').append(t.unexplained() == 0 ? "Every difference is explained."
                : t.unexplained() + " difference(s) unexplained.").append('\n');
        return sb.toString();
    }

    private static Json.Obj json(ErrnoParity.Table t) {
        List<Object> rows = new ArrayList<>();
        for (ErrnoParity.Row r : t.rows()) {
            Json.Obj model = Json.obj();
            r.model().forEach((k, v) -> model.put(String.valueOf(k), v));
            rows.add(Json.obj().put("input", r.input().id())
                    .put("description", r.input().description())
                    .put("tables", new ArrayList<>(r.tables()))
                    .put("kernel", Json.obj().put("errno", r.kernel().errno())
                            .put("function", r.kernel().function()))
                    .put("model", model).put("same", r.same())
                    .put("explanation", r.explanation()));
        }
        return Json.obj().put("arch", t.arch().cliName()).put("stages", new ArrayList<>(t.stages()))
                .put("unexplained", t.unexplained()).put("rows", rows);
    }

    /** The architecture the docs are generated for. */
    static Arch docsArch() {
        return Arch.X86_64;
    }
}
