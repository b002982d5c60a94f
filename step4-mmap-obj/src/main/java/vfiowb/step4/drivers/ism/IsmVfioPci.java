package vfiowb.step4.drivers.ism;

import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_BAR5_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_NUM_REGIONS;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;

import vfiowb.common.Models;
import vfiowb.common.hw.IsmFunction;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.mm.Arch;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioRegionInfoStruct;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.step4.core.VfioDevice;
import vfiowb.step4.core.VfioDeviceOps;
import vfiowb.step4.core.VfioMmap;
import vfiowb.step4.pci.VfioPciCore;
import vfiowb.step4.pci.VfioPciCoreDevice;

/**
 * drivers/vfio/pci/ism/main.c (v7.1), on this series' cookie ops: the IBM s390 Internal Shared
 * Memory variant driver. ISM is reachable only through zPCI function-handle loads and store
 * blocks (no MIO instructions), so it has its own region info (config and BAR0..5 only), own
 * read and write, and no mmap at all: the core's {@code vfio_device_fops_mmap} then answers
 * -EINVAL. Its BAR0 is 256 TiB, which is why upstream brought a 48-bit layout
 * ({@code ISM_VFIO_PCI_OFFSET_SHIFT}, now gone): now REGION_INFO hands the core an
 * {@link IsmVfioPciMmap} and the core places it (under the legacy policy above every fixed
 * 1 TiB slot), and read, write and {@code VFIO_DEVICE_IOEVENTFD} arrive with the object and the
 * offset inside it.
 *
 * <p>The device is s390 only, where {@code PAGE_SIZE} is 4 KiB; the store-block page check uses
 * that size whatever architecture the model runs on. Not modelled: the per-device
 * {@code kmem_cache} of store-block buffers (its -ENOMEM), zPCI error codes of the load and
 * store instructions (the device model's accesses cannot fail).
 */
@Models("drivers/vfio/pci/ism/main.c")
public final class IsmVfioPci {
    /** s390's {@code PAGE_SIZE}: a store block must stay inside one such page. */
    private static final long S390_PAGE_SIZE = 4096;

    private IsmVfioPci() {}

    /**
     * {@code ism_pci_ops}: own region info, read and write on the cookie ops; no mmap; ioctl,
     * close and {@code ioeventfd_obj} from vfio-pci-core (the core resolves an ioeventfd's
     * offset through the same cookies, so it names a BAR the way read and write do).
     */
    @Models("drivers/vfio/pci/ism/main.c:ism_pci_ops")
    public static final VfioDeviceOps ISM_PCI_OPS = VfioDeviceOps.builder("ism_pci_ops")
            .name("ism-vfio-pci")
            .openDevice(IsmVfioPci::ismVfioPciOpenDevice)
            .closeDevice(VfioPciCore::vfioPciCoreCloseDevice)
            .ioctl(VfioPciCore::vfioPciCoreIoctl)
            .getRegionInfoObj(IsmVfioPci::ismVfioPciIoctlGetRegionInfoObj)
            .readObj(IsmVfioPci::ismVfioPciReadObj)
            .writeObj(IsmVfioPci::ismVfioPciWriteObj)
            .ioeventfdObj(VfioPciCore::vfioPciCoreIoeventfdObj)
            .deviceFeature(VfioPciCore::vfioPciCoreIoctlFeature)
            .build();

    /**
     * {@code ism_vfio_pci_probe}: binds IBM ISM functions only.
     *
     * @throws IllegalArgumentException for a function that is not an ISM device model (the
     *     kernel's ID table would not match it)
     */
    @Models("drivers/vfio/pci/ism/main.c:ism_vfio_pci_probe")
    public static VfioPciCoreDevice ismVfioPciProbe(PciFunction pdev, Arch arch) {
        if (!(pdev instanceof IsmFunction)) {
            throw new IllegalArgumentException(pdev.name() + " is not an IBM ISM function");
        }
        return new VfioPciCoreDevice(ISM_PCI_OPS, pdev, arch);
    }

    /**
     * {@code ism_vfio_pci_open_device}: {@code vfio_pci_core_enable}, then finish; ISM answers
     * only the fixed indexes, so {@code vdev->nr_regions} is {@code VFIO_PCI_NUM_REGIONS}
     * whatever vfio-pci-core counted.
     */
    @Models("drivers/vfio/pci/ism/main.c:ism_vfio_pci_open_device")
    public static int ismVfioPciOpenDevice(VfioDevice core) {
        VfioPciCoreDevice vdev = (VfioPciCoreDevice) core;
        int ret = VfioPciCore.vfioPciCoreEnable(vdev);
        if (ret != 0) {
            return ret;
        }
        VfioPciCore.vfioPciCoreFinishEnable(vdev);
        vdev.setNrRegions(VFIO_PCI_NUM_REGIONS);
        return 0;
    }

    /**
     * {@code ism_vfio_pci_ioctl_get_region_info_obj} (this series): config space and BAR0..5,
     * READ and WRITE (never MMAP), each with an {@link IsmVfioPciMmap}; an absent BAR has size
     * and flags 0 and no cookie; every other index (ROM, VGA, 9 and up) zeroes size and flags and
     * is -EINVAL. The offsets are the core's.
     */
    @Models("drivers/vfio/pci/ism/main.c:ism_vfio_pci_ioctl_get_region_info_obj")
    public static int ismVfioPciIoctlGetRegionInfoObj(VfioDevice core, VfioRegionInfoStruct info,
            VfioInfoCap caps, VfioMmap[] obj) {
        VfioPciCoreDevice vdev = (VfioPciCoreDevice) core;
        PciFunction pdev = vdev.pdev();
        long index = info.index();
        if (index == VFIO_PCI_CONFIG_REGION_INDEX) {
            info.setSize(pdev.cfgSize());
            info.setFlags(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE);
        } else if (index <= VFIO_PCI_BAR5_REGION_INDEX) {
            info.setSize(pdev.pciResourceLen((int) index));
            if (info.size() == 0) {
                info.setFlags(0);
                return 0;
            }
            info.setFlags(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE);
        } else {
            info.setSize(0);
            info.setFlags(0);
            return -EINVAL;
        }
        obj[0] = new IsmVfioPciMmap(vdev, (int) index, info.size());
        return 0;
    }

    /** {@code ism_vfio_pci_read_obj} (this series). */
    @Models("drivers/vfio/pci/ism/main.c:ism_vfio_pci_read_obj")
    public static long ismVfioPciReadObj(VfioDevice core, VfioMmap obj, UserBuffer buf,
            long count, long off) {
        return ismVfioPciRw(core, obj, buf, count, off, false);
    }

    /** {@code ism_vfio_pci_write_obj} (this series). */
    @Models("drivers/vfio/pci/ism/main.c:ism_vfio_pci_write_obj")
    public static long ismVfioPciWriteObj(VfioDevice core, VfioMmap obj, UserBuffer buf,
            long count, long off) {
        return ismVfioPciRw(core, obj, buf, count, off, true);
    }

    /**
     * {@code ism_vfio_pci_rw}: 0 for an empty access; config space or the BAR the object names,
     * at the offset inside it; any other region is -EINVAL (none has a cookie).
     */
    @Models("drivers/vfio/pci/ism/main.c:ism_vfio_pci_rw")
    static long ismVfioPciRw(VfioDevice core, VfioMmap obj, UserBuffer buf, long count, long off,
            boolean iswrite) {
        int index = obj.index();
        VfioPciCoreDevice vdev = (VfioPciCoreDevice) core;
        if (count == 0) {
            return 0;
        }
        if (index == VFIO_PCI_CONFIG_REGION_INDEX) {
            return ismVfioPciConfigRw(vdev, buf, count, off, iswrite);
        }
        if (index <= VFIO_PCI_BAR5_REGION_INDEX) {
            return ismVfioPciBarRw(vdev, index, buf, count, off, iswrite);
        }
        return -EINVAL;
    }

    /**
     * {@code ism_vfio_pci_config_rw}: config space through vfio-pci's virtualisation
     * ({@code vfio_pci_config_rw_single} in a loop), at the offset inside the region.
     */
    @Models("drivers/vfio/pci/ism/main.c:ism_vfio_pci_config_rw")
    static long ismVfioPciConfigRw(VfioPciCoreDevice vdev, UserBuffer buf, long count,
            long pos, boolean iswrite) {
        return vdev.config().rw(buf, count, pos, iswrite);
    }

    /**
     * {@code ism_vfio_pci_bar_rw}: -EINVAL for an unassigned BAR or a position at or past its
     * end; the count is clipped to the BAR; then zPCI loads or one store block, whose
     * {@code maxstbl} and page rules see the position inside the BAR, as before.
     */
    @Models("drivers/vfio/pci/ism/main.c:ism_vfio_pci_bar_rw")
    static long ismVfioPciBarRw(VfioPciCoreDevice vdev, int bar, UserBuffer buf, long count,
            long pos, boolean iswrite) {
        PciFunction pdev = vdev.pdev();
        long end;
        if (pdev.pciResourceStart(bar) != 0) {
            end = pdev.pciResourceLen(bar);
        } else {
            return -EINVAL;
        }
        if (pos >= end) {
            return -EINVAL;
        }
        count = Math.min(count, end - pos);
        if (iswrite) {
            return ismVfioPciDoIoW(vdev, buf, pos, count, bar);
        }
        return ismVfioPciDoIoR(vdev, buf, pos, count, bar);
    }

    /**
     * {@code ism_vfio_pci_do_io_r}: naturally aligned zPCI loads of 8, 4, 2 or 1 bytes
     * ({@code __zpci_load}, never MIO).
     */
    @Models("drivers/vfio/pci/ism/main.c:ism_vfio_pci_do_io_r")
    static long ismVfioPciDoIoR(VfioPciCoreDevice vdev, UserBuffer buf, long off, long count,
            int bar) {
        PciFunction pdev = vdev.pdev();
        long done = 0;
        while (count > 0) {
            int filled;
            if (count >= 8 && off % 8 == 0) {
                filled = 8;
            } else if (count >= 4 && off % 4 == 0) {
                filled = 4;
            } else if (count >= 2 && off % 2 == 0) {
                filled = 2;
            } else {
                filled = 1;
            }
            long val = pdev.barRead(bar, off, filled);
            byte[] b = new byte[filled];
            for (int i = 0; i < filled; i++) {
                b[i] = (byte) (val >>> (8 * i));
            }
            if (buf.copyToUser(done, b, 0, filled) != 0) {
                return -EFAULT;
            }
            count -= filled;
            done += filled;
            off += filled;
        }
        return done;
    }

    /**
     * {@code ism_vfio_pci_do_io_w}: the whole write is one PCI store block, so it may be at most
     * {@code maxstbl} bytes and must not cross a page (both -EINVAL; there is no splitting).
     */
    @Models("drivers/vfio/pci/ism/main.c:ism_vfio_pci_do_io_w")
    static long ismVfioPciDoIoW(VfioPciCoreDevice vdev, UserBuffer buf, long off, long count,
            int bar) {
        IsmFunction zdev = (IsmFunction) vdev.pdev();
        if (count > zdev.maxstbl()) {
            return -EINVAL;
        }
        if ((off % S390_PAGE_SIZE) + count > S390_PAGE_SIZE) {
            return -EINVAL;
        }
        byte[] data = new byte[(int) count];
        if (buf.copyFromUser(data, 0, 0, data.length) != 0) {
            return -EFAULT;
        }
        zdev.pciStoreBlock(bar, off, data);
        return count;
    }
}
