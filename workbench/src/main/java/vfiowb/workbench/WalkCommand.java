package vfiowb.workbench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.Stage;
import vfiowb.workbench.clients.Clients;
import vfiowb.workbench.clients.WalkClient;
import vfiowb.workbench.json.Json;
import vfiowb.workbench.walk.Comparison;
import vfiowb.workbench.walk.Walk;
import vfiowb.workbench.walk.WalkReport;

/** {@code walk}: a narrated client run. */
@Command(name = "walk", mixinStandardHelpOptions = true, versionProvider = Workbench.Version.class,
        description = {"Narrate a real client algorithm against one device at one stage: every system "
                + "call with its arguments and result; for each, the modelled kernel functions it "
                + "passed through (@Models names, as a call tree) and the driver code reached; the "
                + "maple tree before and after where the stage has one (stage 3 on); each mapping's "
                + "pgprot and page-table entries by level. Ends with what differs from the previous "
                + "stage for this device (regions named by index: offsets and addresses are not ABI).",
            "Defaults: --client qemu --device nic-vf, the last stage."},
        footerHeading = "%nJSON (--format json):%n",
        footer = {
            "{\"client\", \"device\", \"driver\", \"opsTable\", \"stage\", \"variant\" (null for a stage),",
            " \"module\", \"arch\",",
            " \"calls\": [{\"seq\", \"call\" (open|close|ioctl|pread|pwrite|mmap|munmap|load|store),",
            "   \"args\": {...; ioctl: \"fd\", \"request\" (name), \"requestNumber\", \"arg\" {fields}},",
            "   \"result\" | \"errno\" + \"name\" | \"signal\" (SIGBUS|SIGSEGV),",
            "   \"reply\" (ioctl: the decoded buffer after the call), \"data\" (pread/pwrite hex),",
            "   \"map\" (mmap), \"value\" (load), \"mapping\": {\"map\", \"pgprot\", \"memoryType\",",
            "   \"pageTable\": {\"PTE\", \"PMD\", \"PUD\"}}, \"kernel\": [{\"depth\", \"function\", \"file\"}],",
            "   \"driver\": {\"function\", \"file\", \"calledBy\"} | null (the first vfio-pci-core or driver",
            "   function reached, and the core function that called it), \"mapleBefore\", \"mapleAfter\",",
            "   \"text\" (strace-like), \"normalized\" (compared across stages)}],",
            " \"clientError\" (null when the client finished),",
            " \"kernelBugs\": [{\"function\", \"kind\", \"reason\"}] (upstream kernel bugs reached;",
            "   each call that reached one has \"kernel_bug\" too),",
            " \"mappings\": [{\"map\", \"addr\", \"length\", \"region\", \"pgprot\", \"memoryType\", \"pageTable\"}],",
            " \"previous\": {\"stage\" (a variant's own stage), \"note\" (why nothing was compared), \"differs\",",
            "   \"userspace\": [{\"op\" (-|+), \"line\"}], \"kernel\": [{\"seq\", \"call\", \"removed\", \"added\"}]}}",
            "Addresses, sizes and offsets are \"0x...\" strings. When the model throws (a bug), the",
            "narration up to it is printed, the error named on stderr, and the exit code is 3.",
            "When a call reaches an upstream kernel bug the model reproduces, the walk goes on, each",
            "bug is named on stderr with its file and function, and the exit code is 4."})
final class WalkCommand extends AbstractCommand {
    @Option(names = "--client", paramLabel = "CLIENT", completionCandidates = ClientNames.class,
            description = "The client algorithm: qemu (default) or dpdk.")
    String client = "qemu";

    @Mixin
    Options.StageOption stage;
    @Mixin
    Options.PolicyOption policy;
    @Mixin
    Options.ArchOption arch;
    @Mixin
    Options.DeviceOption device;
    @Mixin
    Options.TextJsonOrMarkdown format;

    @Option(names = "--no-compare", description = "Do not compare with the previous stage.")
    boolean noCompare;

    @Override
    public Integer call() {
        Format f = format.get();
        WalkClient c = Clients.byName(client);
        Stage s = policy.apply(java.util.List.of(stage.single())).get(0);
        Arch a = arch.resolve();
        DeviceSpec d = device.single("nic-vf", a);
        Walk.Result r = Walk.run(s, a, d, c, true);
        Comparison cmp = noCompare || r.modelError() != null ? null : Comparison.withPrevious(r, true);
        switch (f) {
            case JSON:
                out().println(Json.pretty(WalkReport.json(r, cmp)));
                break;
            case MARKDOWN:
                WalkReport.markdown(r, cmp, out());
                break;
            default:
                WalkReport.text(r, cmp, style(), out());
        }
        if (r.modelError() != null) {
            err().println(spec.qualifiedName() + ": internal error (a bug in the model; the narration "
                    + "above stops there): " + r.modelError() + Walk.where(r.modelError()));
            return Workbench.INTERNAL;
        }
        for (KernelBug b : r.kernelBugs()) {
            err().println(spec.qualifiedName() + ": " + KernelBugs.line(b));
        }
        return r.kernelBugs().isEmpty() ? 0 : Workbench.KERNEL_BUG;
    }

    static final class ClientNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Clients.all().stream().map(WalkClient::name).iterator();
        }
    }
}
