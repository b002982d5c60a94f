package vfiowb.wccookie.drivers.vfiopci;

import vfiowb.common.Models;
import vfiowb.common.hw.PciErrorHandlers;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.mm.Arch;
import vfiowb.wccookie.core.VfioDeviceOps;
import vfiowb.wccookie.pci.VfioPciCore;
import vfiowb.wccookie.pci.VfioPciCoreDevice;
import vfiowb.wccookie.pci.VfioPciDeviceOps;

/**
 * drivers/vfio/pci/vfio_pci.c: plain vfio-pci, every op straight from vfio-pci-core. The first
 * table on the mmap cookie ops (this series): REGION_INFO hands the core a cookie object, and
 * mmap, read, write and ioeventfd arrive with the object the core looked up.
 */
@Models("drivers/vfio/pci/vfio_pci.c")
public final class VfioPci {
    private VfioPci() {}

    /** {@code vfio_pci_ops}. */
    @Models("drivers/vfio/pci/vfio_pci.c:vfio_pci_ops")
    public static final VfioDeviceOps VFIO_PCI_OPS = VfioDeviceOps.builder("vfio_pci_ops")
            .name("vfio-pci")
            .openDevice(VfioPciCore::vfioPciOpenDevice)
            .closeDevice(VfioPciCore::vfioPciCoreCloseDevice)
            .ioctl(VfioPciCore::vfioPciCoreIoctl)
            .getRegionInfoObj(VfioPciCore::vfioPciIoctlGetRegionInfoObj)
            .mmapObj(VfioPciCore::vfioPciCoreMmapObj)
            .getRegionMmap(VfioPciCore::vfioPciCoreGetRegionMmap)
            .readObj(VfioPciCore::vfioPciCoreReadObj)
            .writeObj(VfioPciCore::vfioPciCoreWriteObj)
            .ioeventfdObj(VfioPciCore::vfioPciCoreIoeventfdObj)
            .deviceFeature(VfioPciCore::vfioPciCoreIoctlFeature)
            .build();

    /** {@code vfio_pci_dev_ops}: dma-buf export of BARs through vfio-pci-core's lookup. */
    @Models("drivers/vfio/pci/vfio_pci.c:vfio_pci_dev_ops")
    public static final VfioPciDeviceOps VFIO_PCI_DEV_OPS =
            new VfioPciDeviceOps("vfio_pci_dev_ops", VfioPciCore::vfioPciCoreGetDmabufPhys);

    /**
     * {@code vfio_pci_probe}: allocate the core device with {@code vfio_pci_ops} and point
     * {@code pci_ops} at {@code vfio_pci_dev_ops} before registering. vfio-pci's
     * {@code err_handler} is {@code vfio_pci_core_err_handlers}, which has no reset hooks.
     */
    @Models("drivers/vfio/pci/vfio_pci.c:vfio_pci_probe")
    public static VfioPciCoreDevice vfioPciProbe(PciFunction pdev, Arch arch) {
        VfioPciCoreDevice vdev = new VfioPciCoreDevice(VFIO_PCI_OPS, pdev, arch);
        vdev.setPciOps(VFIO_PCI_DEV_OPS);
        pdev.setDriverErrHandler(PciErrorHandlers.NONE);
        return vdev;
    }
}
