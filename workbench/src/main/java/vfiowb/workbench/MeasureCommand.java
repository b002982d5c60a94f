package vfiowb.workbench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.workbench.json.Json;
import vfiowb.workbench.measure.Repetition;

/** {@code measure}: measurements that are not tests (they take seconds to minutes). */
@Command(name = "measure", mixinStandardHelpOptions = true,
        versionProvider = Workbench.Version.class,
        description = {"Measurements too long for a unit test, reported with their verdicts "
                + "(docs/lifetime.md)."},
        subcommands = {MeasureCommand.Repeat.class})
final class MeasureCommand extends AbstractCommand {
    @Override
    public Integer call() {
        throw new UserError("name a measurement: repeat (see 'vfio-workbench measure --help')");
    }

    /** {@code measure repeat}: repetition leaves heap and tree sizes flat. */
    @Command(name = "repeat", mixinStandardHelpOptions = true,
            versionProvider = Workbench.Version.class,
            description = {"Repeat REGION_INFO on one file (--calls times, every region index in "
                    + "turn, as QEMU asks: the 32-byte head, then the argsz it was told), then "
                    + "open / GET_INFO / REGION_INFO of every region / mmap of one page of the "
                    + "first mappable region / a load / munmap / close cycles (--cycles times), "
                    + "sampling at --samples intervals the heap after System.gc(), the file's "
                    + "tree of mmap cookies (stage 3 on), the VMAs of the device's address space "
                    + "and of the process, the page-table entries and the open descriptors.",
                "Flat: every count the same at every sample, no file released with cookies left, "
                        + "and the heap grown by at most --heap-tolerance from first to last "
                        + "sample. Defaults: the last stage, nic-vf, x86_64, the default policy, "
                        + "1000000 calls, 100000 cycles, 10 samples, 1 MiB."},
            footerHeading = "%nJSON (--format json):%n",
            footer = {
                "{\"arch\", \"policy\", \"flat\", \"runs\": [{\"stage\", \"device\", \"flat\", \"series\": [",
                "  {\"name\", \"operations\", \"flat\", \"heapFlat\", \"countsFlat\", \"heapGrowth\",",
                "   \"heapGrowthPerOp\", \"releasedWithCookies\", \"outcomes\": {\"CALL OUTCOME\": n},",
                "   \"samples\": [{\"done\", \"heap\", \"cookies\", \"deviceVmas\", \"processVmas\",",
                "                \"pageTableEntries\", \"openFds\"}]}]}]}",
                "cookies is -1 where the stage's files have no tree (stages 1 and 2).",
                "Exit code 1 when a series is not flat, else 0."})
    static final class Repeat extends AbstractCommand {
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

        @Option(names = "--calls", paramLabel = "N", description = "REGION_INFO calls on one "
                + "file (default: 1000000).")
        long calls = 1_000_000;

        @Option(names = "--cycles", paramLabel = "N", description = "Open-to-close cycles "
                + "(default: 100000).")
        long cycles = 100_000;

        @Option(names = "--samples", paramLabel = "N", description = "Samples per series after "
                + "the first (default: 10).")
        int samples = 10;

        @Option(names = "--heap-tolerance", paramLabel = "MIB", description = "Heap growth "
                + "from the first to the last sample still called flat, in MiB (default: 1).")
        long heapToleranceMib = Repetition.DEFAULT_HEAP_TOLERANCE >> 20;

        @Override
        public Integer call() {
            Format f = format.get();
            if (calls < 0 || cycles < 0) {
                throw new UserError("--calls and --cycles take a count of 0 or more");
            }
            if (samples < 1 || samples > 10_000) {
                throw new UserError("--samples takes 1 to 10000, not " + samples);
            }
            if (heapToleranceMib < 0 || heapToleranceMib > 1 << 20) {
                throw new UserError("--heap-tolerance takes 0 to 1048576 MiB");
            }
            if (!device.sysfs.isEmpty()) {
                throw new UserError("measure repeat takes a catalogue device (--device)");
            }
            List<Stage> stages = stage.resolve(true);
            Arch a = arch.resolve();
            SeriesPolicy pol = policy.resolve();
            DeviceSpec d = device.single("nic-vf", a);
            for (Stage s : stages) {
                if (!Hosts.binds(s, a, d)) {
                    throw new UserError("stage " + s.number() + " has no driver for " + d.name());
                }
            }
            PrintWriter out = out();
            if (f == Format.TEXT) {
                out.println(style().bold("measure repeat") + " " + d.name() + ", " + a.cliName()
                        + (policy.given() ? ", policy " + pol : "") + ": " + calls
                        + " REGION_INFO calls, " + cycles + " cycles, " + samples + " samples, "
                        + "heap tolerance " + heapToleranceMib + " MiB");
                out.flush();
            }
            boolean flat = true;
            List<Object> runs = new ArrayList<>();
            for (Stage s : stages) {
                Repetition.Result r = Repetition.run(s, a, pol, d, calls, cycles, samples,
                        Repetition::heapAfterGc, heapToleranceMib << 20);
                flat &= r.flat();
                if (f == Format.TEXT) {
                    text(r);
                    out.flush();
                } else {
                    runs.add(json(r));
                }
            }
            if (f == Format.JSON) {
                out.println(Json.pretty(Json.obj().put("arch", a.cliName())
                        .put("policy", pol.toString()).put("flat", flat).put("runs", runs)));
            }
            return flat ? 0 : Workbench.CHECK_FAILED;
        }

        private void text(Repetition.Result r) {
            PrintWriter out = out();
            out.println();
            out.println(style().bold("stage " + r.stage()) + "  " + r.device() + "  "
                    + (r.flat() ? style().pass("FLAT") : style().fail("GROWS")));
            for (Repetition.Series s : List.of(r.regionInfo(), r.cycles())) {
                out.printf("  %s, %,d: %s%n", s.name(), s.operations(),
                        s.flat() ? style().pass("flat") : style().fail("not flat"));
                out.printf("    heap %s (%+.3f bytes per operation; tolerance %s)%s%n",
                        signedMib(s.heapGrowth()), s.heapGrowthPerOp(), mib(s.heapToleranceBytes()),
                        s.heapFlat() ? "" : "  " + style().fail("grows"));
                out.printf("    %-10s %12s %8s %10s %11s %10s %5s%n", "done", "heap", "cookies",
                        "device VMAs", "process VMAs", "PT entries", "fds");
                for (Repetition.Sample x : s.samples()) {
                    out.printf("    %-10d %12s %8s %10d %11d %10d %5d%n", x.done(),
                            mib(x.heapBytes()), x.cookies() < 0 ? "-" : String.valueOf(x.cookies()),
                            x.deviceVmas(), x.processVmas(), x.pageTableEntries(), x.openFds());
                }
                if (!s.countsFlat()) {
                    out.println("    " + style().fail("counts change between samples")
                            + (s.releasedWithCookies() > 0 ? "; " + s.releasedWithCookies()
                                    + " files released with cookies left" : ""));
                }
                out.println("    calls: " + outcomes(s.outcomes()));
            }
        }

        private static String outcomes(Map<String, Long> o) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, Long> e : new TreeMap<>(o).entrySet()) {
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(e.getKey()).append(' ').append(String.format("%,d", e.getValue()));
            }
            return sb.toString();
        }

        private static String mib(long bytes) {
            return String.format("%.2f MiB", bytes / 1048576.0);
        }

        private static String signedMib(long bytes) {
            return String.format("%+.2f MiB", bytes / 1048576.0);
        }

        private static Json.Obj json(Repetition.Result r) {
            List<Object> series = new ArrayList<>();
            for (Repetition.Series s : List.of(r.regionInfo(), r.cycles())) {
                List<Object> samples = new ArrayList<>();
                for (Repetition.Sample x : s.samples()) {
                    samples.add(Json.obj().put("done", x.done()).put("heap", x.heapBytes())
                            .put("cookies", x.cookies()).put("deviceVmas", x.deviceVmas())
                            .put("processVmas", x.processVmas())
                            .put("pageTableEntries", x.pageTableEntries())
                            .put("openFds", x.openFds()));
                }
                Json.Obj outcomes = Json.obj();
                new TreeMap<>(s.outcomes()).forEach(outcomes::put);
                series.add(Json.obj().put("name", s.name()).put("operations", s.operations())
                        .put("flat", s.flat()).put("heapFlat", s.heapFlat())
                        .put("countsFlat", s.countsFlat()).put("heapGrowth", s.heapGrowth())
                        .put("heapGrowthPerOp", s.heapGrowthPerOp())
                        .put("releasedWithCookies", s.releasedWithCookies())
                        .put("outcomes", outcomes).put("samples", samples));
            }
            return Json.obj().put("stage", r.stage()).put("device", r.device()).put("flat", r.flat())
                    .put("series", series);
        }
    }
}
