package vfiowb.workbench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.workbench.capacity.Bytes;
import vfiowb.workbench.capacity.CapacityJson;
import vfiowb.workbench.capacity.FileLayout;
import vfiowb.workbench.capacity.LayoutSvg;
import vfiowb.workbench.capacity.Layouts;
import vfiowb.workbench.capacity.Reach;
import vfiowb.workbench.capacity.Region;
import vfiowb.workbench.json.Json;

/** {@code layout}: the pgoff space of a device file, as a table and as an SVG picture. */
@Command(name = "layout", mixinStandardHelpOptions = true, versionProvider = Workbench.Version.class,
        description = {"Show the pgoff space of each named device's file after a QEMU-style probe "
                + "(GET_INFO, then REGION_INFO of every index, re-asked while argsz grows) on a "
                + "fresh boot of the stage: each region with bytes by offset, with its index, "
                + "start, length, the alignment of its start, and the gaps between; how far "
                + "pread/pwrite and mmap reach into it (one byte or page at a time, measured); "
                + "and each region that runs past another region's offset (a fixed layout too "
                + "small for it).",
            "Stages 1 and 2 show the fixed index << 40 layout, stage 3 on the cookie tree's "
                + "under --policy. --stage all shows every stage. --svg FILE also draws it."},
        footerHeading = "%nJSON (--format json):%n",
        footer = {
            "{\"arch\", \"policy\", \"layouts\": [{\"stage\", \"module\", \"arch\", \"policy\" (knobs",
            "   the stage honours that differ from the default), \"device\", \"driver\", \"opsTable\",",
            "   \"error\" (no driver at this stage, open failed) or null, \"slotShift\" (s of a fixed",
            "   layout index << s, or null), \"offSlot\": [index...], \"extent\", \"regionBytes\",",
            "   \"gapBytes\", \"cookieRanges\" (the file's tree, or null),",
            "   \"regions\": [{\"index\", \"name\", \"flags\", \"flagNames\", \"size\", \"offset\",",
            "       \"alignment\" (null at offset 0), \"mmapAreas\": [{\"offset\", \"size\"}],",
            "       \"rw\", \"mmap\": {\"kind\" (all|part|none|-), \"bytes\", \"offered\", \"detail\"}}",
            "     or {\"index\", \"name\", \"errno\"}],",
            "   \"segments\": [{\"kind\" (region|gap), \"start\", \"length\", \"index\", \"name\"}],",
            "   \"overlaps\": [{\"index\", \"name\", \"into\", \"intoName\", \"at\"}]}]}",
            "Offsets and lengths are hex strings."})
final class LayoutCommand extends AbstractCommand {
    @Mixin
    Options.StageOption stage;
    @Mixin
    Options.PolicyOption policy;
    @Mixin
    Options.ArchOption arch;
    @Mixin
    Options.DeviceOption device;
    @Mixin
    Options.TextOrJson format;

    @Option(names = "--svg", paramLabel = "FILE",
            description = "Also write the layouts as an SVG picture to FILE.")
    Path svg;

    @Override
    public Integer call() {
        Format f = format.get();
        List<Stage> stages = stage.resolve(true);
        Arch a = arch.resolve();
        SeriesPolicy p = policy.resolve();
        List<DeviceSpec> devices = device.resolve(a);
        if (devices.isEmpty()) {
            throw new UserError("name at least one --device or --sysfs ('devices' lists the "
                    + "catalogue)");
        }
        if (svg != null && Files.isDirectory(svg)) {
            throw new UserError("--svg " + svg + ": is a directory");
        }
        List<FileLayout> layouts = new ArrayList<>();
        for (Stage s : stages) {
            for (DeviceSpec d : devices) {
                layouts.add(Layouts.probe(s, a, p, d));
            }
        }
        if (svg != null) {
            try {
                Files.writeString(svg, LayoutSvg.document(layouts), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UserError("--svg " + svg + ": cannot write (" + e.getMessage() + ")");
            }
        }
        if (f == Format.JSON) {
            List<Object> out = new ArrayList<>();
            layouts.forEach(l -> out.add(CapacityJson.layout(l)));
            out().println(Json.pretty(Json.obj().put("arch", a.cliName()).put("policy", p.toString())
                    .put("layouts", out)));
            return 0;
        }
        PrintWriter out = out();
        boolean first = true;
        for (FileLayout l : layouts) {
            if (!first) {
                out.println();
            }
            first = false;
            text(out, l);
        }
        if (svg != null) {
            out.println();
            out.println("picture written to " + svg);
        }
        return 0;
    }

    private void text(PrintWriter out, FileLayout l) {
        out.println(style().bold("pgoff space of " + l.device() + "'s file") + " at stage "
                + l.stage() + " (" + l.module() + ") on " + l.arch().cliName() + ", policy "
                + l.policyLabel());
        if (!l.ok()) {
            out.println("  " + style().note(l.error()));
            return;
        }
        OptionalInt shift = l.slotShift();
        List<Region> off = l.offSlot();
        out.println("  " + (shift.isPresent() ? "fixed layout: region i at i << " + shift.getAsInt()
                + (off.isEmpty() ? "" : "; placed elsewhere: " + names(off))
                : "no fixed slots: each region placed by the layout policy"));
        out.println(String.format("  %-5s %-10s %-18s %-18s %-18s %-9s %-5s %s", "index", "region",
                "start", "end", "length", "align", "rw", "mmap"));
        for (FileLayout.Segment s : l.segments()) {
            if (s.gap()) {
                out.println(style().dim(String.format("  %-5s %-10s %-18s %-18s %s", "", "gap",
                        Bytes.hex(s.start()), Bytes.hex(s.end()), Bytes.human(s.length()))));
                continue;
            }
            Region r = l.region(s.index());
            out.println(String.format("  %-5d %-10s %-18s %-18s %-18s %-9s %-5s %s", r.index(),
                    r.name(), Bytes.hex(r.offset()), Bytes.hex(r.end()), Bytes.human(r.size()),
                    Bytes.alignmentText(r.offset()), word(r.rw()), word(r.mmap())));
        }
        for (Region r : l.withBytes()) {
            if (shortOf(r.rw())) {
                out.println("  " + style().fail(r.name() + ": read/write reach " + r.rw().text()));
            }
            if (shortOf(r.mmap())) {
                out.println("  " + style().fail(r.name() + ": mmap reaches " + r.mmap().text()));
            }
        }
        for (FileLayout.Overlap v : l.overlaps()) {
            out.println("  " + style().fail(v.text(l.region(v.index()).end())));
        }
        List<String> empty = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Region r : l.regions()) {
            if (r.errno() != null) {
                failed.add(r.name() + " " + r.errno());
            } else if (r.size() == 0) {
                empty.add(r.name() + " at " + Bytes.hex(r.offset()));
            }
        }
        if (!empty.isEmpty()) {
            out.println("  no bytes: " + String.join(", ", empty));
        }
        if (!failed.isEmpty()) {
            out.println("  REGION_INFO failed: " + String.join(", ", failed));
        }
        out.println("  spends " + Bytes.human(l.extent()) + " (" + Bytes.hex(l.extent())
                + "): regions " + Bytes.human(l.regionBytes()) + ", gaps "
                + Bytes.human(l.gapBytes())
                + (l.cookieRanges() >= 0 ? "; the file's cookie tree holds " + l.cookieRanges()
                        + " ranges" : ""));
    }

    private static boolean shortOf(Reach r) {
        return r != null && r.cutShort();
    }

    private static String word(Reach r) {
        return r == null ? "" : r.kind().word();
    }

    private static String names(List<Region> rs) {
        List<String> n = new ArrayList<>();
        rs.forEach(r -> n.add(r.name()));
        return String.join(", ", n);
    }
}
