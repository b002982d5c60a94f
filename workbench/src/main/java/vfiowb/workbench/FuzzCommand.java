package vfiowb.workbench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.workbench.fuzz.Campaign;
import vfiowb.workbench.fuzz.Fuzzer;
import vfiowb.workbench.fuzz.ReplayScript;
import vfiowb.workbench.json.Json;

/** {@code fuzz}: seeded random system calls against stages, with invariants after every one. */
@Command(name = "fuzz", mixinStandardHelpOptions = true, versionProvider = Workbench.Version.class,
        description = {"Drive a stage with seeded random system calls on a device: ioctls near and "
                + "far from the VFIO range with any argsz and index and truncated or oversized "
                + "buffers, preads and pwrites at any offset including past 2^63, mmaps with every "
                + "prot and flag mix, loads and stores in and out of mappings, munmap and close in "
                + "any order, resets and memory disable in between, several files of the device. "
                + "After every operation it checks that the outcome is success, an errno the kernel "
                + "gives for that call, a signal, or a named upstream kernel bug the model "
                + "reproduces (never an exception out of the model); that "
                + "no mapping reaches memory outside its region's backing; that a reset or memory "
                + "disable leaves no BAR mapping in place; and that a closed file, once unmapped, "
                + "is released with an empty cookie tree. With --stage all it also compares "
                + "adjacent stages: the same seed gives the same outcomes, regions compared by "
                + "index, except where conform's declarations say a patch changes them.",
            "On a failure: the seed, the operation, the invariant, and the shortest failing "
                + "prefix as a scenario script that 'run' replays (on stdout, or in --emit FILE). "
                + "Defaults: the last stage, seed 1, 10000 operations, every catalogue device the "
                + "stage binds, x86_64, the default policy."},
        footerHeading = "%nJSON (--format json):%n",
        footer = {
            "{\"seed\", \"ops\", \"arch\", \"stages\": [n...], \"passed\", \"kernelBugs\": [line...],",
            " \"devices\": [{\"device\", \"passed\", \"runs\": [{\"stage\", \"ops\", \"outcomes\": {\"CALL OUTCOME\": n},",
            "    \"violation\": {\"op\", \"invariant\", \"message\"} or null}],",
            "   \"difference\": {\"from\", \"to\", \"op\", \"before\", \"after\"} or null, \"script\" or null}]}",
            "Exit code 1 when an invariant breaks or adjacent stages differ undeclared; else 4 when",
            "an upstream kernel bug the model reproduces was reached; else 0."})
final class FuzzCommand extends AbstractCommand {
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

    @Option(names = "--seed", paramLabel = "S", description = "The seed (default: 1).")
    long seed = 1;

    @Option(names = "--ops", paramLabel = "K", description = "Operations per device and stage "
            + "(default: 10000).")
    int ops = 10_000;

    @Option(names = "--emit", paramLabel = "FILE", description = "Write the failing prefix's "
            + "scenario script to FILE instead of standard output.")
    Path emit;

    @Override
    public Integer call() {
        Format f = format.get();
        if (ops < 1) {
            throw new UserError("--ops takes a positive count, not " + ops);
        }
        List<Stage> stages = stage.resolve(true);
        Arch a = arch.resolve();
        SeriesPolicy pol = policy.resolve();
        List<DeviceSpec> given = device.resolve(a);
        if (!device.sysfs.isEmpty()) {
            throw new UserError("fuzz takes catalogue devices (--device); its replay scripts open "
                    + "devices by name");
        }
        List<DeviceSpec> devices = new ArrayList<>();
        for (DeviceSpec d : given.isEmpty() ? DeviceCatalogue.on(a) : given) {
            if (stages.stream().allMatch(s -> Hosts.binds(s, a, d))) {
                devices.add(d);
            } else if (!given.isEmpty()) {
                throw new UserError(stages.stream().filter(s -> !Hosts.binds(s, a, d))
                        .findFirst().orElseThrow().label() + " has no driver for " + d.name());
            }
        }
        PrintWriter out = out();
        if (f == Format.TEXT) {
            out.println(style().bold("fuzz") + " seed " + seed + ", " + ops + " operations per device "
                    + "and stage, " + a.cliName() + (policy.given() ? ", policy " + pol : "")
                    + (stages.size() == 1 && stages.get(0).variant() != null ? ", " + stages.get(0).label()
                            : ", stage" + (stages.size() > 1 ? "s " : " ") + Options.numbers(stages)));
        }
        boolean passed = true;
        java.util.Set<String> bugs = new java.util.TreeSet<>();
        List<Object> json = new ArrayList<>();
        for (DeviceSpec d : devices) {
            Campaign.Result r = Campaign.run(stages, a, pol, d, seed, ops);
            passed &= r.passed();
            for (Campaign.StageRun sr : r.runs()) {
                sr.run().kernelBugs().forEach(b -> bugs.add(KernelBugs.line(b)));
            }
            String script = r.passed() ? null : script(r, a);
            json.add(json(r, script));
            if (f == Format.TEXT) {
                text(r, script);
            }
            if (!r.passed()) {
                break;
            }
        }
        if (f == Format.JSON) {
            List<Integer> numbers = new ArrayList<>();
            stages.forEach(s -> numbers.add(s.number()));
            out.println(Json.pretty(Json.obj().put("seed", seed).put("ops", ops).put("arch", a.cliName())
                    .put("stages", numbers)
                    .put("variant", stages.size() == 1 ? stages.get(0).variant() : null)
                    .put("passed", passed).put("kernelBugs", new ArrayList<>(bugs))
                    .put("devices", json)));
        } else if (!bugs.isEmpty()) {
            out.println(style().note("upstream kernel bugs reached") + " (outcomes the model "
                    + "reproduces on purpose, not failures; docs/kernel-bugs.md):");
            bugs.forEach(b -> out.println("  " + b));
        }
        if (!passed) {
            return Workbench.CHECK_FAILED;
        }
        return bugs.isEmpty() ? 0 : Workbench.KERNEL_BUG;
    }

    private void text(Campaign.Result r, String script) {
        PrintWriter out = out();
        for (Campaign.StageRun sr : r.runs()) {
            Fuzzer.Run run = sr.run();
            out.printf("  %-18s %-8s %6d ops  %s%n", r.device().name(),
                    sr.stage().variant() == null ? "stage " + sr.stage().number() : sr.stage().variant(),
                    run.ops(), run.passed() ? style().pass("PASS") + "  " + summary(run.outcomes())
                            : style().fail("FAIL"));
        }
        if (r.passed()) {
            return;
        }
        Campaign.StageRun bad = r.runs().stream().filter(x -> !x.run().passed()).findFirst()
                .orElse(null);
        PrintWriter err = err();
        if (bad != null) {
            Fuzzer.Violation v = bad.run().violation();
            err.println("fuzz: " + r.device().name() + " at " + bad.stage().label() + ", seed "
                    + r.seed() + ", operation " + v.op() + ": " + v.invariant() + ": " + v.message());
            if (v.trace() != null) {
                err.print(v.trace());
            }
        } else {
            Campaign.Difference d = r.difference();
            err.println("fuzz: " + r.device().name() + ", seed " + r.seed() + ", operation " + d.op()
                    + ": stage " + d.from() + " and stage " + d.to() + " differ, undeclared: '"
                    + d.before() + "' then '" + d.after() + "'");
        }
        emit(script);
    }

    private void emit(String script) {
        if (emit == null) {
            out().print(script);
            return;
        }
        try {
            Files.writeString(emit, script, StandardCharsets.UTF_8);
            err().println("fuzz: the failing prefix is in " + emit);
        } catch (IOException e) {
            throw new UserError("--emit " + emit + ": " + e.getMessage());
        }
    }

    /** The failing prefix as a scenario script, with how to replay it. */
    private String script(Campaign.Result r, Arch a) {
        Campaign.StageRun bad = r.runs().stream().filter(x -> !x.run().passed()).findFirst()
                .orElse(null);
        List<String> header = new ArrayList<>();
        String opts = (a == Arch.X86_64 ? "" : " --arch " + a.cliName())
                + (policy.given() ? " --policy " + policy.resolve() : "");
        header.add("vfio-workbench fuzz --stage " + (r.runs().size() > 1 ? "all"
                : r.runs().get(0).stage().name()) + " --seed " + r.seed() + " --ops " + ops
                + " --device " + r.device().name() + opts);
        Campaign.StageRun base;
        int last;
        String stages;
        if (bad != null) {
            Fuzzer.Violation v = bad.run().violation();
            header.add(bad.stage().label() + ", operation " + v.op() + " broke: "
                    + v.invariant());
            header.add(v.message());
            base = bad;
            last = v.op();
            stages = bad.stage().name();
        } else {
            Campaign.Difference d = r.difference();
            header.add("operation " + d.op() + ": stage " + d.from() + " gave '" + d.before() + "'");
            header.add("and stage " + d.to() + " gave '" + d.after() + "', which no declaration covers");
            header.add("the expectations are stage " + d.from() + "'s: run at stage " + d.to()
                    + " stops there");
            base = r.runs().stream().filter(x -> x.stage().number() == d.from()).findFirst().orElseThrow();
            last = d.op();
            stages = String.valueOf(d.to());
        }
        return ReplayScript.of(base.run(), last, header, "vfio-workbench run --stage " + stages + opts
                + " THIS_FILE");
    }

    private static String summary(Map<String, Integer> outcomes) {
        int ok = 0;
        int errnos = 0;
        int signals = 0;
        int skipped = 0;
        for (Map.Entry<String, Integer> e : outcomes.entrySet()) {
            String k = e.getKey();
            if (k.endsWith(" ok")) {
                ok += e.getValue();
            } else if (k.endsWith("SIGBUS") || k.endsWith("SIGSEGV")) {
                signals += e.getValue();
            } else if (k.equals("skipped") || k.endsWith("not modelled")) {
                skipped += e.getValue();
            } else {
                errnos += e.getValue();
            }
        }
        return "calls: " + ok + " ok, " + errnos + " errno, " + signals + " signal, " + skipped
                + " skipped";
    }

    private static Json.Obj json(Campaign.Result r, String script) {
        List<Object> runs = new ArrayList<>();
        for (Campaign.StageRun sr : r.runs()) {
            Fuzzer.Violation v = sr.run().violation();
            Json.Obj outcomes = Json.obj();
            sr.run().outcomes().forEach(outcomes::put);
            runs.add(Json.obj().put("stage", sr.stage().number()).put("ops", sr.run().ops())
                    .put("outcomes", outcomes).put("violation", v == null ? null : Json.obj()
                            .put("op", v.op()).put("invariant", v.invariant()).put("message", v.message())));
        }
        Campaign.Difference d = r.difference();
        return Json.obj().put("device", r.device().name()).put("passed", r.passed()).put("runs", runs)
                .put("difference", d == null ? null : Json.obj().put("from", d.from()).put("to", d.to())
                        .put("op", d.op()).put("before", d.before()).put("after", d.after()))
                .put("script", script);
    }
}
