package vfiowb.workbench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vfiowb.workbench.json.Json;
import vfiowb.workbench.series.Repo;
import vfiowb.workbench.wc.WcCompare;

/** {@code wc --compare}: the three write-combining variants side by side. */
@Command(name = "wc", mixinStandardHelpOptions = true, versionProvider = Workbench.Version.class,
        description = {"Compare the write-combining variants of stage 5 (issue 14: wc-cookie, "
                + "wc-alias, wc-dmabuf; docs/wc.md). Every entry is computed: the uAPI each adds "
                + "(counted from its vfio.h definitions), the system calls from open to the first "
                + "WC store (a minimal client, counted), whether QEMU (on the IGD) and qatlib (on "
                + "the QAT VF) notice another file's WC mapping, revocation of every WC mapping of "
                + "two files on reset and memory disable, what REGION_INFO and /proc/PID/maps say "
                + "of the mapping, the pgoff space it takes, 32-bit reach, per-file isolation, the "
                + "protection the DPDK client's LLQ mapping gets on x86_64 and arm64, and the lines "
                + "of the variant's patch in series/ (found from the current directory upward, or "
                + "--repo)."},
        footerHeading = "%nJSON (--format json):%n",
        footer = {
            "{\"variants\": [{\"variant\", \"design\", \"proposer\",",
            "  \"surface\": {\"ioctls\", \"features\", \"structs\", \"flags\", \"capabilities\", \"values\",",
            "              \"headerLines\", \"status\"},",
            "  \"steps\": {\"count\", \"calls\"}, \"oldClients\": {\"qemuUntouched\", \"qemuStillWorks\",",
            "  \"qatlibUntouched\", \"qatlibStillWorks\", \"note\"}, \"revocation\": {\"mappings\",",
            "  \"zappedByReset\", \"refusedAfterMemoryDisable\"}, \"debug\": {\"regionInfo\", \"maps\"},",
            "  \"pgoff\": {\"fileOffset\" (-1: none), \"treeRangesAdded\", \"where\"},",
            "  \"reach32\": {\"legacy\", \"packed\"}, \"isolation\",",
            "  \"pgprot\": {arch: {\"vma\", \"pte\"}}, \"lines\": {\"mainAdded\", \"mainRemoved\",",
            "  \"testAdded\", \"patches\"} (-1: series/ not found)}]}"})
final class WcCommand extends AbstractCommand {
    @Option(names = "--compare", required = true, description = "Print the comparison table.")
    boolean compare;

    @Option(names = "--repo", paramLabel = "DIR", description = "The repository root whose series/ "
            + "holds the variants' patches (default: the nearest one upward from here; without "
            + "one the line counts are -1).")
    Path repo;

    @Mixin
    Options.TextJsonOrMarkdown format;

    @Override
    public Integer call() {
        Format f = format.get();
        Path root = repo != null ? Repo.at(repo).root() : findRepo();
        List<WcCompare.Row> rows = WcCompare.compute(root);
        if (rows.isEmpty()) {
            throw new UserError("no write-combining variant on the class path");
        }
        PrintWriter out = out();
        if (f == Format.JSON) {
            List<Object> l = new ArrayList<>();
            rows.forEach(r -> l.add(json(r)));
            out.println(Json.pretty(Json.obj().put("variants", l)));
            return 0;
        }
        List<String[]> table = WcCompare.table(rows);
        if (f == Format.MARKDOWN) {
            StringBuilder head = new StringBuilder("| |");
            StringBuilder rule = new StringBuilder("|---|");
            for (WcCompare.Row r : rows) {
                head.append(" `").append(r.variant()).append("` |");
                rule.append("---|");
            }
            out.println("## Write-combining variants of stage 5");
            out.println();
            out.println(head);
            out.println(rule);
            for (String[] line : table) {
                StringBuilder sb = new StringBuilder("| " + line[0] + " |");
                for (int i = 1; i < line.length; i++) {
                    sb.append(' ').append(line[i].replace("|", "\\|")).append(" |");
                }
                out.println(sb);
            }
            return 0;
        }
        out.println(style().bold("write-combining variants of stage 5") + " (docs/wc.md)");
        for (WcCompare.Row r : rows) {
            out.println("  " + style().bold(r.variant()) + ": " + r.design() + " (" + r.proposer() + ")");
        }
        out.println();
        for (String[] line : table) {
            out.println(style().bold(line[0]));
            for (int i = 1; i < line.length; i++) {
                out.printf("  %-10s %s%n", rows.get(i - 1).variant(), line[i]);
            }
        }
        return 0;
    }

    private static Path findRepo() {
        try {
            return Repo.find(Path.of(System.getProperty("user.dir"))).root();
        } catch (UserError e) {
            return null;
        }
    }

    static Json.Obj json(WcCompare.Row r) {
        WcCompare.Surface s = r.surface();
        Json.Obj pg = Json.obj();
        r.pgprot().forEach((a, p) -> pg.put(a, Json.obj().put("vma", p.vma()).put("pte", p.pte())));
        return Json.obj().put("variant", r.variant()).put("design", r.design()).put("proposer", r.proposer())
                .put("surface", Json.obj().put("ioctls", s.ioctls()).put("features", s.features())
                        .put("structs", s.structs()).put("flags", s.flags()).put("capabilities", s.capabilities())
                        .put("values", s.values()).put("headerLines", s.headerLines()).put("status", s.status()))
                .put("steps", Json.obj().put("count", r.steps().count()).put("calls", r.steps().calls()))
                .put("oldClients", Json.obj().put("qemuUntouched", r.oldClients().qemuUntouched())
                        .put("qemuStillWorks", r.oldClients().qemuStillWorks())
                        .put("qatlibUntouched", r.oldClients().qatlibUntouched())
                        .put("qatlibStillWorks", r.oldClients().qatlibStillWorks())
                        .put("note", r.oldClients().note()))
                .put("revocation", Json.obj().put("mappings", r.revocation().mappings())
                        .put("zappedByReset", r.revocation().zappedByReset())
                        .put("refusedAfterMemoryDisable", r.revocation().refusedAfterMemoryDisable()))
                .put("debug", Json.obj().put("regionInfo", r.debug().regionInfo()).put("maps", r.debug().maps()))
                .put("pgoff", Json.obj().put("fileOffset", r.pgoff().fileOffset() < 0 ? -1L
                        : (Object) Json.hex(r.pgoff().fileOffset()))
                        .put("treeRangesAdded", r.pgoff().treeRangesAdded()).put("where", r.pgoff().where()))
                .put("reach32", Json.obj().put("legacy", r.reach32().legacy()).put("packed", r.reach32().packed()))
                .put("isolation", r.isolation())
                .put("pgprot", pg)
                .put("lines", Json.obj().put("mainAdded", r.lines().mainAdded())
                        .put("mainRemoved", r.lines().mainRemoved()).put("testAdded", r.lines().testAdded())
                        .put("patches", r.lines().patches()));
    }
}
