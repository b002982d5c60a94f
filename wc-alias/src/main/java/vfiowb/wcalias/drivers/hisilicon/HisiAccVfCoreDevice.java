package vfiowb.wcalias.drivers.hisilicon;

import vfiowb.common.Models;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.mm.Arch;
import vfiowb.wcalias.core.VfioDeviceOps;
import vfiowb.wcalias.pci.VfioPciCoreDevice;

/**
 * {@code struct hisi_acc_vf_core_device}: vfio-pci-core's device plus, for the migration
 * table, where the VF's migration registers live ({@code drv_mode}).
 *
 * <p>The queue-manager state, the PF's {@code hisi_qm} and the migration files are not
 * modelled.
 */
@Models("drivers/vfio/pci/hisilicon/hisi_acc_vfio_pci.h:struct hisi_acc_vf_core_device")
public final class HisiAccVfCoreDevice extends VfioPciCoreDevice {
    /** {@code enum hw_drv_mode}. */
    public enum HwDrvMode {
        /** Migration registers in the upper half of the VF's BAR2 (QM_HW_V3). */
        HW_ACC_MIG_VF_CTRL,
        /** Migration registers in the PF's BAR2; the VF's BAR2 is all functional. */
        HW_ACC_MIG_PF_CTRL
    }

    private final HwDrvMode drvMode;

    HisiAccVfCoreDevice(VfioDeviceOps ops, PciFunction pdev, Arch arch, HwDrvMode drvMode) {
        super(ops, pdev, arch);
        this.drvMode = drvMode;
    }

    /** {@code hisi_acc_vdev->drv_mode}. */
    public HwDrvMode drvMode() {
        return drvMode;
    }
}
