package vfiowb.rulefixture.bad.pci;

import vfiowb.common.Models;
import vfiowb.rulefixture.bad.drivers.foo.FooDriver;

/** Rule fixture: vfio-pci-core calling up into a variant driver. */
@Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_read")
public final class PciCore {
    public int read() {
        return new FooDriver().probe();
    }
}
