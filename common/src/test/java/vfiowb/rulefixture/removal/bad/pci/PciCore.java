package vfiowb.rulefixture.removal.bad.pci;

import vfiowb.common.Models;

/** vfio-pci-core: REGION_INFO by index is fine; rw by index after the cookie is not. */
public final class PciCore {
    private PciCore() {}

    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_ioctl_get_region_info")
    static Object info(VfioPciCoreDevice vdev, int index) {
        return vdev.region(index - 9);
    }

    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_rw")
    static Object rw(VfioPciCoreDevice vdev, int index) {
        return vdev.region(index - 9);
    }
}
