package vfiowb.common.hw;

import java.util.List;
import vfiowb.common.Models;

/**
 * An s390 crypto matrix mediated device: the adapters, usage domains and control domains
 * assigned to a guest. It has no memory regions at all - the guest reaches the adapters through
 * instructions interpreted by firmware - so vfio-ap reports zero regions.
 */
@Models("drivers/s390/crypto/vfio_ap_private.h:struct ap_matrix_mdev")
public record ApDevice(String name, List<Integer> adapters, List<Integer> domains,
        List<Integer> controlDomains) implements Device {

    public ApDevice {
        adapters = List.copyOf(adapters);
        domains = List.copyOf(domains);
        controlDomains = List.copyOf(controlDomains);
    }

    /** Memory regions the device has: none. */
    public int regionCount() {
        return 0;
    }
}
