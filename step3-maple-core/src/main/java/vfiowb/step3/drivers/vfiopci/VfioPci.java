package vfiowb.step3.drivers.vfiopci;

import vfiowb.common.Models;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.mm.Arch;
import vfiowb.step3.core.VfioDeviceOps;
import vfiowb.step3.pci.VfioPciCore;
import vfiowb.step3.pci.VfioPciCoreDevice;

/** drivers/vfio/pci/vfio_pci.c: plain vfio-pci, every op straight from vfio-pci-core. */
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
            .getRegionInfoCaps(VfioPciCore::vfioPciIoctlGetRegionInfo)
            .read(VfioPciCore::vfioPciCoreRead)
            .write(VfioPciCore::vfioPciCoreWrite)
            .mmap(VfioPciCore::vfioPciCoreMmap)
            .build();

    /** {@code vfio_pci_probe}: allocate the core device with {@code vfio_pci_ops}. */
    @Models("drivers/vfio/pci/vfio_pci.c:vfio_pci_probe")
    public static VfioPciCoreDevice vfioPciProbe(PciFunction pdev, Arch arch) {
        return new VfioPciCoreDevice(VFIO_PCI_OPS, pdev, arch);
    }
}
