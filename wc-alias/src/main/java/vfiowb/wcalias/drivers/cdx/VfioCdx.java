package vfiowb.wcalias.drivers.cdx;

import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.errno.Errno.ENOMEM;
import static vfiowb.common.errno.Errno.ENOTTY;
import static vfiowb.common.errno.Errno.EPERM;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;

import vfiowb.common.Models;
import vfiowb.common.hw.CdxDevice;
import vfiowb.common.hw.PlatformResource;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Memory;
import vfiowb.common.mm.PgProt;
import vfiowb.common.mm.Slab;
import vfiowb.common.mm.VmArea;
import vfiowb.common.mm.VmFlag;
import vfiowb.common.uapi.VfioDeviceFeature;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionInfoStruct;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.wcalias.core.VfioDevice;
import vfiowb.wcalias.core.VfioDeviceOps;
import vfiowb.wcalias.core.VfioMmap;

/**
 * drivers/vfio/cdx/main.c as of v6.19: AMD CDX functions. No read/write op (the core answers
 * -EINVAL), mmap with {@code pgprot_device} and an eager {@code io_remap_pfn_range}, and the
 * BUS_MASTER device feature. With this series region info and mmap go through the cookie ops:
 * each region with bytes has a {@link VfioCdxMmap}, and mmap takes the region from it and the
 * page offset inside it from the core ({@code VFIO_CDX_OFFSET_SHIFT} is gone).
 *
 * <p>Simplifications: MSI setup ({@code VFIO_DEVICE_SET_IRQS}, vfio_cdx_intr.c) is not
 * modelled and answers -ENOTTY; {@code cdx_dev_reset} and {@code cdx_clear_master} always
 * succeed.
 */
@Models("drivers/vfio/cdx/main.c")
public final class VfioCdx {
    /** {@code BME_SUPPORT}: bus mastering can be controlled. */
    private static final int BME_SUPPORT = 1;
    /** {@code VFIO_DEVICE_FEATURE_CLEAR_MASTER}. */
    private static final int VFIO_DEVICE_FEATURE_CLEAR_MASTER = 0;
    /** {@code VFIO_DEVICE_FEATURE_SET_MASTER}. */
    private static final int VFIO_DEVICE_FEATURE_SET_MASTER = 1;
    /** {@code sizeof(struct vfio_device_feature_bus_master)}: one {@code __u32 op}. */
    private static final int BUS_MASTER_SIZE = 4;

    private VfioCdx() {}

    /** {@code vfio_cdx_ops}. */
    @Models("drivers/vfio/cdx/main.c:vfio_cdx_ops")
    public static final VfioDeviceOps VFIO_CDX_OPS = VfioDeviceOps.builder("vfio_cdx_ops")
            .name("vfio-cdx")
            .openDevice(VfioCdx::vfioCdxOpenDevice)
            .closeDevice(VfioCdx::vfioCdxCloseDevice)
            .ioctl(VfioCdx::vfioCdxIoctl)
            .getRegionInfoObj(VfioCdx::vfioCdxIoctlGetRegionInfoObj)
            .deviceFeature(VfioCdx::vfioCdxIoctlFeature)
            .mmapObj(VfioCdx::vfioCdxMmapObj)
            .build();

    /** {@code vfio_cdx_probe}. */
    @Models("drivers/vfio/cdx/main.c:vfio_cdx_probe")
    public static VfioCdxDevice vfioCdxProbe(CdxDevice cdxDev, Arch arch) {
        return new VfioCdxDevice(VFIO_CDX_OPS, cdxDev, arch);
    }

    private static VfioCdxDevice toCdx(VfioDevice core) {
        return (VfioCdxDevice) core;
    }

    /**
     * {@code vfio_cdx_open_device}: one region per resource (mmappable when page granular,
     * readable, writable unless read-only), then reset the function and clear bus mastering;
     * if that works, bus mastering is user-controllable ({@code BME_SUPPORT}). With this
     * series it also sets {@code nr_regions}, one per resource, for the core's cookies.
     */
    @Models("drivers/vfio/cdx/main.c:vfio_cdx_open_device")
    public static int vfioCdxOpenDevice(VfioDevice core) {
        VfioCdxDevice vdev = toCdx(core);
        CdxDevice cdxDev = vdev.cdxDev();
        Arch arch = vdev.arch();
        // the region array is kcalloc'd: -ENOMEM when that fails
        vdev.regions = Slab.kcalloc(cdxDev.resources().size());
        if (vdev.regions == null) {
            return -ENOMEM;
        }
        for (PlatformResource res : cdxDev.resources()) {
            long flags = 0;
            if (arch.isPageAligned(res.start()) && arch.isPageAligned(res.size())) {
                flags |= VFIO_REGION_INFO_FLAG_MMAP;
            }
            flags |= VFIO_REGION_INFO_FLAG_READ;
            if (res.writable()) {
                flags |= VFIO_REGION_INFO_FLAG_WRITE;
            }
            vdev.regions.add(new VfioCdxDevice.Region(flags, res.flags(), res.start(), res.size()));
        }
        vdev.setNrRegions(vdev.regions.size());
        cdxDev.reset();
        cdxDev.setBusMaster(false);
        vdev.flags |= BME_SUPPORT;
        return 0;
    }

    /** {@code vfio_cdx_close_device}: free the regions, reset the function. */
    @Models("drivers/vfio/cdx/main.c:vfio_cdx_close_device")
    public static void vfioCdxCloseDevice(VfioDevice core) {
        VfioCdxDevice vdev = toCdx(core);
        Slab.kfree(vdev.regions);
        vdev.cdxDev().reset();
    }

    // ---------------------------------------------------------------- ioctl

    /** {@code vfio_cdx_ioctl}: GET_INFO, GET_IRQ_INFO, RESET; -ENOTTY otherwise. */
    @Models("drivers/vfio/cdx/main.c:vfio_cdx_ioctl")
    public static long vfioCdxIoctl(VfioDevice core, int cmd, UserBuffer arg) {
        VfioCdxDevice vdev = toCdx(core);
        switch (cmd) {
            case VfioIoctl.VFIO_DEVICE_GET_INFO:
                return vfioCdxIoctlGetInfo(vdev, arg);
            case VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO:
                return vfioCdxIoctlGetIrqInfo(vdev, arg);
            case VfioIoctl.VFIO_DEVICE_RESET:
                vdev.cdxDev().reset();
                return 0;
            default:
                return -ENOTTY;
        }
    }

    /** {@code vfio_cdx_ioctl_get_info}: CDX and RESET; one IRQ index when the function has MSIs. */
    @Models("drivers/vfio/cdx/main.c:vfio_cdx_ioctl_get_info")
    static long vfioCdxIoctlGetInfo(VfioCdxDevice vdev, UserBuffer arg) {
        final int minsz = VfioDeviceInfo.LAYOUT.field("num_irqs").end();
        byte[] head = new byte[VfioDeviceInfo.SIZE];
        if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioDeviceInfo info = VfioDeviceInfo.decode(head, 0);
        if (info.argsz() < minsz) {
            return -EINVAL;
        }
        long flags = VfioDeviceInfo.VFIO_DEVICE_FLAGS_CDX | VfioDeviceInfo.VFIO_DEVICE_FLAGS_RESET;
        VfioDeviceInfo out = new VfioDeviceInfo(info.argsz(), flags,
                vdev.cdxDev().resources().size(), vdev.cdxDev().irqCount() != 0 ? 1 : 0,
                info.capOffset(), info.pad());
        return arg.copyToUser(0, out.encode(), 0, minsz) != 0 ? -EFAULT : 0;
    }

    /** {@code vfio_cdx_ioctl_get_irq_info}: index 0 only, the function's MSI vectors. */
    @Models("drivers/vfio/cdx/main.c:vfio_cdx_ioctl_get_irq_info")
    static long vfioCdxIoctlGetIrqInfo(VfioCdxDevice vdev, UserBuffer arg) {
        final int minsz = VfioIrqInfo.LAYOUT.field("count").end();
        byte[] head = new byte[minsz];
        if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioIrqInfo info = VfioIrqInfo.decode(head, 0);
        if (info.argsz() < minsz) {
            return -EINVAL;
        }
        if (info.index() >= 1) {
            return -EINVAL;
        }
        if (vdev.cdxDev().irqCount() == 0) {
            return -EINVAL;
        }
        VfioIrqInfo out = new VfioIrqInfo(info.argsz(),
                VfioIrqInfo.VFIO_IRQ_INFO_EVENTFD | VfioIrqInfo.VFIO_IRQ_INFO_NORESIZE, info.index(),
                vdev.cdxDev().irqCount());
        return arg.copyToUser(0, out.encode(), 0, minsz) != 0 ? -EFAULT : 0;
    }

    /**
     * {@code vfio_cdx_ioctl_get_region_info_obj} (this series): size and flags, no capabilities,
     * and a {@link VfioCdxMmap} naming the region. The offset is the core's.
     */
    @Models("drivers/vfio/cdx/main.c:vfio_cdx_ioctl_get_region_info_obj")
    public static int vfioCdxIoctlGetRegionInfoObj(VfioDevice core, VfioRegionInfoStruct info,
            VfioInfoCap caps, VfioMmap[] obj) {
        VfioCdxDevice vdev = toCdx(core);
        if (info.index() >= vdev.cdxDev().resources().size()) {
            return -EINVAL;
        }
        int index = (int) info.index();
        VfioCdxDevice.Region region = vdev.regions.get(index);
        info.setSize(region.size());
        info.setFlags(region.flags());
        if (region.size() != 0) {
            obj[0] = new VfioCdxMmap(vdev, index, region);
        }
        return 0;
    }

    // ---------------------------------------------------------------- device feature

    /** {@code vfio_cdx_ioctl_feature}: BUS_MASTER only; anything else -ENOTTY. */
    @Models("drivers/vfio/cdx/main.c:vfio_cdx_ioctl_feature")
    public static int vfioCdxIoctlFeature(VfioDevice device, int flags, UserBuffer arg, long argsz) {
        if ((flags & 0xffff) == VfioDeviceFeature.VFIO_DEVICE_FEATURE_BUS_MASTER) {
            return vfioCdxBmCtrl(toCdx(device), flags, arg, argsz);
        }
        return -ENOTTY;
    }

    /**
     * {@code vfio_cdx_bm_ctrl}: -ENOTTY unless bus mastering is controllable
     * ({@code BME_SUPPORT}), SET only ({@code vfio_check_feature}), then the {@code op}:
     * CLEAR_MASTER or SET_MASTER, anything else -EINVAL.
     */
    @Models("drivers/vfio/cdx/main.c:vfio_cdx_bm_ctrl")
    static int vfioCdxBmCtrl(VfioCdxDevice vdev, int flags, UserBuffer arg, long argsz) {
        if ((vdev.flags & BME_SUPPORT) == 0) {
            return -ENOTTY;
        }
        int ret = vfioCheckFeature(flags, argsz, VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET,
                BUS_MASTER_SIZE);
        if (ret != 1) {
            return ret;
        }
        byte[] ops = new byte[BUS_MASTER_SIZE];
        if (arg.copyFromUser(ops, 0, VfioDeviceFeature.dataOffset(), BUS_MASTER_SIZE) != 0) {
            return -EFAULT;
        }
        long op = (ops[0] & 0xFFL) | (ops[1] & 0xFFL) << 8 | (ops[2] & 0xFFL) << 16
                | (ops[3] & 0xFFL) << 24;
        if (op == VFIO_DEVICE_FEATURE_CLEAR_MASTER) {
            vdev.cdxDev().setBusMaster(false);
            return 0;
        }
        if (op == VFIO_DEVICE_FEATURE_SET_MASTER) {
            vdev.cdxDev().setBusMaster(true);
            return 0;
        }
        return -EINVAL;
    }

    /**
     * {@code vfio_check_feature()} (include/linux/vfio.h): an operation the feature does not
     * support -EINVAL, PROBE answers 0, neither GET nor SET -EINVAL, a payload below
     * {@code minsz} -EINVAL, else 1 ("go on").
     */
    @Models("include/linux/vfio.h:vfio_check_feature")
    static int vfioCheckFeature(int flags, long argsz, int supportedOps, int minsz) {
        int getSet = VfioDeviceFeature.VFIO_DEVICE_FEATURE_GET | VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET;
        if ((flags & getSet & ~supportedOps) != 0) {
            return -EINVAL;
        }
        if ((flags & VfioDeviceFeature.VFIO_DEVICE_FEATURE_PROBE) != 0) {
            return 0;
        }
        if ((flags & getSet) == 0) {
            return -EINVAL;
        }
        if (argsz < minsz) {
            return -EINVAL;
        }
        return 1;
    }

    // ---------------------------------------------------------------- mmap

    /**
     * {@code vfio_cdx_mmap_obj} (this series): no MMAP flag -EINVAL, a VM_READ or VM_WRITE the
     * region does not allow <b>-EPERM</b>; no check of VM_SHARED (a private mapping goes
     * through, and {@code remap_pfn_range} then rewrites {@code vm_pgoff} to the PFN for the COW
     * mapping). The index check is gone: the core found {@code obj} at the VMA's pgoff and
     * checked the VMA lies inside it, before any of these.
     */
    @Models("drivers/vfio/cdx/main.c:vfio_cdx_mmap_obj")
    public static int vfioCdxMmapObj(VfioDevice core, VmArea vma, VfioMmap obj) {
        VfioCdxDevice vdev = toCdx(core);
        VfioCdxMmap cmmap = (VfioCdxMmap) obj;
        VfioCdxDevice.Region region = cmmap.region();

        if ((region.flags() & VFIO_REGION_INFO_FLAG_MMAP) == 0) {
            return -EINVAL;
        }
        if ((region.flags() & VFIO_REGION_INFO_FLAG_READ) == 0 && vma.hasFlag(VmFlag.VM_READ)) {
            return -EPERM;
        }
        if ((region.flags() & VFIO_REGION_INFO_FLAG_WRITE) == 0 && vma.hasFlag(VmFlag.VM_WRITE)) {
            return -EPERM;
        }
        return vfioCdxMmapMmio(cmmap, vma, vdev.arch());
    }

    /**
     * {@code vfio_cdx_mmap_mmio} on the cookie path: {@code pgprot_device}, eager
     * {@code io_remap_pfn_range} from the region's PFN (an {@code unsigned long}) plus
     * {@code vfio_mmap_vma_pgoff()}, the VMA's page offset in the region. The test that the
     * request lies in the region ({@code base + size > region.size}, -EINVAL) is gone:
     * {@code vfio_device_fops_mmap} refused with -ENXIO any VMA outside the cookie's pages
     * before calling {@code mmap_obj}. {@code vm_pgoff} is no longer rewritten to the PFN by
     * the driver: it stays the VMA's place in its cookie.
     */
    @Models("drivers/vfio/cdx/main.c:vfio_cdx_mmap_mmio")
    static int vfioCdxMmapMmio(VfioCdxMmap cmmap, VmArea vma, Arch arch) {
        VfioCdxDevice.Region region = cmmap.region();
        long size = vma.vmEnd() - vma.vmStart();

        vma.setPageProt(PgProt.DEVICE);
        long pfn = ((region.addr() >>> arch.pageShift()) + cmmap.vmaPageOffset(vma))
                & arch.ulongMax();
        return Memory.ioRemapPfnRange(vma, vma.vmStart(), pfn, size, vma.pageProt());
    }
}
