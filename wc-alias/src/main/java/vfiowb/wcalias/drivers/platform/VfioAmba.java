package vfiowb.wcalias.drivers.platform;

import vfiowb.common.Models;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.AmbaDevice;
import vfiowb.common.mm.Arch;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.wcalias.core.VfioDeviceOps;

/**
 * drivers/vfio/platform/vfio_amba.c: the AMBA glue of vfio-platform (marked for removal in
 * v6.18). One resource ({@code adev->res}), flags AMBA, no reset required.
 */
@Models("drivers/vfio/platform/vfio_amba.c")
public final class VfioAmba {
    private VfioAmba() {}

    /** {@code vfio_amba_ops}: the same functions as {@code vfio_platform_ops}. */
    @Models("drivers/vfio/platform/vfio_amba.c:vfio_amba_ops")
    public static final VfioDeviceOps VFIO_AMBA_OPS = VfioDeviceOps.builder("vfio_amba_ops")
            .name("vfio-amba")
            .openDevice(VfioPlatformCommon::vfioPlatformOpenDevice)
            .closeDevice(VfioPlatformCommon::vfioPlatformCloseDevice)
            .ioctl(VfioPlatformCommon::vfioPlatformIoctl)
            .getRegionInfoObj(VfioPlatformCommon::vfioPlatformIoctlGetRegionInfoObj)
            .readObj(VfioPlatformCommon::vfioPlatformReadObj)
            .writeObj(VfioPlatformCommon::vfioPlatformWriteObj)
            .mmapObj(VfioPlatformCommon::vfioPlatformMmapObj)
            .build();

    /**
     * {@code vfio_amba_probe} with {@code vfio_amba_init_dev}: name {@code vfio-amba-<periphid>},
     * {@code reset_required = false}. A primecell's device-tree compatible is
     * {@code arm,primecell}, for which no reset handler exists.
     */
    @Models("drivers/vfio/platform/vfio_amba.c:vfio_amba_probe")
    public static VfioPlatformDevice vfioAmbaProbe(AmbaDevice adev, Arch arch) {
        VfioPlatformDevice vdev = new VfioPlatformDevice(VFIO_AMBA_OPS, adev, arch,
                "arm,primecell", VfioDeviceInfo.VFIO_DEVICE_FLAGS_AMBA, false);
        int ret = VfioPlatformCommon.vfioPlatformInitCommon(vdev);
        if (ret != 0) {
            throw new ErrnoException(-ret, "vfio-amba: init failed for " + adev.name());
        }
        return vdev;
    }
}
