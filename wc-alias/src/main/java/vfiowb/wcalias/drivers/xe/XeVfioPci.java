package vfiowb.wcalias.drivers.xe;

import vfiowb.common.Models;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.mm.Arch;
import vfiowb.wcalias.core.VfioDevice;
import vfiowb.wcalias.core.VfioDeviceOps;
import vfiowb.wcalias.pci.VfioPciCore;
import vfiowb.wcalias.pci.VfioPciCoreDevice;

/**
 * drivers/vfio/pci/xe/main.c: the Intel Xe SR-IOV VF variant driver (live migration through the
 * xe PF driver). Every region path is vfio-pci-core's.
 *
 * <p>The driver was merged alongside the v6.19 region-info series without
 * {@code .get_region_info_caps}, so the v6.19 core answered every GET_REGION_INFO with -EINVAL
 * until "vfio/xe: Add default handler for .get_region_info_caps" (18 Dec 2025); the table here
 * is the fixed one.
 *
 * <p>Not modelled: migration (the xe SR-IOV VFIO interface, state machine, data files and the
 * FLR wait of {@code xe_vfio_pci_reset_done}).
 */
@Models("drivers/vfio/pci/xe/main.c")
public final class XeVfioPci {
    private XeVfioPci() {}

    /**
     * {@code xe_vfio_pci_ops}, with the Dec 2025 default handler for region info, moved by this
     * series to vfio-pci-core's cookie ops.
     */
    @Models("drivers/vfio/pci/xe/main.c:xe_vfio_pci_ops")
    public static final VfioDeviceOps XE_VFIO_PCI_OPS = VfioDeviceOps.builder("xe_vfio_pci_ops")
            .name("xe-vfio-pci")
            .openDevice(XeVfioPci::xeVfioPciOpenDevice)
            .closeDevice(XeVfioPci::xeVfioPciCloseDevice)
            .ioctl(VfioPciCore::vfioPciCoreIoctl)
            .getRegionInfoObj(VfioPciCore::vfioPciIoctlGetRegionInfoObj)
            .mmapObj(VfioPciCore::vfioPciCoreMmapObj)
            .readObj(VfioPciCore::vfioPciCoreReadObj)
            .writeObj(VfioPciCore::vfioPciCoreWriteObj)
            .ioeventfdObj(VfioPciCore::vfioPciCoreIoeventfdObj)
            .deviceFeature(VfioPciCore::vfioPciCoreIoctlFeatureWc)
            .build();

    /**
     * {@code xe_vfio_pci_open_device}: {@code vfio_pci_core_enable}, migration state RUNNING,
     * {@code vfio_pci_core_finish_enable}.
     */
    @Models("drivers/vfio/pci/xe/main.c:xe_vfio_pci_open_device")
    public static int xeVfioPciOpenDevice(VfioDevice core) {
        VfioPciCoreDevice vdev = (VfioPciCoreDevice) core;
        int ret = VfioPciCore.vfioPciCoreEnable(vdev);
        if (ret != 0) {
            return ret;
        }
        VfioPciCore.vfioPciCoreFinishEnable(vdev);
        return 0;
    }

    /** {@code xe_vfio_pci_close_device}: reset the migration state, then the core close. */
    @Models("drivers/vfio/pci/xe/main.c:xe_vfio_pci_close_device")
    public static void xeVfioPciCloseDevice(VfioDevice core) {
        VfioPciCore.vfioPciCoreCloseDevice(core);
    }

    /** {@code xe_vfio_pci_probe}. */
    @Models("drivers/vfio/pci/xe/main.c:xe_vfio_pci_probe")
    public static VfioPciCoreDevice xeVfioPciProbe(PciFunction pdev, Arch arch) {
        return new VfioPciCoreDevice(XE_VFIO_PCI_OPS, pdev, arch);
    }
}
