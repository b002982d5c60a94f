package vfiowb.wcalias.drivers.qat;

import vfiowb.common.Models;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.mm.Arch;
import vfiowb.wcalias.core.VfioDevice;
import vfiowb.wcalias.core.VfioDeviceOps;
import vfiowb.wcalias.pci.VfioPciCore;
import vfiowb.wcalias.pci.VfioPciCoreDevice;

/**
 * drivers/vfio/pci/qat/main.c: the Intel QAT VF variant driver. Every region path is
 * vfio-pci-core's; the driver adds live migration through the QAT PF driver's
 * {@code qat_vfmig_*} interface.
 *
 * <p>Not modelled: the migration device ({@code qat_vfmig_open/close} and state); the core
 * answers the migration features with -ENOTTY.
 */
@Models("drivers/vfio/pci/qat/main.c")
public final class QatVfioPci {
    private QatVfioPci() {}

    /**
     * {@code qat_vf_pci_ops}: own open/close, everything else from vfio-pci-core, whose cookie
     * ops this series moves it to. Unlike every other vfio-pci based table it sets no
     * {@code device_feature} (true in v6.19 still), so the low-power, VF-token and dma-buf
     * features are -ENOTTY from the core here; with alias regions it takes that feature only.
     */
    @Models("drivers/vfio/pci/qat/main.c:qat_vf_pci_ops")
    public static final VfioDeviceOps QAT_VF_PCI_OPS = VfioDeviceOps.builder("qat_vf_pci_ops")
            .name("qat-vf-vfio-pci")
            .openDevice(QatVfioPci::qatVfPciOpenDevice)
            .closeDevice(QatVfioPci::qatVfPciCloseDevice)
            .ioctl(VfioPciCore::vfioPciCoreIoctl)
            .getRegionInfoObj(VfioPciCore::vfioPciIoctlGetRegionInfoObj)
            .mmapObj(VfioPciCore::vfioPciCoreMmapObj)
            .readObj(VfioPciCore::vfioPciCoreReadObj)
            .writeObj(VfioPciCore::vfioPciCoreWriteObj)
            .ioeventfdObj(VfioPciCore::vfioPciCoreIoeventfdObj)
            .deviceFeature(VfioPciCore::vfioPciCoreIoctlFeatureWcOnly)
            .build();

    /**
     * {@code qat_vf_pci_open_device}: {@code vfio_pci_core_enable}, {@code qat_vfmig_open}
     * (a failure disables the core again), migration state RUNNING,
     * {@code vfio_pci_core_finish_enable}.
     */
    @Models("drivers/vfio/pci/qat/main.c:qat_vf_pci_open_device")
    public static int qatVfPciOpenDevice(VfioDevice core) {
        VfioPciCoreDevice vdev = (VfioPciCoreDevice) core;
        int ret = VfioPciCore.vfioPciCoreEnable(vdev);
        if (ret != 0) {
            return ret;
        }
        VfioPciCore.vfioPciCoreFinishEnable(vdev);
        return 0;
    }

    /** {@code qat_vf_pci_close_device}: {@code qat_vfmig_close}, then the core close. */
    @Models("drivers/vfio/pci/qat/main.c:qat_vf_pci_close_device")
    public static void qatVfPciCloseDevice(VfioDevice core) {
        VfioPciCore.vfioPciCoreCloseDevice(core);
    }

    /** {@code qat_vf_vfio_pci_probe}. */
    @Models("drivers/vfio/pci/qat/main.c:qat_vf_vfio_pci_probe")
    public static VfioPciCoreDevice qatVfVfioPciProbe(PciFunction pdev, Arch arch) {
        return new VfioPciCoreDevice(QAT_VF_PCI_OPS, pdev, arch);
    }
}
