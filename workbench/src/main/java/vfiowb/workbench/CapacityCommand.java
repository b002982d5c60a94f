package vfiowb.workbench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.workbench.capacity.Bytes;
import vfiowb.workbench.capacity.Capacity;
import vfiowb.workbench.capacity.CapacityJson;
import vfiowb.workbench.capacity.PageTables;
import vfiowb.workbench.capacity.Policies;
import vfiowb.workbench.capacity.Reach;
import vfiowb.workbench.capacity.Region;
import vfiowb.workbench.json.Json;

/** {@code capacity}: reach, pgoff space and page-table entries per stage and policy. */
@Command(name = "capacity", mixinStandardHelpOptions = true, versionProvider = Workbench.Version.class,
        description = {"Measure, for each stage (default: all) and policy, on one arch, for each "
                + "named device: which regions pread/pwrite and mmap reach (on i386 mmap stops "
                + "at the 4 GiB device-file offset), the pgoff space the file's layout spends "
                + "and how much of it alignment costs (against the same policy with "
                + "align=none), and the page-table entries (PTE, PMD, PUD) that map each "
                + "mappable region once every page is touched, against the minimum: the size in "
                + "the largest huge entries the arch can install, the rest in smaller ones.",
            "Without --policy: the default; layout=packed with align=search, oversize and "
                + "none; keys=bytes; placement=pmd and placement=page. Policies a stage cannot "
                + "tell apart give one row. --policy may be repeated.",
            "Entries marked * were partly counted rather than faulted: once two consecutive "
                + "PMD- or PUD-sized pieces of a mapping took the same entries and the rest would "
                + "take over 262,144 faults, the last piece is touched too and, if it matches, "
                + "the pieces between are counted as copies."},
        footerHeading = "%nJSON (--format json):%n",
        footer = {
            "{\"arch\", \"rows\": [{\"stage\", \"policy\" (knobs differing from the default),",
            "   \"effectivePolicy\", \"device\", \"error\" (no driver, open failed) or null,",
            "   \"spent\", \"alignment\" (null before the align knob), \"cookieRanges\",",
            "   \"regions\": [{\"index\", \"name\", \"size\", \"offset\",",
            "       \"rw\", \"mmap\": {\"kind\" (all|part|none|-), \"bytes\", \"offered\", \"detail\"},",
            "       \"pageTables\": {\"pte\", \"pmd\", \"pud\", \"total\", \"faults\",",
            "          \"minimum\": {\"pte\", \"pmd\", \"pud\", \"total\"}, \"inferredBytes\",",
            "          \"failure\"} or null (no mmap)}],",
            "   \"noRegionInfo\": [{\"index\", \"name\", \"errno\"}]}]}",
            "Offsets and byte counts are hex strings; entry counts are numbers."})
final class CapacityCommand extends AbstractCommand {
    @Mixin
    Options.StageOption stage;
    @Mixin
    Options.ArchOption arch;
    @Mixin
    Options.DeviceOption device;
    @Mixin
    Options.TextOrJson format;

    @Option(names = "--policy", paramLabel = "KNOB=VALUE[,...]",
            description = "A policy to measure (repeatable; knobs as for walk: create, layout, "
                    + "align, keys, placement). Default: the set above.")
    List<String> policies = new ArrayList<>();

    @Override
    public Integer call() {
        Format f = format.get();
        List<Stage> stages = stage.stage == null ? Options.stages() : stage.resolve(true);
        Arch a = arch.resolve();
        List<DeviceSpec> devices = device.resolve();
        if (devices.isEmpty()) {
            throw new UserError("name at least one --device or --sysfs ('devices' lists the "
                    + "catalogue)");
        }
        List<SeriesPolicy> ps = new ArrayList<>();
        for (String p : policies) {
            try {
                ps.add(SeriesPolicy.parse(p));
            } catch (IllegalArgumentException e) {
                throw new UserError("--policy: " + e.getMessage());
            }
        }
        if (ps.isEmpty()) {
            ps = Policies.compared();
        }
        Capacity.Table t = Capacity.compute(a, devices, stages, ps);
        if (f == Format.JSON) {
            out().println(Json.pretty(CapacityJson.table(t)));
            return 0;
        }
        text(out(), t, stages);
        return 0;
    }

    private void text(PrintWriter out, Capacity.Table t, List<Stage> stages) {
        Arch a = t.arch();
        out.println(style().bold("capacity on " + a.cliName()) + ": entries when every page is "
                + "touched; minimum = the size in " + levels(a) + " entries");
        List<String> notes = new ArrayList<>();
        boolean inferred = false;
        for (Stage s : stages) {
            out.println();
            out.println(style().bold("stage " + s.number()) + " (" + s.module() + ")");
            out.println(String.format("  %-28s %-14s %-8s %-14s %-10s %-10s %9s %7s %6s %-16s %s",
                    "policy", "device", "region", "size", "rw", "mmap", "PTE", "PMD", "PUD",
                    "minimum", "pgoff spent (alignment)"));
            for (Capacity.Row r : t.stage(s.number())) {
                if (r.error() != null) {
                    out.println(String.format("  %-28s %-14s %s", r.policyLabel(), r.device(),
                            style().note(r.error())));
                    continue;
                }
                String spent = Bytes.human(r.spentBytes()) + (r.alignmentBytes() < 0 ? ""
                        : " (" + Bytes.human(r.alignmentBytes()) + ")");
                boolean firstLine = true;
                for (Capacity.RegionCapacity c : r.regions()) {
                    PageTables pt = c.pageTables();
                    String pte = "";
                    String pmd = "";
                    String pud = "";
                    String min = "";
                    if (pt != null && pt.ok()) {
                        boolean star = pt.inferredBytes() > 0;
                        inferred |= star;
                        pte = count(pt.pte(), star);
                        pmd = count(pt.pmd(), star);
                        pud = count(pt.pud(), star);
                        min = pt.minimum().text();
                    } else if (pt != null) {
                        pte = "-";
                        min = pt.minimum().text();
                        notes.add("stage " + s.number() + " " + r.policyLabel() + " " + r.device()
                                + " " + c.name() + ": page tables not measured: " + pt.failure());
                    }
                    out.println(String.format("  %-28s %-14s %-8s %-14s %-10s %-10s %9s %7s %6s %-16s %s",
                            firstLine ? r.policyLabel() : "", firstLine ? r.device() : "",
                            c.name(), Bytes.human(c.size()), cell(c.rw()), cell(c.mmap()), pte, pmd,
                            pud, min, firstLine ? spent : "").stripTrailing());
                    firstLine = false;
                    note(notes, s, r, c.name(), "read/write", c.rw());
                    note(notes, s, r, c.name(), "mmap", c.mmap());
                }
                if (firstLine) {
                    out.println(String.format("  %-28s %-14s %s", r.policyLabel(), r.device(),
                            "no region with bytes; pgoff spent " + spent));
                }
                for (Region g : r.layout().regions()) {
                    if (g.errno() != null && !"EINVAL".equals(g.errno())) {
                        notes.add("stage " + s.number() + " " + r.policyLabel() + " " + r.device()
                                + " " + g.name() + ": REGION_INFO " + g.errno());
                    }
                }
            }
        }
        if (inferred) {
            out.println();
            out.println("* partly counted from identical pieces of the mapping, measured before "
                    + "and after, instead of faulted (see --help)");
        }
        if (!notes.isEmpty()) {
            out.println();
            out.println("where a region is not wholly reachable:");
            notes.forEach(n -> out.println("  " + n));
        }
    }

    private static void note(List<String> notes, Stage s, Capacity.Row r, String region,
            String what, Reach reach) {
        if (reach.kind() == Reach.Kind.PARTIAL || reach.kind() == Reach.Kind.NONE) {
            notes.add("stage " + s.number() + " " + r.policyLabel() + " " + r.device() + " "
                    + region + ": " + what + " " + reach.text());
        }
    }

    /** An entry count, starred where part of it was counted rather than faulted. */
    private static String count(long n, boolean star) {
        return n + (star && n != 0 ? "*" : "");
    }

    /** {@code all}, {@code none}, {@code -}, or the reachable prefix's length. */
    private static String cell(Reach r) {
        return r.kind() == Reach.Kind.PARTIAL ? Bytes.human(r.bytes()) : r.kind().word();
    }

    private static String levels(Arch a) {
        List<String> l = new ArrayList<>();
        if (a.hugePudPfnmap()) {
            l.add(Bytes.human(a.pudSize()) + " PUD");
        }
        if (a.hugePmdPfnmap()) {
            l.add(Bytes.human(a.pmdSize()) + " PMD");
        }
        l.add(Bytes.human(a.pageSize()) + " PTE");
        return String.join(", then ", l);
    }
}
