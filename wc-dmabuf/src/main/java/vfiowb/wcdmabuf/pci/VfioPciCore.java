package vfiowb.wcdmabuf.pci;

import static vfiowb.common.errno.Errno.EAGAIN;
import static vfiowb.common.errno.Errno.EBADF;
import static vfiowb.common.errno.Errno.ENOENT;
import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.errno.Errno.ENODEV;
import static vfiowb.common.errno.Errno.ENOTTY;
import static vfiowb.common.errno.Errno.EOPNOTSUPP;
import static vfiowb.common.errno.Errno.EOVERFLOW;
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
import vfiowb.common.hw.PciConfigSpace;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.hw.PciMsi;
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
import vfiowb.common.uapi.VfioDeviceFeature;
import vfiowb.common.uapi.VfioDeviceFeatureDmaBufMemattr;
import vfiowb.common.dmabuf.DmaBuf;
import vfiowb.common.userspace.Current;
import vfiowb.common.userspace.KernelFile;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioInfoCapHeader;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionInfoStruct;
import vfiowb.common.userspace.Memdup;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.wcdmabuf.core.VfioDevice;
import vfiowb.wcdmabuf.core.VfioMain;
import vfiowb.wcdmabuf.core.VfioMmap;

/**
 * drivers/vfio/pci/vfio_pci_core.c as of v6.19: the functions every vfio-pci based ops table
 * points at. With this series every region path takes the file's cookie and the offset inside
 * it from the core: nothing here decodes a region index or a position from a file offset or a
 * pgoff any more, and the 40-bit layout ({@code VFIO_PCI_OFFSET_SHIFT} and its helpers) is gone.
 */
@Models("drivers/vfio/pci/vfio_pci_core.c")
public final class VfioPciCore {
    /** {@code PCI_MSI_FLAGS}: the Message Control register's offset in the MSI capability. */
    private static final int PCI_MSI_FLAGS = 2;
    /** {@code PCI_MSI_FLAGS_QMASK}: Multiple Message Capable, log2 of the vectors, bits 3:1. */
    private static final int PCI_MSI_FLAGS_QMASK = 0x0e;
    /** {@code PCI_MSIX_FLAGS}: the Message Control register's offset in the MSI-X capability. */
    private static final int PCI_MSIX_FLAGS = 2;
    /** {@code PCI_MSIX_FLAGS_QSIZE}: table size minus one. */
    private static final int PCI_MSIX_FLAGS_QSIZE = 0x07ff;

    private VfioPciCore() {}

    private static VfioPciCoreDevice toPci(VfioDevice core) {
        return (VfioPciCoreDevice) core;
    }

    // ---------------------------------------------------------------- open / close

    /**
     * {@code vfio_pci_core_enable} (the {@code open_device} of most tables): enable the
     * function, reset it with {@code pci_try_reset_function} - whose success is
     * {@code reset_works}, what GET_INFO's RESET flag and VFIO_DEVICE_RESET go by, and which
     * calls the driver's {@code reset_done} - set up config virtualisation, find MSI-X and
     * whether its vectors can be added dynamically ({@code pci_msix_can_alloc_dyn}), register
     * IGD regions. (Upstream {@code vfio_pci_open_device} registers them, between enable and
     * finish_enable and for vfio-pci only; doing it here differs only for an Intel display
     * function bound to a variant driver, which the catalogue has none of.) A device lock held
     * elsewhere ({@code -EAGAIN}) fails the open; any other reset failure only clears
     * {@code reset_works}.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_enable")
    public static int vfioPciCoreEnable(VfioPciCoreDevice vdev) {
        PciFunction pdev = vdev.pdev();
        pdev.pciEnableDevice();
        int reset = pdev.pciTryResetFunction();
        if (reset == -EAGAIN) {
            return reset;
        }
        vdev.resetWorks = reset == 0;
        vdev.config = new VfioPciConfig(pdev, memoryLockOf(vdev));
        if (pdev.msixCap() != 0) {
            vdev.msixBar = pdev.msixTableBar();
            vdev.msixOffset = pdev.msixTableOffset();
            vdev.msixSize = pdev.msixTableSize();
            vdev.hasDynMsix = PciMsi.pciMsixCanAllocDyn(pdev, vdev.arch());
        } else {
            vdev.msixBar = 0xff;
            vdev.hasDynMsix = false;
        }
        vdev.hasVga = pdev.isVga();
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

    /**
     * {@code vfio_pci_core_finish_enable}: decide which BARs may be mmapped
     * ({@code vfio_pci_probe_mmaps}), so a driver that forgets to call it has no mappable BAR.
     * The rest it does has no counterpart here: {@code eeh_dev_open} exists only with
     * {@code CONFIG_EEH} (powerpc), and the extra user of the PF's VF token only for a VF whose
     * PF is bound to a vfio-pci-core driver ({@code sriov_pf_core_dev}), a relation the model's
     * catalogue does not have.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_finish_enable")
    public static void vfioPciCoreFinishEnable(VfioPciCoreDevice vdev) {
        vfioPciProbeMmaps(vdev);
    }

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
     * {@code vfio_pci_core_disable}: leave low power, release device-specific regions (they are
     * registered again on the next open), ioeventfds and BAR claims; then, when
     * {@code reset_works}, {@code __pci_reset_function_locked} (no driver hooks) with the saved
     * config space restored after it. A function without a reset method keeps its registers;
     * the kernel's fallback, a bus reset of the whole device set, needs a bus reset the model's
     * placements then do not offer either.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_disable")
    public static void vfioPciCoreDisable(VfioPciCoreDevice vdev) {
        vfioPciRuntimePmExit(vdev);
        vfioPciDmaBufCleanup(vdev);
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
        if (vdev.resetWorks) {
            vdev.pdev().pciResetFunctionLockedAndRestore();
        }
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

    /**
     * {@code vfio_pci_get_irq_count}: INTx from the pin register (none for a VF); MSI
     * {@code 1 << ((flags & PCI_MSI_FLAGS_QMASK) >> 1)} from the MSI capability's Message
     * Control; MSI-X the table size from its capability; ERR only on PCI Express; REQ always.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_get_irq_count")
    static int vfioPciGetIrqCount(VfioPciCoreDevice vdev, int irqType) {
        PciFunction pdev = vdev.pdev();
        switch (irqType) {
            case VFIO_PCI_INTX_IRQ_INDEX:
                // No INTx for an SR-IOV VF (is_virtfn), whatever its pin register says.
                return !pdev.isVirtfn() && pdev.interruptPin() != 0 ? 1 : 0;
            case VFIO_PCI_MSI_IRQ_INDEX:
                if (pdev.msiCap() != 0) {
                    long flags = pdev.configRead(pdev.msiCap() + PCI_MSI_FLAGS, 2);
                    return 1 << ((flags & PCI_MSI_FLAGS_QMASK) >> 1);
                }
                return 0;
            case VFIO_PCI_MSIX_IRQ_INDEX:
                if (pdev.msixCap() != 0) {
                    long flags = pdev.configRead(pdev.msixCap() + PCI_MSIX_FLAGS, 2);
                    return (int) (flags & PCI_MSIX_FLAGS_QSIZE) + 1;
                }
                return 0;
            case VFIO_PCI_ERR_IRQ_INDEX:
                return pdev.isPcie() ? 1 : 0;
            case VFIO_PCI_REQ_IRQ_INDEX:
                return 1;
            default:
                return 0;
        }
    }

    /**
     * {@code vfio_pci_ioctl_get_irq_info}: EVENTFD always; INTx MASKABLE and AUTOMASKED; every
     * other index NORESIZE, except MSI-X when {@code has_dyn_msix} (a function without MSI-X
     * has none, so its MSI-X index is NORESIZE with count 0, as Linux answers for the q35
     * devices of the real-kernel transcripts).
     */
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
        } else if (index != VFIO_PCI_MSIX_IRQ_INDEX || !vdev.hasDynMsix) {
            flags |= VfioIrqInfo.VFIO_IRQ_INFO_NORESIZE;
        }
        VfioIrqInfo out = new VfioIrqInfo(info.argsz(), flags, info.index(),
                vfioPciGetIrqCount(vdev, index));
        return arg.copyToUser(0, out.encode(), 0, minsz) != 0 ? -EFAULT : 0;
    }

    /**
     * {@code vfio_pci_ioctl_reset}: -EINVAL unless {@code reset_works}; else zap every BAR
     * mapping and hold {@code memory_lock} for writing across {@code pci_try_reset_function},
     * which tries the function's reset methods (FLR, AF FLR, PM, bus) around the driver's
     * {@code reset_prepare}/{@code reset_done} and restores config space, so memory decode is
     * as before while the device's registers are back to their reset values. The kernel first
     * puts the function in D0 ({@code vfio_pci_set_power_state}); the model's functions never
     * leave D0.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_ioctl_reset")
    static long vfioPciIoctlReset(VfioPciCoreDevice vdev) {
        if (!vdev.resetWorks) {
            return -EINVAL;
        }
        vfioPciZapAndDownWriteMemoryLock(vdev);
        try {
            return vdev.pdev().pciTryResetFunction();
        } finally {
            vdev.memoryLock.writeLock().unlock();
        }
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
            // Is it really there? Enable memory decode for pci_map_rom's implicit access.
            int cmd = vfioPciMemoryLockAndEnable(vdev);
            try {
                if (pdev.pciMapRom() > 0) {
                    info.setFlags(VFIO_REGION_INFO_FLAG_READ);
                } else {
                    info.setSize(0);
                }
            } finally {
                vfioPciMemoryUnlockAndRestore(vdev, cmd);
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
        VfioPciRegion region = index >= VFIO_PCI_NUM_REGIONS
                ? vdev.region(index - VFIO_PCI_NUM_REGIONS) : null;
        obj[0] = new VfioPciMmap(vdev, index, info.size(), phys, PgProt.UC, region);
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
        return vfioPciRw(toPci(core), obj, buf, count, off, false);
    }

    /** {@code vfio_pci_core_write_obj} (this series). */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_write_obj")
    public static long vfioPciCoreWriteObj(VfioDevice core, VfioMmap obj, UserBuffer buf,
            long count, long off) {
        if (count == 0) {
            return 0;
        }
        return vfioPciRw(toPci(core), obj, buf, count, off, true);
    }

    /**
     * {@code vfio_pci_rw}: by the region of the cookie the core resolved, at the position inside
     * it: config, ROM (read only), BARs, VGA by their fixed uAPI index, and a device-specific
     * region through the {@code struct vfio_pci_region} its cookie names, whose {@code rw} op
     * gets that region and the position inside it. In v6.19 the index came from bits 40 and up of
     * the file offset, and a device-specific region was found as
     * {@code vdev->region[index - VFIO_PCI_NUM_REGIONS]}; a cookie for index 9 or up that names
     * no region (one a variant driver made itself) is -EINVAL.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_rw")
    static long vfioPciRw(VfioPciCoreDevice vdev, VfioMmap obj, UserBuffer buf, long count,
            long off, boolean iswrite) {
        int index = obj.index();
        if (index >= VFIO_PCI_NUM_REGIONS) {
            VfioPciRegion region = obj instanceof VfioPciMmap p ? p.region() : null;
            if (region == null) {
                return -EINVAL;
            }
            return region.ops().rw(vdev, region, buf, count, off, iswrite);
        }
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
        return VfioPciRdwr.vfioPciVgaRw(vdev, buf, count, off, iswrite);
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
            VfioPciRegion region = pmmap.region();
            if (region != null && region.ops().mmap() != null
                    && (region.flags() & VFIO_REGION_INFO_FLAG_MMAP) != 0) {
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
     * SIGBUS while the user has the device in low power ({@code pm_runtime_engaged}) or memory
     * decode is off, else insert at the order asked.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_vmf_insert_pfn")
    public static VmFaultResult vfioPciVmfInsertPfn(VfioPciCoreDevice vdev, VmFault vmf,
            long pfn, int order) {
        if (vdev.pmRuntimeEngaged || !vdev.config.memoryEnabled()) {
            return VmFaultResult.SIGBUS;
        }
        Arch arch = vdev.arch();
        if (order == 0) {
            return Memory.vmfInsertPfn(vmf.vma(), vmf.faultAddress(), pfn);
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
     * {@code vfio_pci_mmap_huge_fault}: align the faulting address ({@code vmf->address}, here
     * {@link VmFault#faultAddress()}) down to the order; fall back unless the aligned block lies
     * inside the VMA and the PFN is aligned to the order.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_mmap_huge_fault")
    static VmFaultResult vfioPciMmapHugeFault(VmFault vmf, int order) {
        VmArea vma = vmf.vma();
        VfioPciCoreDevice vdev = toPci(((VfioPciMmap) vma.privateData()).device());
        Arch arch = vdev.arch();
        long addr = vmf.faultAddress() & ~((arch.pageSize() << order) - 1);
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

    // ---------------------------------------------------------------- device feature

    /** {@code sizeof(struct vfio_device_low_power_entry_with_wakeup)}: s32 fd, u32 reserved. */
    private static final int LOW_POWER_ENTRY_WITH_WAKEUP_SIZE = 8;
    /** {@code sizeof(uuid_t)}. */
    private static final int UUID_SIZE = 16;
    /** {@code sizeof(struct vfio_device_feature_dma_buf)}: region, open flags, flags, count. */
    private static final int DMA_BUF_SIZE = 16;
    /** {@code sizeof(struct vfio_region_dma_range)}: u64 offset, u64 length. */
    private static final int DMA_RANGE_SIZE = 16;

    /**
     * {@code vfio_pci_core_ioctl_feature}, the {@code device_feature} of every vfio-pci based
     * table (v6.19): the low-power features, the PF's VF token and dma-buf export; any other
     * feature -ENOTTY. {@code arg} is the whole user buffer (the payload at byte 8),
     * {@code argsz} the payload's size.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_ioctl_feature")
    public static int vfioPciCoreIoctlFeature(VfioDevice device, int flags, UserBuffer arg,
            long argsz) {
        VfioPciCoreDevice vdev = toPci(device);
        switch (flags & 0xffff) {
            case VfioDeviceFeature.VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY:
                return vfioPciCorePmEntry(vdev, flags, argsz);
            case VfioDeviceFeature.VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP:
                return vfioPciCorePmEntryWithWakeup(vdev, flags, arg, argsz);
            case VfioDeviceFeature.VFIO_DEVICE_FEATURE_LOW_POWER_EXIT:
                return vfioPciCorePmExit(vdev, flags, argsz);
            case VfioDeviceFeature.VFIO_DEVICE_FEATURE_PCI_VF_TOKEN:
                return vfioPciCoreFeatureToken(vdev, flags, arg, argsz);
            case VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_BUF:
                return vfioPciCoreFeatureDmaBuf(vdev, flags, arg, argsz, false);
            default:
                return -ENOTTY;
        }
    }

    /**
     * {@code vfio_pci_runtime_pm_entry}: with every BAR mapping zapped and {@code memory_lock}
     * held for writing, -EINVAL if low power is already engaged, else engage it (faults SIGBUS
     * from now on) and keep the wakeup eventfd. The kernel then drops its runtime-PM usage
     * count so the device may suspend; the model has no runtime PM, so the function stays
     * in D0 and read/write, which resume the device around each access in the kernel, work as
     * before. For the same reason a wakeup eventfd is never signalled: only LOW_POWER_EXIT (or
     * close) ends low power here, where the kernel also ends it when an access resumes a device
     * that suspended.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_runtime_pm_entry")
    static int vfioPciRuntimePmEntry(VfioPciCoreDevice vdev, int wakeEventfd) {
        vfioPciZapAndDownWriteMemoryLock(vdev);
        try {
            if (vdev.pmRuntimeEngaged) {
                return -EINVAL;
            }
            vdev.pmRuntimeEngaged = true;
            vdev.pmWakeEventfd = wakeEventfd;
            return 0;
        } finally {
            vdev.memoryLock.writeLock().unlock();
        }
    }

    /** {@code vfio_pci_core_pm_entry}: SET only, no payload; then low power without wakeup. */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_pm_entry")
    static int vfioPciCorePmEntry(VfioPciCoreDevice vdev, int flags, long argsz) {
        int ret = VfioMain.vfioCheckFeature(flags, argsz, VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET, 0);
        if (ret != 1) {
            return ret;
        }
        return vfioPciRuntimePmEntry(vdev, -1);
    }

    /**
     * {@code vfio_pci_core_pm_entry_with_wakeup}: SET only with the 8-byte payload; a negative
     * {@code wakeup_eventfd} is -EINVAL; then low power with that eventfd (any fd of 0 or more
     * is taken for an eventfd: the model has none).
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_pm_entry_with_wakeup")
    static int vfioPciCorePmEntryWithWakeup(VfioPciCoreDevice vdev, int flags, UserBuffer arg,
            long argsz) {
        int ret = VfioMain.vfioCheckFeature(flags, argsz, VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET,
                LOW_POWER_ENTRY_WITH_WAKEUP_SIZE);
        if (ret != 1) {
            return ret;
        }
        byte[] entry = new byte[LOW_POWER_ENTRY_WITH_WAKEUP_SIZE];
        if (arg.copyFromUser(entry, 0, VfioDeviceFeature.dataOffset(), entry.length) != 0) {
            return -EFAULT;
        }
        int fd = (int) getU32(entry, 0);
        if (fd < 0) {
            return -EINVAL;
        }
        return vfioPciRuntimePmEntry(vdev, fd);
    }

    /** {@code __vfio_pci_runtime_pm_exit} under {@code memory_lock}: disengage, drop the eventfd. */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_runtime_pm_exit")
    static void vfioPciRuntimePmExit(VfioPciCoreDevice vdev) {
        vdev.memoryLock.writeLock().lock();
        try {
            vdev.pmRuntimeEngaged = false;
            vdev.pmWakeEventfd = -1;
        } finally {
            vdev.memoryLock.writeLock().unlock();
        }
    }

    /** {@code vfio_pci_core_pm_exit}: SET only, no payload; leaves low power, always 0. */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_pm_exit")
    static int vfioPciCorePmExit(VfioPciCoreDevice vdev, int flags, long argsz) {
        int ret = VfioMain.vfioCheckFeature(flags, argsz, VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET, 0);
        if (ret != 1) {
            return ret;
        }
        vfioPciRuntimePmExit(vdev);
        return 0;
    }

    /**
     * {@code vfio_pci_core_feature_token}: -ENOTTY unless the function is an SR-IOV PF (only a
     * PF has a {@code vf_token}); SET only (a GET could leak the previous user's token) with a
     * 16-byte UUID, which replaces the token.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_feature_token")
    static int vfioPciCoreFeatureToken(VfioPciCoreDevice vdev, int flags, UserBuffer arg,
            long argsz) {
        if (vdev.vfToken == null) {
            return -ENOTTY;
        }
        int ret = VfioMain.vfioCheckFeature(flags, argsz, VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET,
                UUID_SIZE);
        if (ret != 1) {
            return ret;
        }
        byte[] uuid = new byte[UUID_SIZE];
        if (arg.copyFromUser(uuid, 0, VfioDeviceFeature.dataOffset(), UUID_SIZE) != 0) {
            return -EFAULT;
        }
        synchronized (vdev) {
            vdev.vfToken = uuid;
        }
        return 0;
    }

    /**
     * {@code vfio_pci_core_feature_dma_buf} (drivers/vfio/pci/vfio_pci_dmabuf.c, v6.19), its
     * checks in order: -EOPNOTSUPP when the driver set no {@code get_dmabuf_phys}; GET only
     * with the 16-byte header ({@code vfio_check_feature}); {@code nr_ranges} 0 or
     * {@code flags} set -EINVAL; a region at or past the ROM -ENODEV; the ranges copied in by
     * {@code memdup_array_user} ({@link Memdup}: -EOVERFLOW when {@code nr_ranges * 16} does
     * not fit a {@code size_t}, which only a 32-bit one can miss; -ENOMEM past
     * {@code KMALLOC_MAX_SIZE}, whatever the buffer holds; -EFAULT past the buffer);
     * {@code validate_dmabuf_input}: every range non-empty and page
     * aligned in offset and length, the total neither wrapping nor reaching
     * {@code DMA_IOVA_USE_SWIOTLB}, bit 63 (-EINVAL; on 32-bit the total is a 32-bit
     * {@code size_t}); the driver's {@code get_dmabuf_phys}.
     *
     * <p>For a table whose BARs map through vfio-pci-core ({@code maps}, variant
     * {@code wc-dmabuf}) a request that passed every check exports a {@link VfioPciDmabuf} and
     * installs its descriptor in the caller ({@code dma_buf_fd}), which is the ioctl's return
     * value; for any other table it answers -EOPNOTSUPP as at stage 5: the model does not
     * export what such a driver maps its own way.
     */
    @Models({"drivers/vfio/pci/vfio_pci_dmabuf.c:vfio_pci_core_feature_dma_buf",
            "drivers/vfio/pci/vfio_pci_dmabuf.c:validate_dmabuf_input"})
    static int vfioPciCoreFeatureDmaBuf(VfioPciCoreDevice vdev, int flags, UserBuffer arg,
            long argsz, boolean maps) {
        VfioPciDeviceOps.GetDmabufPhys phys = vdev.pciOps != null ? vdev.pciOps.getDmabufPhys() : null;
        if (phys == null && maps) {
            phys = VfioPciCore::vfioPciCoreGetDmabufPhys;
        }
        if (phys == null) {
            return -EOPNOTSUPP;
        }
        int ret = VfioMain.vfioCheckFeature(flags, argsz, VfioDeviceFeature.VFIO_DEVICE_FEATURE_GET,
                DMA_BUF_SIZE);
        if (ret != 1) {
            return ret;
        }
        byte[] head = new byte[DMA_BUF_SIZE];
        int data = VfioDeviceFeature.dataOffset();
        if (arg.copyFromUser(head, 0, data, DMA_BUF_SIZE) != 0) {
            return -EFAULT;
        }
        long regionIndex = getU32(head, 0);
        long dmaFlags = getU32(head, 8);
        long nrRanges = getU32(head, 12);
        if (nrRanges == 0 || dmaFlags != 0) {
            return -EINVAL;
        }
        if (regionIndex >= VFIO_PCI_ROM_REGION_INDEX) {
            return -ENODEV;
        }
        Arch arch = vdev.arch();
        Memdup.Result dup = Memdup.memdupArrayUser(arch, arg, data + DMA_BUF_SIZE, nrRanges,
                DMA_RANGE_SIZE);
        if (dup.isErr()) {
            return dup.err();
        }
        byte[] raw = dup.bytes();
        long[][] ranges = new long[(int) nrRanges][];
        long length = 0;
        for (int i = 0; i < ranges.length; i++) {
            long off = getU64(raw, DMA_RANGE_SIZE * i);
            long len = getU64(raw, DMA_RANGE_SIZE * i + 8);
            if (len == 0 || !arch.isPageAligned(off) || !arch.isPageAligned(len)) {
                return -EINVAL;
            }
            long sum = length + len;
            if (Long.compareUnsigned(sum, length) < 0
                    || (arch.is32Bit() && Long.compareUnsigned(sum, arch.ulongMax()) > 0)) {
                return -EINVAL;
            }
            length = sum;
            ranges[i] = new long[] {off, len};
        }
        if (!arch.is32Bit() && length < 0) {
            return -EINVAL;
        }
        ret = phys.getDmabufPhys(vdev, (int) regionIndex, ranges);
        if (ret != 0) {
            return ret;
        }
        if (!maps) {
            return -EOPNOTSUPP;
        }
        VfioPciDmabuf priv;
        synchronized (vdev.dmabufs) {
            priv = new VfioPciDmabuf(vdev, (int) regionIndex, java.util.Arrays.asList(ranges),
                    ++vdev.dmabufSerial);
            vdev.dmabufs.add(priv);
        }
        return Current.fdInstall(priv.dmabuf());
    }

    /**
     * {@code vfio_pci_core_feature_dma_buf_memattr} (Matt Evans v4, variant {@code wc-dmabuf}):
     * SET only with {@code struct vfio_device_feature_dma_buf_memattr}; a descriptor that is not
     * open -EBADF, one that is no dma-buf of vfio-pci -EINVAL, a dma-buf of another device
     * -ENODEV, an attribute other than NC or WC -ENOENT; otherwise the dma-buf's later mmaps get
     * it (mappings already made keep theirs).
     */
    @Models("drivers/vfio/pci/vfio_pci_dmabuf.c:vfio_pci_core_feature_dma_buf_memattr")
    static int vfioPciCoreFeatureDmaBufMemattr(VfioPciCoreDevice vdev, int flags, UserBuffer arg,
            long argsz) {
        int ret = VfioMain.vfioCheckFeature(flags, argsz, VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET,
                VfioDeviceFeatureDmaBufMemattr.SIZE);
        if (ret != 1) {
            return ret;
        }
        byte[] buf = new byte[VfioDeviceFeatureDmaBufMemattr.SIZE];
        if (arg.copyFromUser(buf, 0, VfioDeviceFeature.dataOffset(), buf.length) != 0) {
            return -EFAULT;
        }
        VfioDeviceFeatureDmaBufMemattr req = VfioDeviceFeatureDmaBufMemattr.decode(buf, 0);
        KernelFile file = Current.fget(req.dmabufFd());
        if (file == null) {
            return -EBADF;
        }
        if (!(file instanceof DmaBuf d) || !(d.priv() instanceof VfioPciDmabuf priv)) {
            return -EINVAL;
        }
        if (priv.vdev() != vdev) {
            return -ENODEV;
        }
        if (req.memattr() != VfioDeviceFeatureDmaBufMemattr.VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR_NC
                && req.memattr() != VfioDeviceFeatureDmaBufMemattr.VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR_WC) {
            return -ENOENT;
        }
        priv.setMemattr((int) req.memattr());
        return 0;
    }

    /**
     * {@code vfio_pci_core_ioctl_feature_wc} (variant {@code wc-dmabuf}): the {@code device_feature}
     * of the tables whose BARs map through vfio-pci-core: dma-buf export for every one of them
     * (Matt Evans' series backs vfio-pci-core's BAR mappings with dma-bufs, so the core's
     * {@code get_dmabuf_phys} serves a driver that sets none) with mmap-able dma-bufs, and the
     * memory attribute; every other feature as {@link #vfioPciCoreIoctlFeature}. A table that
     * maps its own way keeps the plain handler: its export stays v6.19's (no mmap here).
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_ioctl_feature_wc")
    public static int vfioPciCoreIoctlFeatureWc(VfioDevice device, int flags, UserBuffer arg,
            long argsz) {
        switch (flags & 0xffff) {
            case VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_BUF:
                return vfioPciCoreFeatureDmaBuf(toPci(device), flags, arg, argsz, true);
            case VfioDeviceFeatureDmaBufMemattr.VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR:
                return vfioPciCoreFeatureDmaBufMemattr(toPci(device), flags, arg, argsz);
            default:
                return vfioPciCoreIoctlFeature(device, flags, arg, argsz);
        }
    }

    /**
     * {@code vfio_pci_core_ioctl_feature_wc_only} (variant {@code wc-dmabuf}): for a table that
     * maps through vfio-pci-core but sets no {@code device_feature} (qat): export and the memory
     * attribute only, so its other features stay -ENOTTY.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_core_ioctl_feature_wc_only")
    public static int vfioPciCoreIoctlFeatureWcOnly(VfioDevice device, int flags, UserBuffer arg,
            long argsz) {
        switch (flags & 0xffff) {
            case VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_BUF:
            case VfioDeviceFeatureDmaBufMemattr.VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR:
                return vfioPciCoreIoctlFeatureWc(device, flags, arg, argsz);
            default:
                return -ENOTTY;
        }
    }

    /**
     * {@code vfio_pci_wc_covers_msix} (the WC variants): whether the part of BAR {@code bar}
     * from {@code off} for {@code len} bytes touches a page of the MSI-X table. vfio-pci lets
     * userspace map the table's page uncached (MSIX_MAPPABLE; the device still takes vectors
     * through SET_IRQS), but write-combined stores to it could merge or reorder writes to a
     * vector's data and its mask bit, so a write-combined mapping must stay off it.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_wc_covers_msix")
    public static boolean vfioPciWcCoversMsix(VfioPciCoreDevice vdev, int bar, long off, long len) {
        if (bar != vdev.msixBar || vdev.msixSize == 0) {
            return false;
        }
        Arch arch = vdev.arch();
        long tableStart = vdev.msixOffset & -arch.pageSize();
        long tableEnd = arch.pageAlign(vdev.msixOffset + vdev.msixSize);
        return off < tableEnd && tableStart < off + len;
    }

    /**
     * {@code vfio_pci_dma_buf_move(vdev, revoked)}: every mapping of every dma-buf of the device
     * zapped, each in its own address space; the next fault decides again (SIGBUS while memory
     * decode is off).
     */
    @Models("drivers/vfio/pci/vfio_pci_dmabuf.c:vfio_pci_dma_buf_move")
    static void vfioPciDmaBufMove(VfioPciCoreDevice vdev) {
        for (VfioPciDmabuf d : vdev.dmabufs()) {
            d.dmabuf().zap();
        }
    }

    /** {@code vfio_pci_dma_buf_cleanup}: at close_device every dma-buf is revoked for good. */
    @Models("drivers/vfio/pci/vfio_pci_dmabuf.c:vfio_pci_dma_buf_cleanup")
    static void vfioPciDmaBufCleanup(VfioPciCoreDevice vdev) {
        for (VfioPciDmabuf d : vdev.dmabufs()) {
            d.revokeForGood();
        }
    }

    /**
     * {@code vfio_pci_core_get_dmabuf_phys}, vfio-pci's {@code get_dmabuf_phys}: the BAR must
     * be a memory BAR ({@code pcim_p2pdma_provider} has no provider for anything else: -EINVAL)
     * and {@code vfio_pci_core_fill_phys_vec} keeps every range inside the BAR.
     */
    @Models({"drivers/vfio/pci/vfio_pci_dmabuf.c:vfio_pci_core_get_dmabuf_phys",
            "drivers/vfio/pci/vfio_pci_dmabuf.c:vfio_pci_core_fill_phys_vec"})
    public static int vfioPciCoreGetDmabufPhys(VfioPciCoreDevice vdev, int regionIndex,
            long[][] ranges) {
        PciFunction pdev = vdev.pdev();
        if (!pdev.isMemBar(regionIndex)) {
            return -EINVAL;
        }
        return vfioPciCoreFillPhysVec(ranges, pdev.pciResourceStart(regionIndex),
                pdev.pciResourceLen(regionIndex));
    }

    /**
     * {@code vfio_pci_core_fill_phys_vec}: each range's physical address is {@code start} plus
     * its offset and must end at or below {@code start + len}, in 64-bit {@code phys_addr_t}: an
     * empty range -EINVAL, a sum that wraps ({@code check_add_overflow}) -EOVERFLOW, an end past
     * the memory -EINVAL.
     */
    @Models("drivers/vfio/pci/vfio_pci_dmabuf.c:vfio_pci_core_fill_phys_vec")
    public static int vfioPciCoreFillPhysVec(long[][] ranges, long start, long len) {
        long maxAddr = start + len;
        for (long[] r : ranges) {
            if (r[1] == 0) {
                return -EINVAL;
            }
            long paddr = start + r[0];
            if (Long.compareUnsigned(paddr, start) < 0) {
                return -EOVERFLOW;
            }
            long end = paddr + r[1];
            if (Long.compareUnsigned(end, paddr) < 0) {
                return -EOVERFLOW;
            }
            if (Long.compareUnsigned(end, maxAddr) > 0) {
                return -EINVAL;
            }
        }
        return 0;
    }

    private static long getU32(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (b[off + i] & 0xffL) << (8 * i);
        }
        return v;
    }

    private static long getU64(byte[] b, int off) {
        return getU32(b, off) | getU32(b, off + 4) << 32;
    }

    // ---------------------------------------------------------------- revocation

    /**
     * {@code vfio_pci_memory_lock_and_enable}: take {@code memory_lock} for writing and turn
     * on the device's MEMORY bit (the hardware's, not the user's view) if it was off, for an
     * access the kernel makes on its own; returns the command register to restore.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_memory_lock_and_enable")
    static int vfioPciMemoryLockAndEnable(VfioPciCoreDevice vdev) {
        vdev.memoryLock.writeLock().lock();
        PciFunction pdev = vdev.pdev();
        int cmd = pdev.command();
        if (!pdev.memoryEnabled()) {
            pdev.setMemoryEnabled(true);
        }
        return cmd;
    }

    /** {@code vfio_pci_memory_unlock_and_restore}: the command register back, lock released. */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_memory_unlock_and_restore")
    static void vfioPciMemoryUnlockAndRestore(VfioPciCoreDevice vdev, int cmd) {
        try {
            vdev.pdev().configWrite(PciConfigSpace.Register.COMMAND.offset(), 2, cmd);
        } finally {
            vdev.memoryLock.writeLock().unlock();
        }
    }

    /**
     * {@code vfio_pci_zap_bars}: the core's {@code vfio_device_zap_mmaps()}, which reaches every
     * cookie of every file of the device (in v6.19, the byte range [index 0, index 6) of the
     * 40-bit layout), then every dma-buf's own address space (variant {@code wc-dmabuf}). A
     * table without mappings (ism) has nothing there to zap.
     */
    @Models("drivers/vfio/pci/vfio_pci_core.c:vfio_pci_zap_bars")
    static void vfioPciZapBars(VfioPciCoreDevice vdev) {
        VfioMain.vfioDeviceZapMmaps(vdev);
        vfioPciDmaBufMove(vdev);
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
