package vfiowb.rulefixture.bad.core;

import vfiowb.common.Models;
import vfiowb.rulefixture.bad.drivers.foo.FooDriver;
import vfiowb.rulefixture.bad.pci.PciCore;

/** Rule fixture: a core that knows a driver and vfio-pci-core by name. */
@Models("drivers/vfio/vfio_main.c:vfio_device_fops_unl_ioctl")
public final class CoreCallsDriver {
    public int ioctl() {
        return new FooDriver().probe() + new PciCore().read();
    }
}
