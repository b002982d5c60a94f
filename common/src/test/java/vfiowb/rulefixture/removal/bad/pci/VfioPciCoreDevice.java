package vfiowb.rulefixture.removal.bad.pci;

import vfiowb.common.Models;

/** A PCI device with device-specific regions, looked up by index. */
@Models("include/linux/vfio_pci_core.h:struct vfio_pci_core_device")
public class VfioPciCoreDevice {
    private final Object[] regions = new Object[2];

    public final Object region(int i) {
        return regions[i];
    }
}
