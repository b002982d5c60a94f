package vfiowb.wcdmabuf.drivers.mlx5;

import vfiowb.common.Models;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.mm.Arch;
import vfiowb.wcdmabuf.core.VfioDevice;
import vfiowb.wcdmabuf.core.VfioDeviceOps;
import vfiowb.wcdmabuf.pci.VfioPciCore;
import vfiowb.wcdmabuf.pci.VfioPciCoreDevice;

/**
 * drivers/vfio/pci/mlx5/main.c: the ConnectX VF variant driver. Every region path is
 * vfio-pci-core's; the driver only adds live migration and dirty-page tracking.
 *
 * <p>Not modelled: migration itself ({@code mig_ops}, the VHCA state commands, the save and
 * resume files, {@code migrate_cap}, {@code mig_state}) and DMA logging ({@code log_ops}). The
 * core answers the migration features with -ENOTTY as for a device without them, and
 * {@code mlx5vf_disable_fds} has no files to disable.
 */
@Models("drivers/vfio/pci/mlx5/main.c")
public final class Mlx5VfioPci {
    private Mlx5VfioPci() {}

    /**
     * {@code mlx5vf_pci_ops}: own open/close wrappers, everything else from vfio-pci-core; this
     * series moves it to vfio-pci-core's cookie ops (REGION_INFO hands the core a
     * {@code struct vfio_pci_mmap}; mmap, read, write and ioeventfd arrive with the object the
     * core looked up).
     */
    @Models("drivers/vfio/pci/mlx5/main.c:mlx5vf_pci_ops")
    public static final VfioDeviceOps MLX5VF_PCI_OPS = VfioDeviceOps.builder("mlx5vf_pci_ops")
            .name("mlx5-vfio-pci")
            .openDevice(Mlx5VfioPci::mlx5vfPciOpenDevice)
            .closeDevice(Mlx5VfioPci::mlx5vfPciCloseDevice)
            .ioctl(VfioPciCore::vfioPciCoreIoctl)
            .getRegionInfoObj(VfioPciCore::vfioPciIoctlGetRegionInfoObj)
            .mmapObj(VfioPciCore::vfioPciCoreMmapObj)
            .readObj(VfioPciCore::vfioPciCoreReadObj)
            .writeObj(VfioPciCore::vfioPciCoreWriteObj)
            .ioeventfdObj(VfioPciCore::vfioPciCoreIoeventfdObj)
            .deviceFeature(VfioPciCore::vfioPciCoreIoctlFeatureWc)
            .build();

    /**
     * {@code mlx5vf_pci_open_device}: {@code vfio_pci_core_enable} (which sets
     * {@code nr_regions} for the cookie tree), then (when migration capable) the migration state
     * goes to RUNNING, then {@code vfio_pci_core_finish_enable}.
     */
    @Models("drivers/vfio/pci/mlx5/main.c:mlx5vf_pci_open_device")
    public static int mlx5vfPciOpenDevice(VfioDevice core) {
        VfioPciCoreDevice vdev = (VfioPciCoreDevice) core;
        int ret = VfioPciCore.vfioPciCoreEnable(vdev);
        if (ret != 0) {
            return ret;
        }
        VfioPciCore.vfioPciCoreFinishEnable(vdev);
        return 0;
    }

    /** {@code mlx5vf_pci_close_device}: drop the migration files, then the core close. */
    @Models("drivers/vfio/pci/mlx5/main.c:mlx5vf_pci_close_device")
    public static void mlx5vfPciCloseDevice(VfioDevice core) {
        VfioPciCore.vfioPciCoreCloseDevice(core);
    }

    /** {@code mlx5vf_pci_probe}: one table for every VF, migration capable or not. */
    @Models("drivers/vfio/pci/mlx5/main.c:mlx5vf_pci_probe")
    public static VfioPciCoreDevice mlx5vfPciProbe(PciFunction pdev, Arch arch) {
        return new VfioPciCoreDevice(MLX5VF_PCI_OPS, pdev, arch);
    }
}
