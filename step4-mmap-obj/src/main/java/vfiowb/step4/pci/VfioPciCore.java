package vfiowb.step4.pci;

import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.errno.Errno.ENOTTY;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_BAR5_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_ERR_IRQ_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_INTX_IRQ_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_MSIX_IRQ_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_MSI_IRQ_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_NUM_IRQS;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_NUM_REGIONS;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_REQ_IRQ_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_ROM_REGION_INDEX;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_VGA_REGION_INDEX;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_CAP_MSIX_MAPPABLE;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_CAP_TYPE;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;

import vfiowb.common.Models;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.hw.SystemBus;
import vfiowb.common.hw.VfioPciConfig;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Memory;
import vfiowb.common.mm.PgProt;
import vfiowb.common.mm.VmArea;
import vfiowb.common.mm.VmFault;
import vfiowb.common.mm.VmFaultResult;
import vfiowb.common.mm.VmFlag;
import vfiowb.common.mm.VmOperations;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioInfoCapHeader;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionInfoStruct;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.step4.core.VfioDevice;
import vfiowb.step4.core.VfioMain;
import vfiowb.step4.core.VfioMmap;

/**
 * drivers/vfio/pci/vfio_pci_core.c as of v6.19: the functions every vfio-pci based ops table
 * points at. With this series every region path takes the file's cookie and the offset inside
 * it from the core: nothing here decodes a region index or a position from a file offset or a
 * pgoff any more ({@link VfioPciOffsets}, the 40-bit layout, stays until stage 5, unused).
 */
@Models("drivers/vfio/pci/vfio_pci_core.c")
public final class VfioPciCore {
    private VfioPciCore() {}

    private static VfioPciCoreDevice toPci(VfioDevice core) {
        return (VfioPciCoreDevice) core;
    }

    // ---------------------------------------------------------------- open / close

    /**
     * {@code vfio_pci_core_enable} (the {@code open_device} of most tables): enable the
     * function, set up config virtualisation, find MSI-X, decide which BARs may be mmapped,
     * register IGD regions.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_enable")
    public static int vfioPciCoreEnable(VfioPciCoreDevice vdev) {
        PciFunction pdev = vdev.pdev();
        pdev.pciEnableDevice();
        vdev.resetWorks = pdev.flrCapable();
        vdev.config = new VfioPciConfig(pdev, memoryLockOf(vdev));
        if (pdev.hasMsix()) {
            vdev.msixBar = pdev.msixTableBar();
            vdev.msixOffset = pdev.msixTableOffset();
            vdev.msixSize = pdev.msixTableSize();
        } else {
            vdev.msixBar = 0xff;
        }
        vdev.hasVga = pdev.isVga();
        vfioPciProbeMmaps(vdev);
        if (pdev.isVga() && pdev.vendorId() == 0x8086) {
            int ret = VfioPciIgd.vfioPciIgdInit(vdev);
            if (ret != 0 && ret != -vfiowb.common.errno.Errno.ENODEV) {
                vfioPciCoreDisable(vdev);
                return ret;
            }
        }
        vdev.setNrRegions(VFIO_PCI_NUM_REGIONS + vdev.numRegions());
        return 0;
    }

    /** {@code vfio_pci_core_finish_enable}: nothing the model needs beyond enable. */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_finish_enable")
    public static void vfioPciCoreFinishEnable(VfioPciCoreDevice vdev) {}

    /** {@code open_device} of vfio_pci_ops: {@code vfio_pci_open_device}. */
    @Models("drivers/vfio/pci/vfio_pci.c:vfio_pci_open_device")
    public static int vfioPciOpenDevice(VfioDevice core) {
        VfioPciCoreDevice vdev = toPci(core);
        int ret = vfioPciCoreEnable(vdev);
        if (ret != 0) {
            return ret;
        }
        vfioPciCoreFinishEnable(vdev);
        return 0;
    }

    /**
     * {@code vfio_pci_core_disable}: release device-specific regions (they are registered again
     * on the next open), ioeventfds and BAR claims.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_disable")
    public static void vfioPciCoreDisable(VfioPciCoreDevice vdev) {
        for (VfioPciRegion r : vdev.region) {
            r.ops().release(vdev, r);
        }
        vdev.region.clear();
        vdev.ioeventfdsList.clear();
        for (int i = 0; i < VfioPciCoreDevice.PCI_STD_NUM_BARS; i++) {
            vdev.barmap[i] = false;
        }
        for (long dummy : vdev.dummyResources) {
            vdev.pdev().bus().releaseRegion(dummy);
        }
        vdev.dummyResources.clear();
        vdev.pdev().pciResetFunction();
    }

    /** {@code vfio_pci_core_close_device}. */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_close_device")
    public static void vfioPciCoreCloseDevice(VfioDevice core) {
        vfioPciCoreDisable(toPci(core));
    }

    /**
     * {@code vfio_pci_probe_mmaps}: memory BARs of at least a page are mappable; a smaller one
     * only when it starts on a page boundary (the kernel then reserves the rest of the page as
     * "vfio sub-page reserved", which fails when another resource already decodes there); I/O
     * BARs never.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_probe_mmaps")
    static void vfioPciProbeMmaps(VfioPciCoreDevice vdev) {
        PciFunction pdev = vdev.pdev();
        Arch arch = vdev.arch();
        for (int i = 0; i < VfioPciCoreDevice.PCI_STD_NUM_BARS; i++) {
            long len = pdev.pciResourceLen(i);
            if (!pdev.isMemBar(i) || len == 0) {
                vdev.barMmapSupported[i] = false;
                continue;
            }
            if (len >= arch.pageSize()) {
                vdev.barMmapSupported[i] = true;
                continue;
            }
            long start = pdev.pciResourceStart(i);
            if (arch.isPageAligned(start)) {
                // Reserve the rest of the page so nothing hot-added lands in it; if something
                // already decodes there, userspace must not map it.
                long dummyStart = start + len;
                if (pdev.bus().requestRegion(dummyStart, arch.pageSize() - len,
                        SystemBus.reserved())) {
                    vdev.dummyResources.add(dummyStart);
                    vdev.barMmapSupported[i] = true;
                    continue;
                }
            }
            vdev.barMmapSupported[i] = false;
        }
    }

    // ---------------------------------------------------------------- ioctl

    /**
     * {@code vfio_pci_core_ioctl}: every device ioctl the core does not decode itself. With this
     * series {@code VFIO_DEVICE_IOEVENTFD} is the core's (through {@code ioeventfd_obj}) and no
     * longer decoded here: its offset was a file offset.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_ioctl")
    public static long vfioPciCoreIoctl(VfioDevice core, int cmd, UserBuffer arg) {
        VfioPciCoreDevice vdev = toPci(core);
        switch (cmd) {
            case VfioIoctl.VFIO_DEVICE_GET_INFO:
                return vfioPciIoctlGetInfo(vdev, arg);
            case VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO:
                return vfioPciIoctlGetIrqInfo(vdev, arg);
            case VfioIoctl.VFIO_DEVICE_RESET:
                return vfioPciIoctlReset(vdev);
            default:
                return -ENOTTY;
        }
    }

    /**
     * {@code vfio_pci_ioctl_get_info}: PCI flag, RESET when the function can be reset,
     * {@code VFIO_PCI_NUM_REGIONS + num_regions} regions, five IRQ indexes. Since the 2023
     * capability-alignment change the struct starts zeroed and {@code min(argsz, 24)} bytes are
     * copied back, so {@code cap_offset} and {@code pad} read 0 for a 24-byte caller. No zPCI or
     * atomic-completer capabilities on the modelled machines.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_ioctl_get_info")
    static long vfioPciIoctlGetInfo(VfioPciCoreDevice vdev, UserBuffer arg) {
        long minsz = 16;
        byte[] head = new byte[VfioDeviceInfo.SIZE];
        if (arg.copyFromUser(head, 0, 0, (int) minsz) != 0) {
            return -EFAULT;
        }
        VfioDeviceInfo in = VfioDeviceInfo.decode(head, 0);
        if (in.argsz() < minsz) {
            return -EINVAL;
        }
        minsz = Math.min(in.argsz(), VfioDeviceInfo.SIZE);
        long flags = VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI;
        if (vdev.resetWorks) {
            flags |= VfioDeviceInfo.VFIO_DEVICE_FLAGS_RESET;
        }
        VfioDeviceInfo out = new VfioDeviceInfo(in.argsz(), flags,
                VFIO_PCI_NUM_REGIONS + vdev.numRegions(), VFIO_PCI_NUM_IRQS, 0, 0);
        return arg.copyToUser(0, out.encode(), 0, (int) minsz) != 0 ? -EFAULT : 0;
    }

    /** {@code vfio_pci_get_irq_count}. */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_get_irq_count")
    static int vfioPciGetIrqCount(VfioPciCoreDevice vdev, int irqType) {
        PciFunction pdev = vdev.pdev();
        switch (irqType) {
            case VFIO_PCI_INTX_IRQ_INDEX:
                // No INTx for an SR-IOV VF (is_virtfn), whatever its pin register says.
                return !pdev.isVirtfn() && pdev.interruptPin() != 0 ? 1 : 0;
            case VFIO_PCI_MSI_IRQ_INDEX:
                return 0;
            case VFIO_PCI_MSIX_IRQ_INDEX:
                return pdev.hasMsix() ? (int) (pdev.msixTableSize() / 16) : 0;
            case VFIO_PCI_ERR_IRQ_INDEX:
                return pdev.isPcie() ? 1 : 0;
            case VFIO_PCI_REQ_IRQ_INDEX:
                return 1;
            default:
                return 0;
        }
    }

    /** {@code vfio_pci_ioctl_get_irq_info}. */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_ioctl_get_irq_info")
    static long vfioPciIoctlGetIrqInfo(VfioPciCoreDevice vdev, UserBuffer arg) {
        final int minsz = VfioIrqInfo.SIZE;
        byte[] head = new byte[minsz];
        if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioIrqInfo info = VfioIrqInfo.decode(head, 0);
        if (info.argsz() < minsz || info.index() >= VFIO_PCI_NUM_IRQS) {
            return -EINVAL;
        }
        int index = (int) info.index();
        switch (index) {
            case VFIO_PCI_INTX_IRQ_INDEX:
            case VFIO_PCI_MSI_IRQ_INDEX:
            case VFIO_PCI_MSIX_IRQ_INDEX:
            case VFIO_PCI_REQ_IRQ_INDEX:
                break;
            case VFIO_PCI_ERR_IRQ_INDEX:
                if (vdev.pdev().isPcie()) {
                    break;
                }
                return -EINVAL;
            default:
                return -EINVAL;
        }
        long flags = VfioIrqInfo.VFIO_IRQ_INFO_EVENTFD;
        if (index == VFIO_PCI_INTX_IRQ_INDEX) {
            flags |= VfioIrqInfo.VFIO_IRQ_INFO_MASKABLE | VfioIrqInfo.VFIO_IRQ_INFO_AUTOMASKED;
        } else if (index != VFIO_PCI_MSIX_IRQ_INDEX) {
            flags |= VfioIrqInfo.VFIO_IRQ_INFO_NORESIZE;
        }
        VfioIrqInfo out = new VfioIrqInfo(info.argsz(), flags, info.index(),
                vfioPciGetIrqCount(vdev, index));
        return arg.copyToUser(0, out.encode(), 0, minsz) != 0 ? -EFAULT : 0;
    }

    /**
     * {@code vfio_pci_ioctl_reset}: zap every BAR mapping and hold {@code memory_lock} for
     * writing across the function reset; the PCI core saves and restores config space around
     * it, so memory decode is as before while the device's registers are back to their reset
     * values.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_ioctl_reset")
    static long vfioPciIoctlReset(VfioPciCoreDevice vdev) {
        if (!vdev.resetWorks) {
            return -EINVAL;
        }
        vfioPciZapAndDownWriteMemoryLock(vdev);
        try {
            vdev.pdev().pciResetFunction();
        } finally {
            vdev.memoryLock.writeLock().unlock();
        }
        return 0;
    }

    /**
     * {@code vfio_pci_core_ioeventfd_obj} (this series): the core decoded the ioctl and resolved
     * its offset to one of the file's cookies; only BAR cookies take an ioeventfd, and only
     * inside the object: the cookie is the region as its driver describes it, which may be less
     * than the BAR (hisi_acc's migration table hides BAR2's upper half), while the offset the
     * core resolved may lie past it (the rest of a fixed 1 TiB slot, or the guard page).
     * Uses only the {@code struct vfio_mmap} part of the cookie, so a variant driver may pass
     * a cookie of its own.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_ioeventfd_obj")
    public static int vfioPciCoreIoeventfdObj(VfioDevice core, VfioMmap obj, long off, long data,
            int count, int fd) {
        if (Long.compareUnsigned(off + count, obj.size()) > 0) {
            return -EINVAL;
        }
        return (int) VfioPciRdwr.vfioPciIoeventfd(toPci(core), obj.index(), off, data, count,
                fd);
    }

    // ---------------------------------------------------------------- region info

    /**
     * {@code vfio_pci_ioctl_get_region_info}: fill {@code info} for the requested index (size
     * and flags) and add capabilities; the core does every copy. In v6.19 the
     * {@code get_region_info_caps} of every vfio-pci based table, which also wrote
     * {@code info.offset} from the 40-bit layout; with this series the fill half of
     * {@link #vfioPciIoctlGetRegionInfoObj}, and the offset is the core's.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_ioctl_get_region_info")
    static int vfioPciIoctlGetRegionInfo(VfioDevice core, VfioRegionInfoStruct info,
            VfioInfoCap caps) {
        VfioPciCoreDevice vdev = toPci(core);
        PciFunction pdev = vdev.pdev();
        long index = info.index();

        if (index == VFIO_PCI_CONFIG_REGION_INDEX) {
            info.setSize(pdev.cfgSize());
            info.setFlags(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE);
        } else if (index <= VFIO_PCI_BAR5_REGION_INDEX) {
            int bar = (int) index;
            info.setSize(pdev.pciResourceLen(bar));
            if (info.size() == 0) {
                info.setFlags(0);
                return 0;
            }
            info.setFlags(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE);
            if (vdev.barMmapSupported[bar]) {
                info.setFlags(info.flags() | VFIO_REGION_INFO_FLAG_MMAP);
                if (bar == vdev.msixBar) {
                    int ret = msixMmappableCap(vdev, caps);
                    if (ret != 0) {
                        return ret;
                    }
                }
            }
        } else if (index == VFIO_PCI_ROM_REGION_INDEX) {
            info.setFlags(0);
            info.setSize(pdev.pciResourceLen(PciFunction.PCI_ROM_RESOURCE));
            if (info.size() == 0) {
                if (pdev.romShadow()) {
                    info.setSize(0x20000);
                } else {
                    return 0;
                }
            }
            if (pdev.pciMapRomSize() > 0) {
                info.setFlags(VFIO_REGION_INFO_FLAG_READ);
            } else {
                info.setSize(0);
            }
        } else if (index == VFIO_PCI_VGA_REGION_INDEX) {
            if (!vdev.hasVga) {
                return -EINVAL;
            }
            info.setSize(0xc0000);
            info.setFlags(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE);
        } else {
            if (index >= VFIO_PCI_NUM_REGIONS + vdev.numRegions()) {
                return -EINVAL;
            }
            int i = (int) (index - VFIO_PCI_NUM_REGIONS);
            VfioPciRegion region = vdev.region(i);
            info.setSize(region.size());
            info.setFlags(region.flags());
            byte[] capType = new byte[16];
            new VfioInfoCapHeader(VFIO_REGION_INFO_CAP_TYPE, 1, 0).encodeInto(capType, 0);
            putU32(capType, 8, region.type());
            putU32(capType, 12, region.subtype());
            int ret = VfioInfoCap.vfioInfoAddCapability(caps, capType);
            if (ret != 0) {
                return ret;
            }
            ret = region.ops().addCapability(vdev, region, caps);
            if (ret != 0) {
                return ret;
            }
        }
        return 0;
    }

    /**
     * {@code vfio_pci_ioctl_get_region_info_obj} (this series, exported): the region's info and
     * capabilities as {@link #vfioPciIoctlGetRegionInfo} gives them, and for a region with bytes
     * a {@link VfioPciMmap} describing it; the core chooses the offset. Variant drivers call it
     * for the regions they leave to vfio-pci-core.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_ioctl_get_region_info_obj")
    public static int vfioPciIoctlGetRegionInfoObj(VfioDevice core, VfioRegionInfoStruct info,
            VfioInfoCap caps, VfioMmap[] obj) {
        int ret = vfioPciIoctlGetRegionInfo(core, info, caps);
        if (ret != 0 || info.size() == 0) {
            return ret;
        }
        VfioPciCoreDevice vdev = toPci(core);
        int index = (int) info.index();
        long phys = index <= VFIO_PCI_BAR5_REGION_INDEX ? vdev.pdev().pciResourceStart(index) : 0;
        obj[0] = new VfioPciMmap(vdev, index, info.size(), phys, PgProt.UC);
        return 0;
    }

    /** {@code msix_mmappable_cap}: a header-only MSIX_MAPPABLE capability. */
    @Models("drivers/vfio/pci/vfio_pci_core.c:msix_mmappable_cap")
    static int msixMmappableCap(VfioPciCoreDevice vdev, VfioInfoCap caps) {
        byte[] header = new byte[VfioInfoCapHeader.SIZE];
        new VfioInfoCapHeader(VFIO_REGION_INFO_CAP_MSIX_MAPPABLE, 1, 0).encodeInto(header, 0);
        return VfioInfoCap.vfioInfoAddCapability(caps, header);
    }

    private static void putU32(byte[] b, int off, long v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    /**
     * {@code vfio_pci_core_register_dev_region}: append a device-specific region; it gets the
     * next index after 8.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_register_dev_region")
    public static int vfioPciCoreRegisterDevRegion(VfioPciCoreDevice vdev, int type,
            int subtype, VfioPciRegion.Ops ops, long size, int flags, Object data) {
        vdev.region.add(new VfioPciRegion(type, subtype, ops, size, flags, data));
        return 0;
    }

    // ---------------------------------------------------------------- read / write

    /**
     * Where a user buffer and a register overlap: the overlap starts {@code bufOffset} bytes into
     * the buffer and {@code registerOffset} bytes into the register, and is
     * {@code intersectCount} bytes long.
     */
    public record RangeIntersection(long bufOffset, long intersectCount, long registerOffset) {}

    /**
     * {@code vfio_pci_core_range_intersect_range} (drivers/vfio/pci/vfio_pci_config.c,
     * exported): the overlap of the buffer {@code [bufStart, bufStart + bufCnt)} with the
     * register {@code [regStart, regStart + regCnt)}, or null where the C returns false. Variant
     * drivers use it to emulate single config registers over a read or write of any extent.
     */
    @Models("drivers/vfio/pci/vfio_pci_config.c:vfio_pci_core_range_intersect_range")
    public static RangeIntersection vfioPciCoreRangeIntersectRange(long bufStart, long bufCnt,
            long regStart, long regCnt) {
        if (bufStart <= regStart && bufStart + bufCnt > regStart) {
            return new RangeIntersection(regStart - bufStart,
                    Math.min(regCnt, bufStart + bufCnt - regStart), 0);
        }
        if (bufStart > regStart && bufStart < regStart + regCnt) {
            return new RangeIntersection(0, Math.min(bufCnt, regStart + regCnt - bufStart),
                    bufStart - regStart);
        }
        return null;
    }

    /**
     * {@code vfio_pci_core_read_obj} (this series, exported): a read of {@code count} bytes at
     * {@code off} inside the region behind {@code obj}, which the core resolved from the file
     * offset. Uses only the {@code struct vfio_mmap} part of the cookie (its region), so a
     * variant driver may pass a cookie of its own for a region it leaves to the core.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_read_obj")
    public static long vfioPciCoreReadObj(VfioDevice core, VfioMmap obj, UserBuffer buf,
            long count, long off) {
        if (count == 0) {
            return 0;
        }
        return vfioPciRwIndex(toPci(core), obj.index(), buf, count, off, false);
    }

    /** {@code vfio_pci_core_write_obj} (this series). */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_write_obj")
    public static long vfioPciCoreWriteObj(VfioDevice core, VfioMmap obj, UserBuffer buf,
            long count, long off) {
        if (count == 0) {
            return 0;
        }
        return vfioPciRwIndex(toPci(core), obj.index(), buf, count, off, true);
    }

    /**
     * {@code vfio_pci_rw}: by the region of the cookie the core resolved, at the position inside
     * it: config, ROM (read only), BARs, VGA, and the device-specific regions, whose {@code rw}
     * op gets its region and the position inside it. In v6.19 the index came from bits 40 and
     * up of the file offset.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_rw")
    static long vfioPciRwIndex(VfioPciCoreDevice vdev, int index, UserBuffer buf, long count,
            long off, boolean iswrite) {
        if (index == VFIO_PCI_CONFIG_REGION_INDEX) {
            return vdev.config.rw(buf, count, off, iswrite);
        }
        if (index == VFIO_PCI_ROM_REGION_INDEX) {
            return iswrite ? -EINVAL
                    : VfioPciRdwr.vfioPciBarRw(vdev, index, buf, count, off, false);
        }
        if (index <= VFIO_PCI_BAR5_REGION_INDEX) {
            return VfioPciRdwr.vfioPciBarRw(vdev, index, buf, count, off, iswrite);
        }
        if (index == VFIO_PCI_VGA_REGION_INDEX) {
            return VfioPciRdwr.vfioPciVgaRw(vdev, buf, count, off, iswrite);
        }
        VfioPciRegion region = vdev.region(index - VFIO_PCI_NUM_REGIONS);
        return region.ops().rw(vdev, region, buf, count, off, iswrite);
    }

    // ---------------------------------------------------------------- mmap and faults

    /**
     * {@code vfio_pci_core_mmap_obj} (this series): the core found {@code obj} at the VMA's pgoff
     * and checked the VMA lies inside it, so no offset is decoded here; the checks that remain
     * are the region's: a shared mapping, a BAR (device-specific regions through their own
     * {@code mmap} op), mmap supported for it. The VMA's private data is the cookie, which the
     * fault handler reads the BAR and its physical start from.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_mmap_obj")
    public static int vfioPciCoreMmapObj(VfioDevice core, VmArea vma, VfioMmap obj) {
        VfioPciCoreDevice vdev = toPci(core);
        VfioPciMmap pmmap = (VfioPciMmap) obj;
        int index = pmmap.index();

        if (vma.vmEnd() < vma.vmStart()) {
            return -EINVAL;
        }
        if (!vma.hasFlag(VmFlag.VM_SHARED)) {
            return -EINVAL;
        }
        if (index >= VFIO_PCI_NUM_REGIONS) {
            VfioPciRegion region = vdev.region(index - VFIO_PCI_NUM_REGIONS);
            if (region.ops().mmap() != null && (region.flags() & VFIO_REGION_INFO_FLAG_MMAP) != 0) {
                return region.ops().mmap().mmap(vdev, region, vma);
            }
            return -EINVAL;
        }
        if (index >= VFIO_PCI_ROM_REGION_INDEX) {
            return -EINVAL;
        }
        if (!vdev.barMmapSupported[index]) {
            return -EINVAL;
        }
        int ret = vfioPciCoreSetupBarmap(vdev, index);
        if (ret != 0) {
            return ret;
        }

        vma.setPrivateData(pmmap);
        vma.setPageProt(pmmap.pgprot());
        vma.vmFlagsSet(VmFlag.VM_ALLOW_ANY_UNCACHED, VmFlag.VM_IO, VmFlag.VM_PFNMAP,
                VmFlag.VM_DONTEXPAND, VmFlag.VM_DONTDUMP);
        vma.setVmOps(VFIO_PCI_MMAP_OBJ_OPS);
        return 0;
    }

    /**
     * {@code vfio_pci_core_setup_barmap}: request and iomap the BAR once. The model has no
     * competing owner, so the claim always succeeds.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_setup_barmap")
    public static int vfioPciCoreSetupBarmap(VfioPciCoreDevice vdev, int bar) {
        vdev.barmap[bar] = true;
        return 0;
    }

    /**
     * {@code vma_to_pfn}: the BAR's start PFN, from the cookie in the VMA's private data, plus
     * the VMA's page offset inside the cookie ({@code vfio_mmap_vma_pgoff()}), which stays right
     * when mm splits the VMA and moves the second part's {@code vm_pgoff}, or when fork copies
     * it. In v6.19 both came from the 40-bit layout of {@code vm_pgoff}.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vma_to_pfn")
    static long vmaToPfn(VmArea vma) {
        VfioPciMmap pmmap = (VfioPciMmap) vma.privateData();
        Arch arch = pmmap.device().arch();
        return (pmmap.physStart() >>> arch.pageShift()) + pmmap.vmaPageOffset(vma);
    }

    /**
     * {@code vfio_pci_vmf_insert_pfn} (v6.19): under {@code memory_lock} held for reading,
     * SIGBUS while memory decode is off, else insert at the order asked.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_vmf_insert_pfn")
    public static VmFaultResult vfioPciVmfInsertPfn(VfioPciCoreDevice vdev, VmFault vmf,
            long pfn, int order) {
        if (!vdev.config.memoryEnabled()) {
            return VmFaultResult.SIGBUS;
        }
        Arch arch = vdev.arch();
        if (order == 0) {
            return Memory.vmfInsertPfn(vmf.vma(), vmf.address(), pfn);
        }
        if (order == arch.pmdOrder() && arch.hugePmdPfnmap()) {
            return Memory.vmfInsertPfnPmd(vmf, pfn, false);
        }
        if (order == arch.pudOrder() && arch.hugePudPfnmap()) {
            return Memory.vmfInsertPfnPud(vmf, pfn, false);
        }
        return VmFaultResult.FALLBACK;
    }

    /**
     * {@code is_aligned_for_order} (include/linux/vfio_pci_core.h, v6.19): order 0 always fits;
     * a huge order only when the aligned block lies inside the VMA and the PFN is aligned to it.
     */
    @Models("include/linux/vfio_pci_core.h:is_aligned_for_order")
    public static boolean isAlignedForOrder(VmArea vma, long addr, long pfn, int order) {
        long size = vma.arch().pageSize() << order;
        return !(order != 0 && (Long.compareUnsigned(addr, vma.vmStart()) < 0
                || Long.compareUnsigned(addr + size, vma.vmEnd()) > 0
                || (pfn & ((1L << order) - 1)) != 0));
    }

    /**
     * {@code vfio_pci_mmap_huge_fault}: align the address down to the order; fall back unless
     * the aligned block lies inside the VMA and the PFN is aligned to the order.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_mmap_huge_fault")
    static VmFaultResult vfioPciMmapHugeFault(VmFault vmf, int order) {
        VmArea vma = vmf.vma();
        VfioPciCoreDevice vdev = toPci(((VfioPciMmap) vma.privateData()).device());
        Arch arch = vdev.arch();
        long addr = vmf.address() & ~((arch.pageSize() << order) - 1);
        long pgoff = (addr - vma.vmStart()) >>> arch.pageShift();
        long pfn = vmaToPfn(vma) + pgoff;
        if (!isAlignedForOrder(vma, addr, pfn, order)) {
            return VmFaultResult.FALLBACK;
        }
        vdev.memoryLock.readLock().lock();
        try {
            return vfioPciVmfInsertPfn(vdev, vmf, pfn, order);
        } finally {
            vdev.memoryLock.readLock().unlock();
        }
    }

    /**
     * {@code vfio_pci_mmap_obj_ops} (this series; {@code vfio_pci_mmap_ops} of v6.19): fault and
     * huge_fault, no open or close, for a VMA whose private data is its cookie.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_mmap_obj_ops")
    static final VmOperations VFIO_PCI_MMAP_OBJ_OPS = new VmOperations() {
        @Override
        public VmFaultResult fault(VmFault vmf) {
            return vfioPciMmapHugeFault(vmf, 0);
        }

        @Override
        public VmFaultResult hugeFault(VmFault vmf, int order) {
            return vfioPciMmapHugeFault(vmf, order);
        }

        @Override
        public boolean hasHugeFault() {
            return true;
        }

        @Override
        public String name() {
            return "vfio_pci_mmap_obj_ops";
        }
    };

    // ---------------------------------------------------------------- revocation

    /**
     * {@code vfio_pci_zap_bars}: the core's {@code vfio_device_zap_mmaps()}, which reaches every
     * cookie of every file of the device (in v6.19, the byte range [index 0, index 6) of the
     * 40-bit layout). A table without mappings (ism) has nothing there to zap.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_zap_bars")
    static void vfioPciZapBars(VfioPciCoreDevice vdev) {
        VfioMain.vfioDeviceZapMmaps(vdev);
    }

    /** {@code vfio_pci_zap_and_down_write_memory_lock}. */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_zap_and_down_write_memory_lock")
    static void vfioPciZapAndDownWriteMemoryLock(VfioPciCoreDevice vdev) {
        vdev.memoryLock.writeLock().lock();
        vfioPciZapBars(vdev);
    }

    private static VfioPciConfig.MemoryLock memoryLockOf(VfioPciCoreDevice vdev) {
        return new VfioPciConfig.MemoryLock() {
            @Override
            public void zapAndDownWrite() {
                vfioPciZapAndDownWriteMemoryLock(vdev);
            }

            @Override
            public void downWrite() {
                vdev.memoryLock.writeLock().lock();
            }

            @Override
            public void upWrite() {
                vdev.memoryLock.writeLock().unlock();
            }
        };
    }
}
