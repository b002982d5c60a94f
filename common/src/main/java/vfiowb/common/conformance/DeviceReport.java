package vfiowb.common.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import vfiowb.common.mm.Arch;

/**
 * Everything the suite did with one device on one stage and arch: the device's profile (what
 * GET_INFO and REGION_INFO said, as a transcript), each client's run and each scenario's
 * result, in catalogue order.
 */
public record DeviceReport(String device, String opsTable, Arch arch, Transcript profile,
        List<ClientRun> clients, List<ConformanceResult> scenarios) {
    public DeviceReport {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(opsTable, "opsTable");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(profile, "profile");
        clients = List.copyOf(clients);
        scenarios = List.copyOf(scenarios);
    }

    /**
     * Whether nothing failed: the profile, every client and every applicable scenario passed
     * or ran into a kernel bug (see {@link #kernelBugs()}).
     */
    public boolean passed() {
        return failures().isEmpty();
    }

    /** One line per failure: profile, clients, then scenarios. Kernel bugs are not failures. */
    public List<String> failures() {
        List<String> out = new ArrayList<>();
        if (profile.outcome() == Outcome.FAIL) {
            for (String f : profile.failures()) {
                out.add("profile " + device + " " + arch.cliName() + ": " + f);
            }
        }
        for (ClientRun c : clients) {
            if (c.failed()) {
                out.add(c.summary());
            }
        }
        for (ConformanceResult r : scenarios) {
            if (r.failed()) {
                out.add(r.summary());
            }
        }
        return out;
    }

    /**
     * One line per run that ended {@link Outcome#KERNEL_BUG}: profile, clients, then scenarios,
     * each with the bugs it ran into.
     */
    public List<String> kernelBugs() {
        List<String> out = new ArrayList<>();
        if (profile.outcome() == Outcome.KERNEL_BUG) {
            out.add("profile " + device + " " + arch.cliName() + ": " + String.join("; ",
                    profile.messages()));
        }
        for (ClientRun c : clients) {
            if (c.outcome() == Outcome.KERNEL_BUG) {
                out.add(c.summary());
            }
        }
        for (ConformanceResult r : scenarios) {
            if (r.outcome() == Outcome.KERNEL_BUG) {
                out.add(r.summary());
            }
        }
        return out;
    }

    public Optional<ConformanceResult> scenario(String id) {
        return scenarios.stream().filter(r -> r.scenarioId().equals(id)).findFirst();
    }

    public Optional<ClientRun> client(String name) {
        return clients.stream().filter(c -> c.client().equals(name)).findFirst();
    }

    /**
     * Every transcript under a stable key ({@code profile}, {@code client:qemu},
     * {@code scenario:RI-02}), for comparing two stages device by device.
     */
    public Map<String, Transcript> transcripts() {
        Map<String, Transcript> m = new LinkedHashMap<>();
        m.put("profile", profile);
        for (ClientRun c : clients) {
            m.put("client:" + c.client(), c.transcript());
        }
        for (ConformanceResult r : scenarios) {
            m.put("scenario:" + r.scenarioId(), r.transcript());
        }
        return m;
    }
}
