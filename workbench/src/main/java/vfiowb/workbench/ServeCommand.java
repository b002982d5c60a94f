package vfiowb.workbench;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.Stage;
import vfiowb.common.userspace.Process;
import vfiowb.workbench.io.LineReader;
import vfiowb.workbench.serve.Server;

/** {@code serve}: the raw syscall server. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Workbench.Version.class,
        description = {"Serve raw system calls on standard input and output, one JSON object per "
                + "line each way, so that programs in any language can drive a stage byte for "
                + "byte. Runs until end of input; replies are flushed one by one; nothing else is "
                + "written to standard output.",
            "The devices are those named with --device/--sysfs, or every catalogue device the "
                + "stage has a driver for. The protocol is in docs/serve.md."},
        footerHeading = "%nRequests -> replies (integers as JSON numbers or \"0x...\" strings):%n",
        footer = {
            "{\"op\":\"open\",\"device\":NAME}                      -> {\"fd\"}",
            "{\"op\":\"close\",\"fd\"}                               -> {\"ret\":0}",
            "{\"op\":\"ioctl\",\"fd\",\"request\",\"arg\":HEX}            -> {\"ret\",\"arg\":HEX}",
            "                          (or \"value\" instead of \"arg\" for by-value ioctls)",
            "{\"op\":\"pread\",\"fd\",\"offset\",\"count\"}                 -> {\"ret\",\"data\":HEX}",
            "{\"op\":\"pwrite\",\"fd\",\"offset\",\"data\":HEX}             -> {\"ret\"}",
            "{\"op\":\"mmap\",\"fd\",\"addr\",\"length\",\"prot\",\"flags\",\"offset\"} -> {\"map\",\"addr\",\"pgprot\"}",
            "{\"op\":\"munmap\",\"map\"}                             -> {\"ret\":0}",
            "{\"op\":\"load\",\"map\",\"offset\",\"width\"}                -> {\"value\"} or {\"signal\":\"SIGBUS\"}",
            "{\"op\":\"store\",\"map\",\"offset\",\"width\",\"value\"}       -> {\"ret\":0} or {\"signal\"}",
            "{\"op\":\"pagetable\",\"map\"}                          -> {\"map\",\"pgprot\",\"entries\":{\"PTE\",\"PMD\",\"PUD\"}}",
            "A failed call: {\"errno\",\"name\"} (ioctl adds \"arg\"). A bad line: {\"error\"}.",
            "A call that hit an upstream kernel bug adds \"kernel_bug\":{\"function\",\"kind\",\"reason\"}",
            "  to its errno (EFAULT) or signal (SIGSEGV); see docs/kernel-bugs.md.",
            "An \"id\" in a request is echoed in its reply. Every line of input, an empty one or",
            "one that is not JSON included, gets exactly one reply line; a line is at most 1 MiB,",
            "a buffer 256 KiB, a number 40 characters, nesting 64 deep (docs/serve.md)."})
final class ServeCommand extends AbstractCommand {
    @Mixin
    Options.StageOption stage;
    @Mixin
    Options.PolicyOption policy;
    @Mixin
    Options.ArchOption arch;
    @Mixin
    Options.DeviceOption device;

    @Override
    public Integer call() {
        Stage s = policy.apply(List.of(stage.single())).get(0);
        Arch a = arch.resolve();
        List<DeviceSpec> devices = device.resolve(a);
        if (devices.isEmpty()) {
            devices = new ArrayList<>();
            for (DeviceSpec d : DeviceCatalogue.on(a)) {
                if (Hosts.binds(s, a, d)) {
                    devices.add(d);
                }
            }
        }
        Server server = new Server(new Process(Hosts.boot(s, a, devices)));
        PrintWriter out = out();
        LineReader r = new LineReader(in());
        try {
            for (LineReader.Line l = r.next(); l != null; l = r.next()) {
                out.println(l.problem() != null ? server.refuse(l.problem()) : server.handle(l.text()));
                out.flush();
            }
        } catch (IOException e) {
            throw new UserError("reading standard input: " + e.getMessage());
        }
        return 0;
    }
}
