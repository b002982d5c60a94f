package vfiowb.common.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import vfiowb.common.conformance.clients.Client;
import vfiowb.common.conformance.clients.Clients;
import vfiowb.common.conformance.scenarios.Scenario;
import vfiowb.common.conformance.scenarios.Scenarios;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.errno.KernelBugException;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.Stage;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.SegvException;
import vfiowb.common.userspace.SigbusException;

/**
 * The userspace conformance suite every stage must pass: for each device, a profile, the QEMU
 * and DPDK clients and every applicable scenario, each on a freshly booted host in a fresh
 * {@link Process}, touching the stage only through the syscall boundary.
 *
 * <p>A run fails when an expectation fails, when an errno, SIGBUS or SIGSEGV escapes a scenario
 * that did not ask for it, or when the model throws (a broken invariant). A run that ran into an
 * upstream kernel bug the model reproduces ({@link KernelBug}, heard through
 * {@link Process#setKernelBugListener}) before anything failed ends {@link Outcome#KERNEL_BUG}:
 * reported apart from failures, whatever went wrong after it.
 */
public final class ConformanceSuite {
    private ConformanceSuite() {}

    /** The scenarios, in catalogue order (default fuzz settings or the system properties). */
    public static List<Scenario> scenarios() {
        return Scenarios.all();
    }

    /** The clients, QEMU then DPDK. */
    public static List<Client> clients() {
        return Clients.all();
    }

    /** Every device on {@code stage} and {@code arch}, with every client and scenario. */
    public static ConformanceReport run(Stage stage, Arch arch, List<DeviceSpec> devices) {
        return run(stage, arch, devices, clients(), scenarios());
    }

    /** {@link #run(Stage, Arch, List)} with a chosen set of clients and scenarios. */
    public static ConformanceReport run(Stage stage, Arch arch, List<DeviceSpec> devices,
            List<Client> clients, List<Scenario> scenarios) {
        Objects.requireNonNull(stage, "stage");
        List<DeviceReport> out = new ArrayList<>();
        for (DeviceSpec spec : devices) {
            out.add(runDevice(stage, arch, spec, clients, scenarios));
        }
        return new ConformanceReport(stage.number(), stage.module(), arch, out);
    }

    /** One device: the profile, then each client, then each scenario. */
    public static DeviceReport runDevice(Stage stage, Arch arch, DeviceSpec spec,
            List<Client> clients, List<Scenario> scenarios) {
        DeviceProfile profile = profile(stage, arch, spec);
        List<ClientRun> runs = new ArrayList<>();
        for (Client c : clients) {
            runs.add(runClient(stage, arch, spec, c));
        }
        List<ConformanceResult> results = new ArrayList<>();
        for (Scenario s : scenarios) {
            results.add(runScenario(stage, arch, spec, profile, s));
        }
        return new DeviceReport(spec.name(), spec.opsTable(), arch, profile.transcript(), runs, results);
    }

    /** Probes {@code spec} on a fresh host. */
    public static DeviceProfile profile(Stage stage, Arch arch, DeviceSpec spec) {
        Process p = new Process(stage.boot(arch, List.of(spec)));
        try {
            return DeviceProfile.probe(p, spec);
        } finally {
            p.exit();
        }
    }

    /** One client on a fresh host. */
    public static ClientRun runClient(Stage stage, Arch arch, DeviceSpec spec, Client client) {
        Transcript t = new Transcript(client.name() + " " + spec.name() + " " + arch.cliName());
        Process p = new Process(stage.boot(arch, List.of(spec)));
        guarded(t, () -> client.run(p, spec.name(), t), p);
        return new ClientRun(client.name(), spec.name(), arch, t.outcome(), t.messages(), t);
    }

    /** One scenario on a fresh host, if it applies to {@code profile}. */
    public static ConformanceResult runScenario(Stage stage, Arch arch, DeviceSpec spec,
            DeviceProfile profile, Scenario s) {
        Transcript t = new Transcript(s.id() + " " + spec.name() + " " + arch.cliName());
        if (!profile.usable() || !s.applies(profile)) {
            return new ConformanceResult(spec.name(), arch, s.id(), s.title(), Outcome.NOT_APPLICABLE,
                    List.of(), t);
        }
        Process p = new Process(stage.boot(arch, List.of(spec)));
        guarded(t, () -> s.run(p, profile, t), p);
        return new ConformanceResult(spec.name(), arch, s.id(), s.title(), t.outcome(),
                t.messages(), t);
    }

    /** The first stack frame inside the model (not this suite), to point a bug report at. */
    private static String where(Throwable e) {
        for (StackTraceElement el : e.getStackTrace()) {
            if (el.getClassName().startsWith("vfiowb.") && !el.getClassName().startsWith("vfiowb.common.conformance")) {
                return " at " + el.getClassName() + "." + el.getMethodName() + "(" + el.getFileName() + ":"
                        + el.getLineNumber() + ")";
            }
        }
        return "";
    }

    /**
     * Runs {@code body}, turning whatever escapes into a recorded failure, and each kernel bug
     * into a transcript line where it happened; exits the process.
     */
    private static void guarded(Transcript t, Runnable body, Process p) {
        p.setKernelBugListener(t::kernelBug);
        try {
            body.run();
        } catch (AbortRun e) {
            if (t.passed()) {
                t.fail(e.getMessage());
            }
        } catch (ErrnoException e) {
            t.fail("unexpected " + e.errnoName() + ": " + e.getMessage());
        } catch (SigbusException e) {
            t.fail("unexpected SIGBUS");
        } catch (SegvException e) {
            t.fail("unexpected SIGSEGV");
        } catch (KernelBugException e) {
            t.kernelBug(e.bug());
        } catch (RuntimeException | AssertionError e) {
            t.modelError(e + where(e));
        } finally {
            try {
                p.exit();
            } catch (KernelBugException e) {
                t.kernelBug(e.bug());
            } catch (RuntimeException e) {
                t.modelError("at exit: " + e);
            }
        }
    }
}
