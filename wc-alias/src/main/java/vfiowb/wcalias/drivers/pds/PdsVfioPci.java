package vfiowb.wcalias.drivers.pds;

import vfiowb.common.Models;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.mm.Arch;
import vfiowb.wcalias.core.VfioDevice;
import vfiowb.wcalias.core.VfioDeviceOps;
import vfiowb.wcalias.pci.VfioPciCore;
import vfiowb.wcalias.pci.VfioPciCoreDevice;

/**
 * drivers/vfio/pci/pds (vfio_dev.c, pci_drv.c): the AMD/Pensando DSC VF variant driver. Every
 * region path is vfio-pci-core's; the driver adds live migration and dirty tracking through
 * the PF's adminq.
 *
 * <p>Not modelled: migration state, the save/restore files and dirty tracking; the core
 * answers those features with -ENOTTY.
 */
@Models("drivers/vfio/pci/pds/vfio_dev.c")
public final class PdsVfioPci {
    private PdsVfioPci() {}

    /**
     * {@code pds_vfio_ops}: own open/close, everything else from vfio-pci-core, whose cookie
     * ops this series moves it to.
     */
    @Models("drivers/vfio/pci/pds/vfio_dev.c:pds_vfio_ops")
    public static final VfioDeviceOps PDS_VFIO_OPS = VfioDeviceOps.builder("pds_vfio_ops")
            .name("pds-vfio")
            .openDevice(PdsVfioPci::pdsVfioOpenDevice)
            .closeDevice(PdsVfioPci::pdsVfioCloseDevice)
            .ioctl(VfioPciCore::vfioPciCoreIoctl)
            .getRegionInfoObj(VfioPciCore::vfioPciIoctlGetRegionInfoObj)
            .mmapObj(VfioPciCore::vfioPciCoreMmapObj)
            .readObj(VfioPciCore::vfioPciCoreReadObj)
            .writeObj(VfioPciCore::vfioPciCoreWriteObj)
            .ioeventfdObj(VfioPciCore::vfioPciCoreIoeventfdObj)
            .deviceFeature(VfioPciCore::vfioPciCoreIoctlFeatureWc)
            .build();

    /**
     * {@code pds_vfio_open_device}: {@code vfio_pci_core_enable}, migration state RUNNING,
     * {@code vfio_pci_core_finish_enable}.
     */
    @Models("drivers/vfio/pci/pds/vfio_dev.c:pds_vfio_open_device")
    public static int pdsVfioOpenDevice(VfioDevice core) {
        VfioPciCoreDevice vdev = (VfioPciCoreDevice) core;
        int ret = VfioPciCore.vfioPciCoreEnable(vdev);
        if (ret != 0) {
            return ret;
        }
        VfioPciCore.vfioPciCoreFinishEnable(vdev);
        return 0;
    }

    /**
     * {@code pds_vfio_close_device}: put the save/restore files, disable dirty tracking, then
     * the core close.
     */
    @Models("drivers/vfio/pci/pds/vfio_dev.c:pds_vfio_close_device")
    public static void pdsVfioCloseDevice(VfioDevice core) {
        VfioPciCore.vfioPciCoreCloseDevice(core);
    }

    /** {@code pds_vfio_pci_probe}. */
    @Models("drivers/vfio/pci/pds/pci_drv.c:pds_vfio_pci_probe")
    public static VfioPciCoreDevice pdsVfioPciProbe(PciFunction pdev, Arch arch) {
        return new VfioPciCoreDevice(PDS_VFIO_OPS, pdev, arch);
    }
}
