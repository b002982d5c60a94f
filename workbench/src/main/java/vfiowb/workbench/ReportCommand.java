package vfiowb.workbench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.workbench.json.Json;
import vfiowb.workbench.report.Diffstat;
import vfiowb.workbench.report.HtmlReport;
import vfiowb.workbench.series.Repo;

/** {@code report}: the whole workbench on one self-contained HTML page. */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = Workbench.Version.class,
        description = {"Write DIR/report.html: one self-contained page (inline styles and SVG, no "
                + "script, nothing fetched) with the stages, the rules and their teeth (each "
                + "rule on the stage before the one that introduces it), the conformance matrix "
                + "with the differences between adjacent stages, the Linux 6.12 replay on every "
                + "stage, the pgoff layouts drawn, the capacity tables, the write-combining "
                + "variants side by side and the diffstats of series/. It renders what stages, "
                + "rules, conform, layout, capacity and wc --compare print.",
            "Takes a few minutes: it runs every rule on every stage and the whole conformance "
                + "suite."},
        footerHeading = "%n",
        footer = {"The page is well-formed XHTML; open it in any browser, offline."})
final class ReportCommand extends AbstractCommand {
    /** The devices drawn and measured when none is named: the thread's cases. */
    static final List<String> DEFAULT_DEVICES = List.of("nic-vf", "gpu-64g", "cxl-2t", "ivshmem-1t");

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Directory to write report.html into (created if missing).")
    Path out;

    @Option(names = "--arch", paramLabel = "ARCH",
            description = "Architecture of the capacity tables (repeatable; default x86_64 and "
                    + "i386); the first one also runs the conformance suite and the layouts.")
    List<String> arches = new ArrayList<>();

    @Option(names = "--device", paramLabel = "NAME",
            description = "A catalogue device to draw, measure and run the conformance suite on "
                    + "(repeatable; default: " + "nic-vf, gpu-64g, cxl-2t and ivshmem-1t drawn and "
                    + "measured, the whole catalogue in the conformance matrix).")
    List<String> devices = new ArrayList<>();

    @Option(names = "--repo", paramLabel = "DIR", description = "The repository whose series/ to "
            + "read (default: the nearest directory upward from here whose pom.xml lists the "
            + "stage modules; without one the page says so).")
    Path repo;

    @Override
    public Integer call() {
        List<Arch> as = new ArrayList<>();
        for (String a : arches) {
            Arch arch = Arch.byCliName(a);
            if (arch == null) {
                throw new UserError("unknown arch '" + a + "' (" + String.join(", ",
                        Options.archNames()) + ")");
            }
            if (!as.contains(arch)) {
                as.add(arch);
            }
        }
        if (as.isEmpty()) {
            as = List.of(Arch.X86_64, Arch.I386);
        }
        List<DeviceSpec> named = new ArrayList<>();
        for (String d : devices) {
            DeviceSpec s = Options.device(d);
            if (named.contains(s)) {
                throw new UserError("device '" + d + "' named twice");
            }
            named.add(s);
        }
        List<DeviceSpec> drawn = named;
        if (drawn.isEmpty()) {
            drawn = DEFAULT_DEVICES.stream().map(Options::device).toList();
        }
        List<Diffstat.Patch> series = null;
        Repo found = null;
        if (repo != null) {
            found = Repo.resolve(repo);
        } else {
            try {
                found = Repo.resolve(null);
            } catch (UserError e) {
                found = null;
            }
        }
        if (found != null) {
            series = Diffstat.of(found.seriesDir());
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserError("--out " + out + ": not a directory");
        }
        Path file = out.resolve("report.html");
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UserError("--out " + out + ": cannot create (" + e.getMessage() + ")");
        }
        String version = new Workbench.Version().getVersion()[0];
        String html = HtmlReport.render(new HtmlReport.Inputs(Options.stages(), as, drawn, named,
                series, found == null ? null : found.root(), version), ReportCommand::json);
        try {
            Files.writeString(file, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("--out " + out + ": cannot write (" + e.getMessage() + ")");
        }
        out().println("wrote " + file);
        return 0;
    }

    /**
     * Runs a command of this workbench in-process and parses what it printed; a usage error or
     * a bug in it is a bug of the report.
     */
    static Map<String, Object> json(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Workbench.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(o),
                new PrintWriter(e), false, args);
        if (code == Workbench.USAGE || code == Workbench.INTERNAL) {
            throw new IllegalStateException("report: '" + String.join(" ", args) + "' exited "
                    + code + ": " + e);
        }
        return Json.parseObject(o.toString());
    }
}
