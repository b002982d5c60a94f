package vfiowb.workbench.clients;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import vfiowb.common.conformance.clients.Client;
import vfiowb.workbench.UserError;

/** The clients {@code walk} runs: the conformance suite's, in its order. */
public final class Clients {
    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "qemu", "QEMU vfio-pci realize (hw/vfio, 9.2+): device info, BAR and config region info "
                    + "with the argsz retry, config read, ROM sizing, MSI-X carve unless "
                    + "MSIX_MAPPABLE, aligned MAP_FIXED mappings of every area, a first guest access "
                    + "of each BAR",
            "dpdk", "DPDK pci_vfio_map_resource_primary: config region info (argsz != loop), BARs "
                    + "mapped read-write around the MSI-X table or by sparse areas, memory and "
                    + "bus-master enable, reset");

    private Clients() {}

    public static List<WalkClient> all() {
        List<WalkClient> out = new ArrayList<>();
        for (Client c : vfiowb.common.conformance.clients.Clients.all()) {
            out.add(new WalkClient(c, DESCRIPTIONS.getOrDefault(c.name(), c.name() + " client")));
        }
        return out;
    }

    /** The client called {@code name}. */
    public static WalkClient byName(String name) {
        for (WalkClient c : all()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new UserError("unknown client '" + name + "' ("
                + all().stream().map(WalkClient::name).collect(Collectors.joining(", ")) + ")");
    }
}
