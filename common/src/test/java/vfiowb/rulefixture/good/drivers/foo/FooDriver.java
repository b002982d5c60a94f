package vfiowb.rulefixture.good.drivers.foo;

import vfiowb.common.Models;
import vfiowb.rulefixture.good.core.Core;
import vfiowb.rulefixture.good.pci.PciCore;

/** Rule fixture: a driver built on vfio-pci-core and the core. */
@Models("drivers/vfio/pci/foo/main.c:foo_probe")
public final class FooDriver {
    public int probe() {
        return new Core().dispatch(new PciCore());
    }
}
