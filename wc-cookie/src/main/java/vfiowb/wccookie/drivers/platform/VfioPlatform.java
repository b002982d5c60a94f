package vfiowb.wccookie.drivers.platform;

import vfiowb.common.Models;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.PlatformDevice;
import vfiowb.common.mm.Arch;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.wccookie.core.VfioDeviceOps;

/**
 * drivers/vfio/platform/vfio_platform.c: the platform-bus glue of vfio-platform. Every op is
 * vfio_platform_common's.
 */
@Models("drivers/vfio/platform/vfio_platform.c")
public final class VfioPlatform {
    private VfioPlatform() {}

    /** {@code vfio_platform_ops}. */
    @Models("drivers/vfio/platform/vfio_platform.c:vfio_platform_ops")
    public static final VfioDeviceOps VFIO_PLATFORM_OPS = VfioDeviceOps.builder("vfio_platform_ops")
            .name("vfio-platform")
            .openDevice(VfioPlatformCommon::vfioPlatformOpenDevice)
            .closeDevice(VfioPlatformCommon::vfioPlatformCloseDevice)
            .ioctl(VfioPlatformCommon::vfioPlatformIoctl)
            .getRegionInfoObj(VfioPlatformCommon::vfioPlatformIoctlGetRegionInfoObj)
            .readObj(VfioPlatformCommon::vfioPlatformReadObj)
            .writeObj(VfioPlatformCommon::vfioPlatformWriteObj)
            .mmapObj(VfioPlatformCommon::vfioPlatformMmapObj)
            .build();

    /**
     * {@code vfio_platform_probe} with {@code vfio_platform_init_dev}: flags PLATFORM, the
     * {@code reset_required} module parameter at its default (true), so a device without a
     * reset handler is refused.
     *
     * @throws ErrnoException ENOENT for a device without a reset handler
     */
    @Models("drivers/vfio/platform/vfio_platform.c:vfio_platform_probe")
    public static VfioPlatformDevice vfioPlatformProbe(PlatformDevice pdev, Arch arch) {
        return vfioPlatformProbe(pdev, arch, true);
    }

    /** {@link #vfioPlatformProbe(PlatformDevice, Arch)} with {@code reset_required} given. */
    @Models("drivers/vfio/platform/vfio_platform.c:vfio_platform_init_dev")
    public static VfioPlatformDevice vfioPlatformProbe(PlatformDevice pdev, Arch arch,
            boolean resetRequired) {
        VfioPlatformDevice vdev = new VfioPlatformDevice(VFIO_PLATFORM_OPS, pdev, arch,
                pdev.compatible(), VfioDeviceInfo.VFIO_DEVICE_FLAGS_PLATFORM, resetRequired);
        int ret = VfioPlatformCommon.vfioPlatformInitCommon(vdev);
        if (ret != 0) {
            throw new ErrnoException(-ret, "vfio-platform: no reset function found for "
                    + pdev.name());
        }
        return vdev;
    }
}
