package vfiowb.workbench.conform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import vfiowb.common.conformance.ClientRun;
import vfiowb.common.conformance.ConformanceResult;
import vfiowb.common.conformance.ConformanceSuite;
import vfiowb.common.conformance.DeviceReport;
import vfiowb.common.conformance.Outcome;
import vfiowb.common.conformance.Transcript;
import vfiowb.common.conformance.clients.Client;
import vfiowb.common.conformance.scenarios.Scenario;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.Stage;
import vfiowb.workbench.Hosts;

/**
 * The conformance suite ({@link ConformanceSuite}) as {@code conform} reports it: per device, the
 * profile, each client and each scenario, under the stable keys of
 * {@link DeviceReport#transcripts()} ({@code profile}, {@code client:qemu},
 * {@code scenario:RI-02}), with an outcome and the transcript that is compared across stages.
 */
public final class Suite {
    /**
     * {@code pass}, {@code fail}, {@code kernel-bug} (the run reached an upstream kernel bug and
     * nothing failed before it), {@code n/a} (the device lacks what it needs), {@code unbound}.
     */
    public record Run(String device, String key, String title, String status, List<String> messages,
            List<String> transcript) {}

    private Suite() {}

    /** The keys and titles every device is reported under, in the suite's order. */
    public static Map<String, String> keys() {
        Map<String, String> keys = new java.util.LinkedHashMap<>();
        keys.put("profile", "GET_INFO and REGION_INFO of every index");
        for (Client c : ConformanceSuite.clients()) {
            keys.put("client:" + c.name(), c.name() + " client");
        }
        for (Scenario s : ConformanceSuite.scenarios()) {
            keys.put("scenario:" + s.id(), s.title());
        }
        return keys;
    }

    /** Every key on every device at {@code stage}; a device the stage cannot bind is unbound. */
    public static List<Run> run(Stage stage, Arch arch, List<DeviceSpec> devices) {
        Map<String, String> keys = keys();
        List<Run> out = new ArrayList<>();
        for (DeviceSpec d : devices) {
            if (!Hosts.binds(stage, arch, d)) {
                keys.forEach((k, title) -> out.add(new Run(d.name(), k, title, "unbound",
                        List.of(stage.label() + " models no driver for " + d.opsTable()),
                        List.of())));
                continue;
            }
            DeviceReport r = ConformanceSuite.runDevice(stage, arch, d, ConformanceSuite.clients(),
                    ConformanceSuite.scenarios());
            Transcript profile = r.profile();
            out.add(new Run(d.name(), "profile", keys.get("profile"), status(profile.outcome()),
                    profile.messages(), profile.lines()));
            for (ClientRun c : r.clients()) {
                String k = "client:" + c.client();
                out.add(new Run(d.name(), k, keys.getOrDefault(k, k), status(c.outcome()), c.messages(),
                        c.transcript().lines()));
            }
            for (ConformanceResult s : r.scenarios()) {
                out.add(new Run(d.name(), "scenario:" + s.scenarioId(), s.title(), status(s.outcome()),
                        s.messages(), s.transcript().lines()));
            }
        }
        return out;
    }

    private static String status(Outcome o) {
        switch (o) {
            case PASS:
                return "pass";
            case FAIL:
                return "fail";
            case KERNEL_BUG:
                return "kernel-bug";
            default:
                return "n/a";
        }
    }
}
