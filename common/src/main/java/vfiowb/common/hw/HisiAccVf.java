package vfiowb.common.hw;

import vfiowb.common.Models;

/**
 * A HiSilicon accelerator VF (ZIP/SEC/HPRE queue manager). The QM hardware version is the PCI
 * revision ID. On QM_HW_V3 (0x30) the upper half of BAR2 holds the VF's migration registers,
 * which is why hisi-acc-vfio-pci's migration ops report BAR2 at half its size; newer hardware
 * keeps them in the PF and exposes the whole BAR (kernel-facts §C.1 #3).
 */
@Models("drivers/vfio/pci/hisilicon/hisi_acc_vfio_pci.c:hisi_acc_vfio_pci_probe")
public class HisiAccVf extends PciFunction {
    private static final int QM_HW_V3 = 0x30;

    public HisiAccVf(PciFunctionSpec spec, SystemBus bus) {
        super(spec, bus);
    }

    /** The revision ID: QM_HW_V1 0x20, V2 0x21, V3 0x30, later versions above. */
    public int qmHwVersion() {
        return revision();
    }

    /** Whether this is QM_HW_V3 hardware. */
    public boolean isQmHwV3() {
        return qmHwVersion() == QM_HW_V3;
    }

    /** Whether the QM supports live migration at all (V3 and later). */
    public boolean migrationCapable() {
        return qmHwVersion() >= QM_HW_V3;
    }

    /** Physical BAR2 length. */
    public long bar2Size() {
        return pciResourceLen(2);
    }

    /** Offset of the migration registers in BAR2 (its upper half) on V3, or -1 when elsewhere. */
    public long migrationRegistersOffset() {
        return isQmHwV3() ? bar2Size() / 2 : -1;
    }
}
