package vfiowb.step3.drivers.vfiopci;

import vfiowb.common.Models;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.mm.Arch;
import vfiowb.step3.core.VfioDeviceOps;
import vfiowb.step3.pci.VfioPciCore;
import vfiowb.step3.pci.VfioPciCoreDevice;

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
            .readObj(VfioPciCore::vfioPciCoreReadObj)
            .writeObj(VfioPciCore::vfioPciCoreWriteObj)
            .ioeventfdObj(VfioPciCore::vfioPciCoreIoeventfdObj)
            .build();

    /** {@code vfio_pci_probe}: allocate the core device with {@code vfio_pci_ops}. */
    @Models("drivers/vfio/pci/vfio_pci.c:vfio_pci_probe")
    public static VfioPciCoreDevice vfioPciProbe(PciFunction pdev, Arch arch) {
        return new VfioPciCoreDevice(VFIO_PCI_OPS, pdev, arch);
    }
}
