package vfiowb.wccookie.pci;

import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.errno.Errno.ENODEV;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
import static vfiowb.common.uapi.VfioRegionType.PCI_VENDOR_ID_INTEL;
import static vfiowb.common.uapi.VfioRegionType.VFIO_REGION_SUBTYPE_INTEL_IGD_HOST_CFG;
import static vfiowb.common.uapi.VfioRegionType.VFIO_REGION_SUBTYPE_INTEL_IGD_LPC_CFG;
import static vfiowb.common.uapi.VfioRegionType.VFIO_REGION_SUBTYPE_INTEL_IGD_OPREGION;

import vfiowb.common.Models;
import vfiowb.common.hw.IgdFunction;
import vfiowb.common.uapi.VfioRegionType;
import vfiowb.common.userspace.UserBuffer;

/**
 * drivers/vfio/pci/vfio_pci_igd.c: the three read-only device-specific regions of an Intel
 * integrated GPU (OpRegion, host bridge config, LPC bridge config), the only upstream users of
 * {@code vfio_pci_core_register_dev_region}. Their rw decoded the region slot from the file
 * offset, a consumer of the 40-bit layout; with this series it gets the region and the position
 * inside it from the core.
 */
@Models("drivers/vfio/pci/vfio_pci_igd.c")
public final class VfioPciIgd {
    private VfioPciIgd() {}

    /**
     * Read-only copy out of a byte image: {@code vfio_pci_igd_rw} / {@code vfio_pci_igd_cfg_rw},
     * at the position inside the region the core resolved.
     */
    @Models({"drivers/vfio/pci/vfio_pci_igd.c:vfio_pci_igd_rw",
            "drivers/vfio/pci/vfio_pci_igd.c:vfio_pci_igd_cfg_rw"})
    static final VfioPciRegion.Ops IGD_REGOPS = (vdev, region, buf, count, pos, iswrite) -> {
        byte[] base = (byte[]) region.data();
        if (pos >= region.size() || iswrite) {
            return -EINVAL;
        }
        count = Math.min(count, region.size() - pos);
        if (buf.copyToUser(0, base, (int) pos, (int) count) != 0) {
            return -EFAULT;
        }
        return count;
    };

    /**
     * {@code vfio_pci_igd_init}: register the OpRegion, then the host bridge and LPC bridge
     * config regions; -ENODEV when the function is not an IGD with an OpRegion.
     */
    @Models("drivers/vfio/pci/vfio_pci_igd.c:vfio_pci_igd_init")
    static int vfioPciIgdInit(VfioPciCoreDevice vdev) {
        if (!(vdev.pdev() instanceof IgdFunction)) {
            return -ENODEV;
        }
        IgdFunction igd = (IgdFunction) vdev.pdev();
        int type = (int) VfioRegionType.pciVendorType(PCI_VENDOR_ID_INTEL);
        byte[] opregion = igd.opRegion();
        int ret = VfioPciCore.vfioPciCoreRegisterDevRegion(vdev, type,
                (int) VFIO_REGION_SUBTYPE_INTEL_IGD_OPREGION, IGD_REGOPS, opregion.length,
                VFIO_REGION_INFO_FLAG_READ, opregion);
        if (ret != 0) {
            return ret;
        }
        byte[] host = igd.hostBridgeConfig();
        ret = VfioPciCore.vfioPciCoreRegisterDevRegion(vdev, type,
                (int) VFIO_REGION_SUBTYPE_INTEL_IGD_HOST_CFG, IGD_REGOPS, host.length,
                VFIO_REGION_INFO_FLAG_READ, host);
        if (ret != 0) {
            return ret;
        }
        byte[] lpc = igd.lpcBridgeConfig();
        return VfioPciCore.vfioPciCoreRegisterDevRegion(vdev, type,
                (int) VFIO_REGION_SUBTYPE_INTEL_IGD_LPC_CFG, IGD_REGOPS, lpc.length,
                VFIO_REGION_INFO_FLAG_READ, lpc);
    }
}
