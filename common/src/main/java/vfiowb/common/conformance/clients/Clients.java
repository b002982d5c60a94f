package vfiowb.common.conformance.clients;

import java.util.List;
import java.util.Optional;

/** The clients the suite runs on every device. */
public final class Clients {
    private Clients() {}

    /** QEMU, then DPDK. */
    public static List<Client> all() {
        return List.of(new QemuClient(), new DpdkClient());
    }

    public static Optional<Client> byName(String name) {
        return all().stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
