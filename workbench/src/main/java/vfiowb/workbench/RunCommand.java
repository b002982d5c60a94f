package vfiowb.workbench;

import java.io.IOException;
import java.io.InputStream;
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
import vfiowb.workbench.script.ScriptSource;
import vfiowb.workbench.io.Printable;

/** {@code run SCRIPT}: a scenario script against a stage. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Workbench.Version.class,
        description = {"Execute a scenario script against a stage and print a transcript, one JSON "
                + "object per statement. The language is described in docs/scenarios.md; examples "
                + "are in scenarios/. The devices are those the script opens by name and those "
                + "given with --device/--sysfs ('open' without a name opens the first of these).",
            "Defaults: the last stage (--stage all: every stage, in order), x86_64, the default "
                + "policy, JSON lines on stdout (--format text for people).",
            "A failed expectation stops the script: 'FILE:LINE: expectation failed: ...' on stderr, "
                + "exit code 1; so does a statement the kernel's replies leave nothing to work on "
                + "('FILE:LINE: cannot be carried out: ...'). A malformed script: 'FILE:LINE: "
                + "message', exit code 2, found before anything runs (docs/scenarios.md lists what "
                + "is checked; the file must be plain UTF-8 text, lines at most 1 MiB).",
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
    Options.JsonOrText format;

    @Override
    public Integer call() {
        Format f = format.get();
        String name = Printable.of(script.toString());
        Script parsed;
        try (InputStream in = Files.newInputStream(script)) {
            parsed = Script.parse(ScriptSource.read(in), Interpreter.constants());
        } catch (NoSuchFileException e) {
            throw new UserError(name + ": no such file");
        } catch (IOException e) {
            throw new UserError(name + ": cannot read: " + Printable.of(e.getMessage()));
        } catch (ScriptError e) {
            return scriptError(name, e);
        }
        List<Stage> stages = policy.apply(stage.resolve(true));
        Arch a = arch.resolve();
        Map<String, DeviceSpec> devices = new LinkedHashMap<>();
        List<DeviceSpec> given = device.resolve(a);
        for (DeviceSpec d : given) {
            devices.put(d.name(), d);
        }
        for (String dev : parsed.devices()) {
            devices.putIfAbsent(dev, Options.onArch(Options.device(dev), a));
        }
        String defaultDevice = given.isEmpty() ? null : given.get(0).name();
        if (defaultDevice == null && parsed.unnamedOpen() > 0) {
            return scriptError(name, new ScriptError(parsed.unnamedOpen(),
                    "open without a device name needs --device or --sysfs"));
        }
        boolean kernelBugs = false;
        for (Stage s : stages) {
            Process p = new Process(Hosts.boot(s, a, new ArrayList<>(devices.values())));
            Interpreter in = new Interpreter(p, defaultDevice, s.number(), s.variant());
            Interpreter.Outcome o;
            if (f == Format.TEXT && stages.size() > 1) {
                out().println(style().bold(s.label()) + "  " + s.module());
            }
            try {
                o = in.run(parsed, obj -> print(f, obj));
            } catch (ScriptError e) {
                out().flush();
                return scriptError(name, e);
            }
            String at = stages.size() > 1 ? " at " + s.label() : "";
            out().flush();
            for (Map.Entry<Integer, KernelBug> b : o.kernelBugs()) {
                err().println(name + ":" + b.getKey() + ": " + KernelBugs.line(b.getValue()) + at);
                kernelBugs = true;
            }
            if (!o.passed() && !o.stoppedByKernelBug()) {
                err().println(name + ":" + o.line() + ": "
                        + (o.unrunnable() ? "cannot be carried out" : "expectation failed") + at
                        + ": " + Printable.of(o.message()));
                return Workbench.CHECK_FAILED;
            }
            if (!o.passed()) {
                err().println(name + ":" + o.line() + ": stopped at the kernel bug" + at
                        + " (expect KERNEL_BUG there to go on)");
                return Workbench.KERNEL_BUG;
            }
        }
        return kernelBugs ? Workbench.KERNEL_BUG : 0;
    }

    private int scriptError(String name, ScriptError e) {
        err().println(name + ":" + e.line() + ": " + Printable.of(e.getMessage()));
        return Workbench.USAGE;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
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
        if (o.containsKey("error")) {
            sb.append(" = ").append(o.get("error"));
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
