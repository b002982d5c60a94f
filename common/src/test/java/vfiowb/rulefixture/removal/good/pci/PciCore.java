package vfiowb.rulefixture.removal.good.pci;

import vfiowb.common.Models;

/** REGION_INFO finds the region by index; rw takes it from the cookie. */
public final class PciCore {
    private PciCore() {}

    /** A cookie naming its region. */
    record Cookie(Object region) {}

    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_ioctl_get_region_info_obj")
    static Cookie infoObj(VfioPciCoreDevice vdev, int index) {
        return new Cookie(vdev.region(index - 9));
    }

    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_rw")
    static Object rw(Cookie obj) {
        return obj.region();
    }
}
