package vfiowb.wccookie.drivers.ism;

import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX;

import vfiowb.common.Models;
import vfiowb.wccookie.core.VfioMmap;
import vfiowb.wccookie.pci.VfioPciCoreDevice;

/**
 * {@code struct ism_vfio_pci_mmap} (this series, drivers/vfio/pci/ism/main.c): the ISM driver's
 * cookie for config space or an assigned BAR. ISM has no mmap, so the cookie only names the
 * region for read, write and ioeventfd; what it gains is the offset: the core places the 256 TiB
 * BAR0 wherever it fits, which the driver's 48-bit layout existed for. Immutable.
 */
@Models("drivers/vfio/pci/ism/main.c:struct ism_vfio_pci_mmap")
public final class IsmVfioPciMmap extends VfioMmap {
    IsmVfioPciMmap(VfioPciCoreDevice vdev, int index, long size) {
        super(vdev, index, size);
    }

    @Override
    protected String describe() {
        return index() == VFIO_PCI_CONFIG_REGION_INDEX ? "config space"
                : "BAR" + index() + " by zPCI load/store";
    }
}
