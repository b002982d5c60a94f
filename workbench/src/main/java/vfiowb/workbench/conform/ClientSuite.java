package vfiowb.workbench.conform;

import java.util.ArrayList;
import java.util.List;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.hw.PciFunctionSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.Stage;
import vfiowb.workbench.Hosts;
import vfiowb.workbench.clients.Clients;
import vfiowb.workbench.clients.WalkClient;
import vfiowb.workbench.walk.Narration;
import vfiowb.workbench.walk.Walk;

/**
 * The interim suite, until {@code vfiowb.common.conformance} is on the class path: each scenario
 * is one of the workbench's clients (QEMU and DPDK reductions), which passes when the client
 * finishes its probe; the DPDK client applies to PCI devices only. It declares no differences.
 */
public final class ClientSuite implements Suite {
    @Override
    public String name() {
        return "workbench clients (interim, until the shared conformance suite lands)";
    }

    @Override
    public List<Outcome> run(Stage stage, Arch arch, List<DeviceSpec> devices) {
        List<Outcome> out = new ArrayList<>();
        for (DeviceSpec d : devices) {
            boolean bound = Hosts.binds(stage, arch, d);
            for (WalkClient c : Clients.all()) {
                if (!bound) {
                    out.add(new Outcome(d.name(), c.name(), "unbound", "stage " + stage.number()
                            + " models no driver for " + d.opsTable(), List.of()));
                    continue;
                }
                if (c.name().equals("dpdk") && !(d instanceof PciFunctionSpec)) {
                    out.add(new Outcome(d.name(), c.name(), "unbound", "DPDK probes PCI devices only",
                            List.of()));
                    continue;
                }
                Walk.Result r = Walk.run(stage, arch, d, c, false);
                List<String> t = new ArrayList<>();
                for (Narration.Step s : r.steps()) {
                    t.add(s.normalized());
                }
                t.add(r.clientError() == null ? "client finished" : "client gave up: " + r.clientError());
                out.add(new Outcome(d.name(), c.name(), r.clientError() == null ? "pass" : "fail",
                        r.clientError(), t));
            }
        }
        return out;
    }

    @Override
    public List<Declared> declared() {
        return List.of();
    }
}
