package vfiowb.wccookie.drivers.hisilicon;

import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_BAR2_REGION_INDEX;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;

import vfiowb.common.Models;
import vfiowb.common.hw.HisiAccVf;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.PgProt;
import vfiowb.common.mm.VmArea;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioRegionInfoStruct;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.wccookie.core.VfioDevice;
import vfiowb.wccookie.core.VfioDeviceOps;
import vfiowb.wccookie.core.VfioMmap;
import vfiowb.wccookie.pci.VfioPciCore;
import vfiowb.wccookie.pci.VfioPciCoreDevice;
import vfiowb.wccookie.pci.VfioPciMmap;

/**
 * drivers/vfio/pci/hisilicon/hisi_acc_vfio_pci.c as of v6.19: the HiSilicon accelerator VF
 * driver. Its migration table hides the part of BAR2 that holds the VF's migration registers:
 * region info reports the usable length, read/write refuse offsets beyond it and clip the count,
 * mmap refuses a range that reaches past it, then everything goes to vfio-pci-core.
 *
 * <p>With this series the usable length is the length of BAR2's cookie: region info hands the
 * core a {@code struct vfio_pci_mmap} of that length, and read, write and mmap check the
 * position inside the object the core resolved against it. The core already refuses a VMA that
 * leaves the cookie's pages; the driver's check remains for the bytes of the last page past
 * the usable length (with 64 KiB pages the whole of a 32 KiB half BAR2).
 *
 * <p>Since v6.19 ("hisi_acc new HW revision") the usable length is half the BAR only when the
 * registers sit in the VF ({@code HW_ACC_MIG_VF_CTRL}, QM_HW_V3); otherwise the whole BAR. The
 * model takes QM_HW_V3 for VF_CTRL ({@link HisiAccVf#isQmHwV3()}); the kernel also requires the
 * PF's {@code QM_MIG_REGION_EN} for PF_CTRL on later hardware, which the device model does not
 * have.
 *
 * <p>Not modelled: migration itself (the QM state save/restore, {@code hisi_acc_vf_qm_init}'s
 * ioremap of the migration registers, the files and debugfs).
 */
@Models("drivers/vfio/pci/hisilicon/hisi_acc_vfio_pci.c")
public final class HisiAccVfioPci {
    /** {@code QM_HW_V3}: first queue-manager revision with live migration. */
    private static final int QM_HW_V3 = 0x30;

    private HisiAccVfioPci() {}

    /**
     * {@code hisi_acc_vfio_pci_migrn_ops}: own region info, read, write and mmap around BAR2;
     * ioctl and ioeventfd from the core.
     */
    @Models("drivers/vfio/pci/hisilicon/hisi_acc_vfio_pci.c:hisi_acc_vfio_pci_migrn_ops")
    public static final VfioDeviceOps HISI_ACC_VFIO_PCI_MIGRN_OPS =
            VfioDeviceOps.builder("hisi_acc_vfio_pci_migrn_ops")
                    .name("hisi-acc-vfio-pci-migration")
                    .openDevice(HisiAccVfioPci::hisiAccVfioPciOpenDevice)
                    .closeDevice(HisiAccVfioPci::hisiAccVfioPciCloseDevice)
                    .ioctl(VfioPciCore::vfioPciCoreIoctl)
                    .getRegionInfoObj(HisiAccVfioPci::hisiAccVfioIoctlGetRegionObj)
                    .mmapObj(HisiAccVfioPci::hisiAccVfioPciMmapObj)
                    .readObj(HisiAccVfioPci::hisiAccVfioPciReadObj)
                    .writeObj(HisiAccVfioPci::hisiAccVfioPciWriteObj)
                    .ioeventfdObj(VfioPciCore::vfioPciCoreIoeventfdObj)
                    .deviceFeature(VfioPciCore::vfioPciCoreIoctlFeature)
                    .build();

    /** {@code hisi_acc_vfio_pci_ops}: no migration, every region path from vfio-pci-core. */
    @Models("drivers/vfio/pci/hisilicon/hisi_acc_vfio_pci.c:hisi_acc_vfio_pci_ops")
    public static final VfioDeviceOps HISI_ACC_VFIO_PCI_OPS =
            VfioDeviceOps.builder("hisi_acc_vfio_pci_ops")
                    .name("hisi-acc-vfio-pci")
                    .openDevice(HisiAccVfioPci::hisiAccVfioPciOpenDevice)
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
     * {@code hisi_acc_vfio_pci_probe}: the migration table when the PF's queue manager is
     * QM_HW_V3 or later and the function is a VF, else the plain one. A function that is not a
     * HiSilicon accelerator VF has no PF queue manager to find and gets the plain table.
     */
    @Models("drivers/vfio/pci/hisilicon/hisi_acc_vfio_pci.c:hisi_acc_vfio_pci_probe")
    public static HisiAccVfCoreDevice hisiAccVfioPciProbe(PciFunction pdev, Arch arch) {
        VfioDeviceOps ops = HISI_ACC_VFIO_PCI_OPS;
        HisiAccVfCoreDevice.HwDrvMode mode = HisiAccVfCoreDevice.HwDrvMode.HW_ACC_MIG_PF_CTRL;
        if (pdev instanceof HisiAccVf && ((HisiAccVf) pdev).qmHwVersion() >= QM_HW_V3
                && pdev.isVirtfn()) {
            ops = HISI_ACC_VFIO_PCI_MIGRN_OPS;
            if (((HisiAccVf) pdev).isQmHwV3()) {
                mode = HisiAccVfCoreDevice.HwDrvMode.HW_ACC_MIG_VF_CTRL;
            }
        }
        return new HisiAccVfCoreDevice(ops, pdev, arch, mode);
    }

    /**
     * {@code hisi_acc_vfio_pci_open_device}: {@code vfio_pci_core_enable} (which sets
     * {@code nr_regions}); with migration the QM is set up (not modelled) and the state goes to
     * RUNNING; then {@code vfio_pci_core_finish_enable}.
     */
    @Models("drivers/vfio/pci/hisilicon/hisi_acc_vfio_pci.c:hisi_acc_vfio_pci_open_device")
    public static int hisiAccVfioPciOpenDevice(VfioDevice core) {
        VfioPciCoreDevice vdev = (VfioPciCoreDevice) core;
        int ret = VfioPciCore.vfioPciCoreEnable(vdev);
        if (ret != 0) {
            return ret;
        }
        VfioPciCore.vfioPciCoreFinishEnable(vdev);
        return 0;
    }

    /** {@code hisi_acc_vfio_pci_close_device}: unmap the QM registers, then the core close. */
    @Models("drivers/vfio/pci/hisilicon/hisi_acc_vfio_pci.c:hisi_acc_vfio_pci_close_device")
    public static void hisiAccVfioPciCloseDevice(VfioDevice core) {
        VfioPciCore.vfioPciCoreCloseDevice(core);
    }

    /**
     * {@code hisi_acc_get_resource_len}: the part of a BAR userspace may use, half of it when
     * the VF holds its own migration registers there.
     */
    @Models("drivers/vfio/pci/hisilicon/hisi_acc_vfio_pci.c:hisi_acc_get_resource_len")
    static long hisiAccGetResourceLen(HisiAccVfCoreDevice vdev, int index) {
        long len = vdev.pdev().pciResourceLen(index);
        if (vdev.drvMode() == HisiAccVfCoreDevice.HwDrvMode.HW_ACC_MIG_VF_CTRL) {
            return len >>> 1;
        }
        return len;
    }

    /**
     * {@code hisi_acc_pci_rw_access_check}: for BAR2, a position at or beyond the object's
     * length (the usable part of the BAR) is -EINVAL and the count is clipped to it; other
     * regions pass unchanged. The position is the one inside the object the core resolved.
     *
     * @return the count to pass on, or a negative errno
     */
    @Models("drivers/vfio/pci/hisilicon/hisi_acc_vfio_pci.c:hisi_acc_pci_rw_access_check")
    static long hisiAccPciRwAccessCheck(VfioMmap obj, long count, long pos) {
        if (obj.index() == VFIO_PCI_BAR2_REGION_INDEX) {
            long end = obj.size();
            if (Long.compareUnsigned(pos, end) >= 0) {
                return -EINVAL;
            }
            return Math.min(count, end - pos);
        }
        return count;
    }

    /**
     * {@code hisi_acc_vfio_pci_read_obj} (this series): the access check, then
     * {@code vfio_pci_core_read_obj}.
     */
    @Models("drivers/vfio/pci/hisilicon/hisi_acc_vfio_pci.c:hisi_acc_vfio_pci_read_obj")
    public static long hisiAccVfioPciReadObj(VfioDevice core, VfioMmap obj, UserBuffer buf,
            long count, long pos) {
        long newCount = hisiAccPciRwAccessCheck(obj, count, pos);
        if (newCount < 0) {
            return newCount;
        }
        return VfioPciCore.vfioPciCoreReadObj(core, obj, buf, newCount, pos);
    }

    /**
     * {@code hisi_acc_vfio_pci_write_obj} (this series): the access check, then
     * {@code vfio_pci_core_write_obj}.
     */
    @Models("drivers/vfio/pci/hisilicon/hisi_acc_vfio_pci.c:hisi_acc_vfio_pci_write_obj")
    public static long hisiAccVfioPciWriteObj(VfioDevice core, VfioMmap obj, UserBuffer buf,
            long count, long pos) {
        long newCount = hisiAccPciRwAccessCheck(obj, count, pos);
        if (newCount < 0) {
            return newCount;
        }
        return VfioPciCore.vfioPciCoreWriteObj(core, obj, buf, newCount, pos);
    }

    /**
     * {@code hisi_acc_vfio_pci_mmap_obj} (this series): for BAR2, a range reaching past the
     * object's length is -EINVAL. The length is not page aligned, so with 64 KiB pages a half
     * BAR2 smaller than a page cannot be mapped at all (the core's page check lets the one-page
     * VMA through; this one does not). Then {@code vfio_pci_core_mmap_obj}.
     */
    @Models("drivers/vfio/pci/hisilicon/hisi_acc_vfio_pci.c:hisi_acc_vfio_pci_mmap_obj")
    public static int hisiAccVfioPciMmapObj(VfioDevice core, VmArea vma, VfioMmap obj) {
        if (obj.index() == VFIO_PCI_BAR2_REGION_INDEX) {
            long end = obj.size();
            long reqLen = vma.vmEnd() - vma.vmStart();
            long reqStart = obj.vmaOffset(vma);
            if (Long.compareUnsigned(reqStart + reqLen, end) > 0) {
                return -EINVAL;
            }
        }
        return VfioPciCore.vfioPciCoreMmapObj(core, vma, obj);
    }

    /**
     * {@code hisi_acc_vfio_ioctl_get_region_obj} (this series), the migration table's
     * {@code get_region_info_obj}: BAR2 at its usable length, always READ, WRITE and MMAP, with
     * a {@code struct vfio_pci_mmap} of that length, so the object itself carries the limit;
     * every other index from vfio-pci-core.
     */
    @Models("drivers/vfio/pci/hisilicon/hisi_acc_vfio_pci.c:hisi_acc_vfio_ioctl_get_region_obj")
    public static int hisiAccVfioIoctlGetRegionObj(VfioDevice core, VfioRegionInfoStruct info,
            VfioInfoCap caps, VfioMmap[] obj) {
        HisiAccVfCoreDevice vdev = (HisiAccVfCoreDevice) core;
        if (info.index() != VFIO_PCI_BAR2_REGION_INDEX) {
            return VfioPciCore.vfioPciIoctlGetRegionInfoObj(core, info, caps, obj);
        }
        int bar = (int) info.index();
        info.setSize(hisiAccGetResourceLen(vdev, bar));
        info.setFlags(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE
                | VFIO_REGION_INFO_FLAG_MMAP);
        if (info.size() != 0) {
            obj[0] = new VfioPciMmap(vdev, bar, info.size(), vdev.pdev().pciResourceStart(bar),
                    PgProt.UC);
        }
        return 0;
    }
}
