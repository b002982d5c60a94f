package vfiowb.wcdmabuf.drivers.platform;

import vfiowb.common.Models;

/**
 * drivers/vfio/platform/reset/vfio_platform_calxedaxgmac.c: the reset handler registered for
 * {@code calxeda,hb-xgmac}. It masks the DMA interrupts and stops transmit and receive in
 * region 0's registers.
 */
@Models("drivers/vfio/platform/reset/vfio_platform_calxedaxgmac.c")
final class VfioPlatformCalxedaXgmac {
    private static final int XGMAC_CONTROL = 0x0000;
    private static final int XGMAC_DMA_CONTROL = 0x0f18;
    private static final int XGMAC_DMA_INTR_ENA = 0x0f1c;
    private static final long DMA_CONTROL_ST = 0x00002000;
    private static final long DMA_CONTROL_SR = 0x00000002;
    private static final long MAC_ENABLE_TX = 0x00000008;
    private static final long MAC_ENABLE_RX = 0x00000004;

    private VfioPlatformCalxedaXgmac() {}

    /** {@code vfio_platform_calxedaxgmac_reset}. */
    @Models("drivers/vfio/platform/reset/vfio_platform_calxedaxgmac.c:vfio_platform_calxedaxgmac_reset")
    static int vfioPlatformCalxedaxgmacReset(VfioPlatformDevice vdev) {
        VfioPlatformRegion reg = vdev.regions.get(0);
        reg.mapped = true;
        vdev.hw().resourceWrite(0, XGMAC_DMA_INTR_ENA, 4, 0);
        xgmacMacDisable(vdev);
        return 0;
    }

    /** {@code xgmac_mac_disable}. */
    @Models("drivers/vfio/platform/reset/vfio_platform_calxedaxgmac.c:xgmac_mac_disable")
    private static void xgmacMacDisable(VfioPlatformDevice vdev) {
        long value = vdev.hw().resourceRead(0, XGMAC_DMA_CONTROL, 4);
        value &= ~(DMA_CONTROL_ST | DMA_CONTROL_SR);
        vdev.hw().resourceWrite(0, XGMAC_DMA_CONTROL, 4, value);

        value = vdev.hw().resourceRead(0, XGMAC_CONTROL, 4);
        value &= ~(MAC_ENABLE_TX | MAC_ENABLE_RX);
        vdev.hw().resourceWrite(0, XGMAC_CONTROL, 4, value);
    }
}
