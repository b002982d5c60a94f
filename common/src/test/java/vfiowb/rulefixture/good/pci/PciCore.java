package vfiowb.rulefixture.good.pci;

import vfiowb.common.Models;
import vfiowb.rulefixture.good.core.Core;

/** Rule fixture: vfio-pci-core built on the core. */
public final class PciCore implements Core.Op {
    @Override
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_read")
    public int call() {
        return 1;
    }
}
