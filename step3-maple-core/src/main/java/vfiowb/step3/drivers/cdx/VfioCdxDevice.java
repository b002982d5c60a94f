package vfiowb.step3.drivers.cdx;

import java.util.List;
import vfiowb.common.Models;
import vfiowb.common.hw.CdxDevice;
import vfiowb.common.mm.Arch;
import vfiowb.step3.core.VfioDevice;
import vfiowb.step3.core.VfioDeviceOps;

/**
 * {@code struct vfio_cdx_device}: the regions built at open ({@code struct vfio_cdx_region}:
 * flags, type, addr, size) and {@code flags} with {@code BME_SUPPORT}.
 */
@Models("drivers/vfio/cdx/private.h:struct vfio_cdx_device")
public final class VfioCdxDevice extends VfioDevice {
    /** {@code struct vfio_cdx_region}. */
    record Region(long flags, long type, long addr, long size) {}

    private final CdxDevice cdxDev;
    /** {@code vdev->regions}: {@code kcalloc}'d at open, freed at close. */
    List<Region> regions;
    int flags;

    VfioCdxDevice(VfioDeviceOps ops, CdxDevice cdxDev, Arch arch) {
        super(ops, cdxDev, arch);
        this.cdxDev = cdxDev;
    }

    /** {@code to_cdx_device(vdev->vdev.dev)}. */
    CdxDevice cdxDev() {
        return cdxDev;
    }
}
