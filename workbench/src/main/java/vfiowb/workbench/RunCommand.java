package vfiowb.workbench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.Stage;
import vfiowb.common.userspace.Process;
import vfiowb.workbench.json.Json;
import vfiowb.workbench.script.Interpreter;
import vfiowb.workbench.script.Script;
import vfiowb.workbench.script.ScriptError;

/** {@code run SCRIPT}: a scenario script against a stage. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Workbench.Version.class,
        description = {"Execute a scenario script against a stage and print a transcript, one JSON "
                + "object per statement. The language is described in docs/scenarios.md; examples "
                + "are in scenarios/. The devices are those the script opens by name and those "
                + "given with --device/--sysfs ('open' without a name opens the first of these).",
            "A failed expectation stops the script: 'FILE:LINE: expectation failed: ...' on stderr, "
                + "exit code 1. A malformed script: 'FILE:LINE: message', exit code 2, nothing run.",
            "A call that reaches an upstream kernel bug the model reproduces gets the errno or signal "
                + "the thread would (EFAULT, SIGSEGV) plus a \"kernel_bug\" object; 'expect KERNEL_BUG "
                + "[FUNCTION]' accepts it, any other expectation stops the script there. Each kernel "
                + "bug reached is named on stderr ('FILE:LINE: kernel bug: KIND in FUNCTION (FILE.c): "
                + "...'), and a run that reached one and failed nothing else exits 4 "
                + "(docs/kernel-bugs.md)."},
        footerHeading = "%nJSON lines (default --format json), one per statement:%n",
        footer = {
            "{\"line\", \"stage\", \"call\" (the operation, or \"expect\"), \"args\": {...},",
            " \"result\": {...} | \"errno\" + \"name\" | \"signal\" (SIGBUS|SIGSEGV),",
            " \"kernel_bug\": {\"function\", \"kind\", \"reason\"} (with the errno or signal),",
            " \"expect\" (what the line expected, if it said), \"pass\"}",
            "Results: open {fd}; get_info {argsz, flags, flagNames, num_regions, num_irqs, cap_offset};",
            "region_info {argsz, flags, flagNames, index, cap_offset, size, offset, caps: [{id, name,",
            "version, ...}], retries}; irq_info {argsz, flags, flagNames, index, count}; pread {ret,",
            "data, value}; pwrite {ret}; ioctl {ret, arg}; mmap {map, pgprot, pte, pmd, pud, addr,",
            "length}; load {value}; pagetable {map, pgprot, pte, pmd, pud}; memory {commandBefore,",
            "commandAfter}; expect {left, right} or {value}. 64-bit values are \"0x...\" strings."})
final class RunCommand extends AbstractCommand {
    @Parameters(index = "0", paramLabel = "SCRIPT", description = "The scenario script.")
    Path script;

    @Mixin
    Options.StageOption stage;
    @Mixin
    Options.PolicyOption policy;
    @Mixin
    Options.ArchOption arch;
    @Mixin
    Options.DeviceOption device;
    @Mixin
    Options.FormatOption format;

    @Override
    public Integer call() {
        Format f = format.format == Format.TEXT && !formatGiven() ? Format.JSON : format.get();
        f.only("run", Format.JSON, Format.TEXT);
        List<String> lines;
        try {
            lines = Files.readAllLines(script, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError(script + ": no such file");
        } catch (IOException e) {
            throw new UserError(script + ": cannot read: " + e.getMessage());
        }
        Script parsed;
        try {
            parsed = Script.parse(lines, Interpreter.constants());
        } catch (ScriptError e) {
            err().println(script + ":" + e.line() + ": " + e.getMessage());
            return Workbench.USAGE;
        }
        List<Stage> stages = policy.apply(stage.resolve(true));
        Arch a = arch.resolve();
        Map<String, DeviceSpec> devices = new LinkedHashMap<>();
        List<DeviceSpec> given = device.resolve();
        for (DeviceSpec d : given) {
            devices.put(d.name(), d);
        }
        for (String name : parsed.devices()) {
            devices.putIfAbsent(name, Options.device(name));
        }
        String defaultDevice = given.isEmpty() ? null : given.get(0).name();
        boolean kernelBugs = false;
        for (Stage s : stages) {
            Process p = new Process(Hosts.boot(s, a, new ArrayList<>(devices.values())));
            Interpreter in = new Interpreter(p, defaultDevice, s.number());
            Interpreter.Outcome o;
            try {
                o = in.run(parsed, obj -> print(f, obj));
            } catch (ScriptError e) {
                out().flush();
                err().println(script + ":" + e.line() + ": " + e.getMessage());
                return Workbench.USAGE;
            }
            String at = stages.size() > 1 ? " at stage " + s.number() : "";
            out().flush();
            for (Map.Entry<Integer, KernelBug> b : o.kernelBugs()) {
                err().println(script + ":" + b.getKey() + ": " + KernelBugs.line(b.getValue()) + at);
                kernelBugs = true;
            }
            if (!o.passed() && !o.stoppedByKernelBug()) {
                err().println(script + ":" + o.line() + ": expectation failed" + at + ": "
                        + o.message());
                return Workbench.CHECK_FAILED;
            }
            if (!o.passed()) {
                err().println(script + ":" + o.line() + ": stopped at the kernel bug" + at
                        + " (expect KERNEL_BUG there to go on)");
                return Workbench.KERNEL_BUG;
            }
        }
        return kernelBugs ? Workbench.KERNEL_BUG : 0;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private boolean formatGiven() {
        return spec.commandLine().getParseResult().hasMatchedOption("--format");
    }

    private void print(Format f, Json.Obj o) {
        if (f == Format.JSON) {
            out().println(Json.write(o));
            return;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%4d  ", (Integer) o.get("line")));
        sb.append(o.get("call")).append(' ').append(IoctlView.text(map(o.get("args"))));
        if (o.containsKey("result")) {
            sb.append(" = ").append(IoctlView.text(map(o.get("result"))));
        } else if (o.containsKey("errno")) {
            sb.append(" = -1 ").append(o.get("name"));
        } else if (o.containsKey("signal")) {
            sb.append(" = ").append(o.get("signal"));
        }
        if (o.containsKey("kernel_bug")) {
            Map<String, Object> b = map(o.get("kernel_bug"));
            sb.append(" [").append(style().fail("kernel bug")).append(": ").append(b.get("kind"))
                    .append(" in ").append(b.get("function")).append(']');
        }
        if (o.containsKey("expect")) {
            sb.append("  expect ").append(o.get("expect"));
        }
        boolean pass = Boolean.TRUE.equals(o.get("pass"));
        sb.append("  ").append(pass ? style().pass("ok") : style().fail("FAILED"));
        out().println(sb);
    }
}
