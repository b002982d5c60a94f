package vfiowb.wccookie.drivers.virtio;

import vfiowb.common.Models;
import vfiowb.common.hw.PciErrorHandlers;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.hw.VirtioNetVf;
import vfiowb.common.mm.Arch;
import vfiowb.wccookie.core.VfioDevice;
import vfiowb.wccookie.core.VfioDeviceOps;
import vfiowb.wccookie.pci.VfioPciCore;

/**
 * drivers/vfio/pci/virtio/main.c: the virtio VF variant driver and its three tables. Live
 * migration ("device parts" admin commands) changes no region path; the transitional table
 * additionally emulates a legacy I/O BAR0 ({@link VirtioLegacyIo}).
 *
 * <p>Not modelled: migration (the device-parts commands, state, files).
 */
@Models("drivers/vfio/pci/virtio/main.c")
public final class VirtioVfioPci {
    /** The modern virtio-net PCI device ID; legacy I/O is offered for it only. */
    private static final int VIRTIO_NET_MODERN_DEVICE_ID = 0x1041;

    private VirtioVfioPci() {}

    /**
     * {@code virtiovf_vfio_pci_lm_ops}: live migration only, every region path from the core,
     * on its cookie ops with this series.
     */
    @Models("drivers/vfio/pci/virtio/main.c:virtiovf_vfio_pci_lm_ops")
    public static final VfioDeviceOps VIRTIOVF_VFIO_PCI_LM_OPS =
            VfioDeviceOps.builder("virtiovf_vfio_pci_lm_ops")
                    .name("virtio-vfio-pci-lm")
                    .openDevice(VirtioVfioPci::virtiovfPciOpenDevice)
                    .closeDevice(VirtioVfioPci::virtiovfPciCloseDevice)
                    .ioctl(VfioPciCore::vfioPciCoreIoctl)
                    .getRegionInfoObj(VfioPciCore::vfioPciIoctlGetRegionInfoObj)
                    .mmapObj(VfioPciCore::vfioPciCoreMmapObj)
                    .getRegionMmap(VfioPciCore::vfioPciCoreGetRegionMmap)
                    .readObj(VfioPciCore::vfioPciCoreReadObj)
                    .writeObj(VfioPciCore::vfioPciCoreWriteObj)
                    .ioeventfdObj(VfioPciCore::vfioPciCoreIoeventfdObj)
                    .deviceFeature(VfioPciCore::vfioPciCoreIoctlFeature)
                    .build();

    /**
     * {@code virtiovf_vfio_pci_tran_lm_ops}: the transitional table; own region info, read and
     * write for the emulated legacy BAR0 and config registers, and (this series) an mmap_obj
     * that keeps the emulated BAR's cookie away from vfio-pci-core's; ioctl, ioeventfd and the
     * other mappings from the core.
     */
    @Models("drivers/vfio/pci/virtio/main.c:virtiovf_vfio_pci_tran_lm_ops")
    public static final VfioDeviceOps VIRTIOVF_VFIO_PCI_TRAN_LM_OPS =
            VfioDeviceOps.builder("virtiovf_vfio_pci_tran_lm_ops")
                    .name("virtio-vfio-pci-trans-lm")
                    .openDevice(VirtioVfioPci::virtiovfPciOpenDevice)
                    .closeDevice(VirtioVfioPci::virtiovfPciCloseDevice)
                    .ioctl(VfioPciCore::vfioPciCoreIoctl)
                    .getRegionInfoObj(VirtioLegacyIo::virtiovfPciIoctlGetRegionInfoObj)
                    .mmapObj(VirtioLegacyIo::virtiovfPciMmapObj)
                    .readObj(VirtioLegacyIo::virtiovfPciCoreReadObj)
                    .writeObj(VirtioLegacyIo::virtiovfPciCoreWriteObj)
                    .ioeventfdObj(VfioPciCore::vfioPciCoreIoeventfdObj)
                    .deviceFeature(VfioPciCore::vfioPciCoreIoctlFeature)
                    .build();

    /**
     * {@code virtiovf_vfio_pci_ops}: neither migration nor legacy I/O; core close, and the
     * core's cookie ops.
     */
    @Models("drivers/vfio/pci/virtio/main.c:virtiovf_vfio_pci_ops")
    public static final VfioDeviceOps VIRTIOVF_VFIO_PCI_OPS =
            VfioDeviceOps.builder("virtiovf_vfio_pci_ops")
                    .name("virtio-vfio-pci")
                    .openDevice(VirtioVfioPci::virtiovfPciOpenDevice)
                    .closeDevice(VfioPciCore::vfioPciCoreCloseDevice)
                    .ioctl(VfioPciCore::vfioPciCoreIoctl)
                    .getRegionInfoObj(VfioPciCore::vfioPciIoctlGetRegionInfoObj)
                    .mmapObj(VfioPciCore::vfioPciCoreMmapObj)
                    .getRegionMmap(VfioPciCore::vfioPciCoreGetRegionMmap)
                    .readObj(VfioPciCore::vfioPciCoreReadObj)
                    .writeObj(VfioPciCore::vfioPciCoreWriteObj)
                    .ioeventfdObj(VfioPciCore::vfioPciCoreIoeventfdObj)
                    .deviceFeature(VfioPciCore::vfioPciCoreIoctlFeature)
                    .build();

    /**
     * {@code virtiovf_pci_probe}: for a VF, the transitional table when legacy I/O is supported
     * ({@code virtiovf_support_legacy_io}), else the live-migration table when the PF offers
     * device parts, else the plain table; with legacy I/O, {@code virtiovf_pci_init_device}
     * sets up the emulated BAR0 ({@code .init} runs inside {@code vfio_alloc_device}). A
     * function that is not a virtio-net VF model has no admin virtqueue and gets the plain
     * table.
     */
    @Models("drivers/vfio/pci/virtio/main.c:virtiovf_pci_probe")
    public static VirtiovfPciCoreDevice virtiovfPciProbe(PciFunction pdev, Arch arch) {
        VfioDeviceOps ops = VIRTIOVF_VFIO_PCI_OPS;
        boolean supLegacyIo = false;
        if (pdev.isVirtfn() && pdev instanceof VirtioNetVf) {
            VirtioNetVf vf = (VirtioNetVf) pdev;
            supLegacyIo = virtiovfSupportLegacyIo(vf);
            if (supLegacyIo) {
                ops = VIRTIOVF_VFIO_PCI_TRAN_LM_OPS;
            }
            if (vf.supportsLiveMigration() && !supLegacyIo) {
                ops = VIRTIOVF_VFIO_PCI_LM_OPS;
            }
        }
        VirtiovfPciCoreDevice virtvdev = new VirtiovfPciCoreDevice(ops, pdev, arch);
        if (supLegacyIo) {
            VirtioLegacyIo.virtiovfInitLegacyIo(virtvdev);
        }
        pdev.setDriverErrHandler(virtiovfErrHandlers(virtvdev));
        return virtvdev;
    }

    /**
     * {@code virtiovf_err_handlers}, the {@code err_handler} of {@code virtiovf_pci_driver}
     * (every table): {@code reset_done} is {@code virtiovf_pci_aer_reset_done}.
     */
    @Models("drivers/vfio/pci/virtio/main.c:virtiovf_err_handlers")
    static PciErrorHandlers virtiovfErrHandlers(VirtiovfPciCoreDevice virtvdev) {
        return new PciErrorHandlers() {
            @Override
            public void resetDone(PciFunction pdev) {
                virtiovfPciAerResetDone(virtvdev);
            }
        };
    }

    /**
     * {@code virtiovf_pci_aer_reset_done}: the legacy I/O state's reset
     * ({@code virtiovf_legacy_io_reset_done}, built with {@code CONFIG_VIRTIO_PCI_ADMIN_LEGACY})
     * and the migration state's (not modelled).
     */
    @Models("drivers/vfio/pci/virtio/main.c:virtiovf_pci_aer_reset_done")
    static void virtiovfPciAerResetDone(VirtiovfPciCoreDevice virtvdev) {
        VirtioLegacyIo.virtiovfLegacyIoResetDone(virtvdev);
    }

    /**
     * {@code virtiovf_support_legacy_io}: a modern virtio-net VF (0x1041) whose PF answers the
     * legacy I/O admin commands and that has no BAR0 of its own.
     */
    @Models("drivers/vfio/pci/virtio/legacy_io.c:virtiovf_support_legacy_io")
    static boolean virtiovfSupportLegacyIo(VirtioNetVf pdev) {
        return pdev.deviceId() == VIRTIO_NET_MODERN_DEVICE_ID && pdev.supportsLegacyIo()
                && !pdev.bar0Exists();
    }

    /**
     * {@code virtiovf_pci_open_device}: {@code vfio_pci_core_enable}; with legacy I/O, claim the
     * notify BAR ({@code virtiovf_open_legacy_io}, a failure disables the core); migration
     * open (not modelled); {@code vfio_pci_core_finish_enable}.
     */
    @Models("drivers/vfio/pci/virtio/main.c:virtiovf_pci_open_device")
    public static int virtiovfPciOpenDevice(VfioDevice core) {
        VirtiovfPciCoreDevice virtvdev = (VirtiovfPciCoreDevice) core;
        int ret = VfioPciCore.vfioPciCoreEnable(virtvdev);
        if (ret != 0) {
            return ret;
        }
        ret = VirtioLegacyIo.virtiovfOpenLegacyIo(virtvdev);
        if (ret != 0) {
            VfioPciCore.vfioPciCoreDisable(virtvdev);
            return ret;
        }
        VfioPciCore.vfioPciCoreFinishEnable(virtvdev);
        return 0;
    }

    /** {@code virtiovf_pci_close_device}: migration close (not modelled), then the core close. */
    @Models("drivers/vfio/pci/virtio/main.c:virtiovf_pci_close_device")
    public static void virtiovfPciCloseDevice(VfioDevice core) {
        VfioPciCore.vfioPciCoreCloseDevice(core);
    }
}
