package vfiowb.workbench.walk;

import java.util.ArrayList;
import java.util.List;
import vfiowb.common.conformance.AbortRun;
import vfiowb.common.conformance.Transcript;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.errno.KernelBugException;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.PageTable;
import vfiowb.common.mm.PgProt;
import vfiowb.common.stage.Stage;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.SegvException;
import vfiowb.common.userspace.SigbusException;
import vfiowb.workbench.Hosts;
import vfiowb.workbench.clients.WalkClient;
import vfiowb.workbench.trace.Tracer;

/** Runs one client against one device at one stage, recording every call. */
public final class Walk {
    private Walk() {}

    /**
     * A mapping still in place when the client finished: its start is still mapped, by a VMA of
     * its kind (an anonymous reservation overlaid with MAP_FIXED and trimmed is gone).
     */
    public record MappingState(int map, long addr, long length, String region, PgProt pgprot,
            java.util.Map<PageTable.Level, Long> pageTable) {}

    /**
     * What happened.
     *
     * @param clientError why the client gave up (an errno it does not tolerate, a signal, a
     *     failed expectation of its own, a model bug), or null when it finished
     * @param modelError what the model threw (a broken invariant), or null
     * @param kernelBugs the upstream kernel bugs the client's calls ran into, in order
     */
    public record Result(Stage stage, Arch arch, DeviceSpec device, WalkClient client,
            List<Narration.Step> steps, String clientError, List<MappingState> mappings,
            Transcript account, RuntimeException modelError, List<KernelBug> kernelBugs) {}

    /**
     * Boots {@code stage} with {@code device}, runs {@code client} and narrates it; with
     * {@code kernel} the kernel functions of every call are recorded too.
     *
     * @throws vfiowb.workbench.UserError if the stage has no driver for the device
     */
    public static Result run(Stage stage, Arch arch, DeviceSpec device, WalkClient client,
            boolean kernel) {
        Process p = Hosts.process(stage, arch, device);
        String error = null;
        List<Tracer.Call> calls;
        Transcript account = null;
        RuntimeException modelError = null;
        try (Tracer t = Tracer.attach(p, kernel)) {
            try {
                account = client.run(p, device.name());
                if (!account.passed()) {
                    error = String.join("; ", account.failures());
                }
            } catch (ErrnoException e) {
                error = "unexpected " + e.getMessage();
            } catch (SigbusException | SegvException | AbortRun e) {
                error = e.getMessage();
            } catch (KernelBugException e) {
                error = "the kernel hit its own bug outside a system call: " + e.getMessage();
            } catch (RuntimeException e) {
                modelError = e;
                error = "the model broke: " + e + where(e);
            }
            calls = t.calls();
        }
        Narration n = new Narration(arch, stage.packageRoot());
        List<Narration.Step> steps = n.narrate(calls);
        List<MappingState> maps = new ArrayList<>();
        for (Mapping m : p.mappings()) {
            if (!m.isMapped() || (m.fd() < 0) != m.vma().isAnonymous()) {
                continue;
            }
            int id = n.mapId(m);
            String region = null;
            for (Narration.Step s : steps) {
                if (s.raw().result() == m) {
                    Object r = ((java.util.Map<?, ?>) s.json().get("args")).get("region");
                    region = r == null ? null : r.toString();
                }
            }
            maps.add(new MappingState(id, m.addr(), m.length(), region, m.pgprot(),
                    m.pageTableEntries()));
        }
        maps.sort(java.util.Comparator.comparingInt(MappingState::map));
        return new Result(stage, arch, device, client, steps, error, maps, account, modelError,
                p.kernelBugs());
    }

    /** {@code " at Class.method(File.java:n)"}: the first frame in the model, for a bug report. */
    public static String where(Throwable e) {
        for (StackTraceElement el : e.getStackTrace()) {
            if (el.getClassName().startsWith("vfiowb.") && !el.getClassName().startsWith("vfiowb.workbench")
                    && !el.getClassName().startsWith("vfiowb.common.conformance")) {
                return " at " + el.getClassName() + "." + el.getMethodName() + "(" + el.getFileName()
                        + ":" + el.getLineNumber() + ")";
            }
        }
        return "";
    }
}
