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
import vfiowb.workbench.capacity.Capacity;
import vfiowb.workbench.capacity.CapacityCells;
import vfiowb.workbench.capacity.CapacityJson;
import vfiowb.workbench.capacity.Policies;
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
        List<DeviceSpec> devices = device.resolve(a);
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
        out.println(style().bold("capacity on " + t.arch().cliName()) + ": entries when every page "
                + "is touched; minimum = the size in " + CapacityCells.levels(t.arch()) + " entries");
        List<String> notes = new ArrayList<>();
        boolean inferred = false;
        String fmt = "  %-28s %-14s %-8s %-14s %-10s %-10s %9s %7s %6s %-16s %s";
        for (Stage s : stages) {
            out.println();
            out.println(style().bold("stage " + s.number()) + " (" + s.module() + ")");
            out.println(String.format(fmt, CapacityCells.HEADER.toArray()));
            for (Capacity.Row r : t.stage(s.number())) {
                for (List<String> cells : CapacityCells.lines(r)) {
                    if (cells.size() < CapacityCells.HEADER.size()) {
                        out.println(String.format("  %-28s %-14s %s", cells.get(0), cells.get(1),
                                r.error() != null ? style().note(cells.get(2)) : cells.get(2)));
                    } else {
                        out.println(String.format(fmt, cells.toArray()).stripTrailing());
                    }
                }
                notes.addAll(CapacityCells.notes(r));
                inferred |= CapacityCells.inferred(r);
            }
        }
        if (inferred) {
            out.println();
            out.println("* partly counted from identical pieces of the mapping, measured before "
                    + "and after, instead of faulted (see --help)");
        }
        if (!notes.isEmpty()) {
            out.println();
            out.println("where a region is not wholly reachable or measured:");
            notes.forEach(n -> out.println("  " + n));
        }
    }
}
