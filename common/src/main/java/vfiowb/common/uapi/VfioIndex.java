package vfiowb.common.uapi;

import vfiowb.common.Models;

/**
 * The fixed region and IRQ index enums of vfio.h (kernel-facts §A.7).
 *
 * <p>vfio-pci's region indexes are ABI: BAR0..5, ROM, CONFIG and VGA have fixed indexes, and
 * every index from {@link #VFIO_PCI_NUM_REGIONS} up is device specific and identified only by a
 * {@code VFIO_REGION_INFO_CAP_TYPE} capability. vfio-ap has no regions.
 */
@Models("include/uapi/linux/vfio.h:VFIO_PCI_NUM_REGIONS")
public final class VfioIndex {
    private VfioIndex() {}

    public static final int VFIO_PCI_BAR0_REGION_INDEX = 0;
    public static final int VFIO_PCI_BAR1_REGION_INDEX = 1;
    public static final int VFIO_PCI_BAR2_REGION_INDEX = 2;
    public static final int VFIO_PCI_BAR3_REGION_INDEX = 3;
    public static final int VFIO_PCI_BAR4_REGION_INDEX = 4;
    public static final int VFIO_PCI_BAR5_REGION_INDEX = 5;
    public static final int VFIO_PCI_ROM_REGION_INDEX = 6;
    public static final int VFIO_PCI_CONFIG_REGION_INDEX = 7;
    /** Legacy VGA ranges at their identity offsets inside a 0xc0000-byte region. */
    public static final int VFIO_PCI_VGA_REGION_INDEX = 8;
    public static final int VFIO_PCI_NUM_REGIONS = 9;

    public static final int VFIO_PCI_INTX_IRQ_INDEX = 0;
    public static final int VFIO_PCI_MSI_IRQ_INDEX = 1;
    public static final int VFIO_PCI_MSIX_IRQ_INDEX = 2;
    public static final int VFIO_PCI_ERR_IRQ_INDEX = 3;
    public static final int VFIO_PCI_REQ_IRQ_INDEX = 4;
    public static final int VFIO_PCI_NUM_IRQS = 5;

    public static final int VFIO_CCW_CONFIG_REGION_INDEX = 0;
    public static final int VFIO_CCW_NUM_REGIONS = 1;

    public static final int VFIO_CCW_IO_IRQ_INDEX = 0;
    public static final int VFIO_CCW_CRW_IRQ_INDEX = 1;
    public static final int VFIO_CCW_REQ_IRQ_INDEX = 2;
    public static final int VFIO_CCW_NUM_IRQS = 3;

    public static final int VFIO_AP_REQ_IRQ_INDEX = 0;
    public static final int VFIO_AP_CFG_CHG_IRQ_INDEX = 1;
    public static final int VFIO_AP_NUM_IRQS = 2;

    private static final String[] PCI_REGION_NAMES = {
        "BAR0", "BAR1", "BAR2", "BAR3", "BAR4", "BAR5", "ROM", "CONFIG", "VGA",
    };
    private static final String[] PCI_IRQ_NAMES = {"INTX", "MSI", "MSIX", "ERR", "REQ"};

    /** {@code "BAR2"}, {@code "CONFIG"}, or {@code "region 9"} for a device-specific index. */
    public static String pciRegionName(long index) {
        return index >= 0 && index < VFIO_PCI_NUM_REGIONS
            ? PCI_REGION_NAMES[(int) index] : "region " + index;
    }

    /** {@code "MSIX"}, or {@code "irq 7"} for an index vfio-pci does not define. */
    public static String pciIrqName(long index) {
        return index >= 0 && index < VFIO_PCI_NUM_IRQS ? PCI_IRQ_NAMES[(int) index] : "irq " + index;
    }
}
