package vfiowb.workbench.clients;

import java.util.List;
import java.util.stream.Collectors;
import vfiowb.workbench.UserError;

/**
 * The clients {@code walk} and {@code conform} can run. Until the shared conformance clients
 * ({@code vfiowb.common.conformance.clients}) are on the class path these are the workbench's own
 * reductions of QEMU and DPDK; wiring the shared ones in replaces this list.
 */
public final class Clients {
    private static final List<WalkClient> ALL = List.of(new QemuProbe(), new DpdkProbe());

    private Clients() {}

    public static List<WalkClient> all() {
        return ALL;
    }

    /** The client called {@code name}. */
    public static WalkClient byName(String name) {
        for (WalkClient c : ALL) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new UserError("unknown client '" + name + "' ("
                + ALL.stream().map(WalkClient::name).collect(Collectors.joining(", ")) + ")");
    }
}
