package vfiowb.wcalias.drivers.fslmc;

import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.errno.Errno.ENOMEM;
import static vfiowb.common.errno.Errno.ENOTTY;
import static vfiowb.common.errno.Errno.ETIMEDOUT;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;

import vfiowb.common.Models;
import vfiowb.common.hw.FslMcDevice;
import vfiowb.common.hw.FslMcRegion;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Memory;
import vfiowb.common.mm.PgProt;
import vfiowb.common.mm.Slab;
import vfiowb.common.mm.VmArea;
import vfiowb.common.mm.VmFlag;
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
 * drivers/vfio/fsl-mc/vfio_fsl_mc.c as of v6.19 (deprecated in v6.18, un-deprecated in v7.0),
 * on the mmap cookie ops of this series: each region with bytes has a {@link VfioFslMcMmap},
 * placed by the core, and mmap and the MC command read/write take the region from it and the
 * offset inside it from the core ({@code VFIO_FSL_MC_OFFSET_SHIFT} is gone).
 *
 * <p>Simplifications: a non-container object is bound on its own, without the DPRC whose
 * device set and MC portal it shares upstream; container scanning, the bus notifier and
 * {@code VFIO_DEVICE_SET_IRQS} (no eventfds in the model; it answers -ENOTTY) are not
 * modelled; resets ({@code dprc_reset_container}, {@code fsl_mc_obj_reset}) are MC commands the
 * model completes at once without touching the object.
 */
@Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c")
public final class VfioFslMc {
    /** {@code FSL_MC_REGION_CACHEABLE}. */
    private static final int FSL_MC_REGION_CACHEABLE = 0x1;
    /** {@code FSL_MC_REGION_SHAREABLE}. */
    private static final int FSL_MC_REGION_SHAREABLE = 0x2;
    private static final int MC_CMD_STATUS_READY = 0x1;
    private static final int MC_CMD_COMPLETION_TIMEOUT_MS = 5000;
    private static final int MC_CMD_COMPLETION_POLLING_MAX_SLEEP_USECS = 500;
    private static final int PORTAL_QWORDS = 8;

    private VfioFslMc() {}

    /** {@code vfio_fsl_mc_ops}. */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_ops")
    public static final VfioDeviceOps VFIO_FSL_MC_OPS = VfioDeviceOps.builder("vfio_fsl_mc_ops")
            .name("vfio-fsl-mc")
            .openDevice(VfioFslMc::vfioFslMcOpenDevice)
            .closeDevice(VfioFslMc::vfioFslMcCloseDevice)
            .ioctl(VfioFslMc::vfioFslMcIoctl)
            .getRegionInfoObj(VfioFslMc::vfioFslMcIoctlGetRegionInfoObj)
            .readObj(VfioFslMc::vfioFslMcReadObj)
            .writeObj(VfioFslMc::vfioFslMcWriteObj)
            .mmapObj(VfioFslMc::vfioFslMcMmapObj)
            .build();

    /** {@code vfio_fsl_mc_probe} with {@code vfio_fsl_mc_init_dev}. */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_probe")
    public static VfioFslMcDevice vfioFslMcProbe(FslMcDevice mcDev, Arch arch) {
        return new VfioFslMcDevice(VFIO_FSL_MC_OPS, mcDev, arch);
    }

    private static VfioFslMcDevice toFslMc(VfioDevice core) {
        return (VfioFslMcDevice) core;
    }

    /**
     * {@code vfio_fsl_mc_regions_init}: the object's regions, in an array it {@code kcalloc}s
     * (-ENOMEM when that fails); each readable, writable unless read-only, and mmappable when
     * page granular, except that a container's regions (its MC portal) are never mmappable.
     */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_regions_init")
    static int vfioFslMcRegionsInit(VfioFslMcDevice vdev) {
        FslMcDevice mcDev = vdev.mcDev();
        Arch arch = vdev.arch();
        vdev.regions = Slab.kcalloc(mcDev.regions().size());
        if (vdev.regions == null) {
            return -ENOMEM;
        }
        for (FslMcRegion res : mcDev.regions()) {
            boolean noMmap = mcDev.isDprc();
            long flags = 0;
            if (!noMmap && arch.isPageAligned(res.start()) && arch.isPageAligned(res.size())) {
                flags |= VFIO_REGION_INFO_FLAG_MMAP;
            }
            flags |= VFIO_REGION_INFO_FLAG_READ;
            if (res.writable()) {
                flags |= VFIO_REGION_INFO_FLAG_WRITE;
            }
            vdev.regions.add(new VfioFslMcDevice.Region(res.start(), res.size(), res.typeBits(), flags));
        }
        return 0;
    }

    /**
     * {@code vfio_fsl_mc_open_device}: the regions; with this series also {@code nr_regions},
     * the object's region count, so the core can give every region its cookie.
     */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_open_device")
    public static int vfioFslMcOpenDevice(VfioDevice core) {
        VfioFslMcDevice vdev = toFslMc(core);
        int ret = vfioFslMcRegionsInit(vdev);
        if (ret != 0) {
            return ret;
        }
        vdev.setNrRegions(vdev.regions.size());
        return 0;
    }

    /**
     * {@code vfio_fsl_mc_close_device}: {@code vfio_fsl_mc_regions_cleanup} (iounmap, which the
     * model has nothing to undo for, and free the array), then reset the object.
     */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_close_device")
    public static void vfioFslMcCloseDevice(VfioDevice core) {
        VfioFslMcDevice vdev = toFslMc(core);
        Slab.kfree(vdev.regions);
        vfioFslMcResetDevice(vdev);
    }

    /**
     * {@code vfio_fsl_mc_reset_device}: {@code dprc_reset_container} for a container,
     * {@code fsl_mc_obj_open/reset/close} for any other object.
     */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_reset_device")
    static int vfioFslMcResetDevice(VfioFslMcDevice vdev) {
        vdev.countReset();
        return 0;
    }

    // ---------------------------------------------------------------- ioctl

    /** {@code vfio_fsl_mc_ioctl}: GET_INFO, GET_IRQ_INFO, RESET; -ENOTTY otherwise. */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_ioctl")
    public static long vfioFslMcIoctl(VfioDevice core, int cmd, UserBuffer arg) {
        VfioFslMcDevice vdev = toFslMc(core);
        switch (cmd) {
            case VfioIoctl.VFIO_DEVICE_GET_INFO:
                return vfioFslMcIoctlGetInfo(vdev, arg);
            case VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO:
                return vfioFslMcIoctlGetIrqInfo(vdev, arg);
            case VfioIoctl.VFIO_DEVICE_RESET:
                return vfioFslMcResetDevice(vdev);
            default:
                return -ENOTTY;
        }
    }

    /** GET_INFO: FSL_MC, RESET advertised for containers only; region and IRQ counts. */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_ioctl")
    static long vfioFslMcIoctlGetInfo(VfioFslMcDevice vdev, UserBuffer arg) {
        final int minsz = VfioDeviceInfo.LAYOUT.field("num_irqs").end();
        byte[] head = new byte[VfioDeviceInfo.SIZE];
        if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioDeviceInfo info = VfioDeviceInfo.decode(head, 0);
        if (info.argsz() < minsz) {
            return -EINVAL;
        }
        long flags = VfioDeviceInfo.VFIO_DEVICE_FLAGS_FSL_MC;
        if (vdev.mcDev().isDprc()) {
            flags |= VfioDeviceInfo.VFIO_DEVICE_FLAGS_RESET;
        }
        VfioDeviceInfo out = new VfioDeviceInfo(info.argsz(), flags, vdev.mcDev().regions().size(),
                vdev.mcDev().irqCount(), info.capOffset(), info.pad());
        return arg.copyToUser(0, out.encode(), 0, minsz) != 0 ? -EFAULT : 0;
    }

    /** GET_IRQ_INFO: every interrupt is one eventfd-signalled vector. */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_ioctl")
    static long vfioFslMcIoctlGetIrqInfo(VfioFslMcDevice vdev, UserBuffer arg) {
        final int minsz = VfioIrqInfo.LAYOUT.field("count").end();
        byte[] head = new byte[minsz];
        if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioIrqInfo info = VfioIrqInfo.decode(head, 0);
        if (info.argsz() < minsz) {
            return -EINVAL;
        }
        if (info.index() >= vdev.mcDev().irqCount()) {
            return -EINVAL;
        }
        VfioIrqInfo out = new VfioIrqInfo(info.argsz(), VfioIrqInfo.VFIO_IRQ_INFO_EVENTFD, info.index(), 1);
        return arg.copyToUser(0, out.encode(), 0, minsz) != 0 ? -EFAULT : 0;
    }

    /**
     * {@code vfio_fsl_mc_ioctl_get_region_info_obj} (this series): size and flags, no
     * capabilities, and a {@link VfioFslMcMmap} naming the region. The offset is the core's.
     */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_ioctl_get_region_info_obj")
    public static int vfioFslMcIoctlGetRegionInfoObj(VfioDevice core, VfioRegionInfoStruct info,
            VfioInfoCap caps, VfioMmap[] obj) {
        VfioFslMcDevice vdev = toFslMc(core);
        if (info.index() >= vdev.mcDev().regions().size()) {
            return -EINVAL;
        }
        int index = (int) info.index();
        VfioFslMcDevice.Region region = vdev.regions.get(index);
        info.setSize(region.size);
        info.setFlags(region.flags);
        if (region.size != 0) {
            obj[0] = new VfioFslMcMmap(vdev, index, region);
        }
        return 0;
    }

    // ---------------------------------------------------------------- read / write

    /**
     * {@code vfio_fsl_mc_read_obj} (this series): a region can only be read as one 64-byte MC
     * command response at offset 0 of the region behind {@code obj} (eight qwords, last first);
     * any other count or offset is -EINVAL.
     */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_read_obj")
    public static long vfioFslMcReadObj(VfioDevice core, VfioMmap obj, UserBuffer buf,
            long count, long off) {
        VfioFslMcDevice vdev = toFslMc(core);
        int index = obj.index();
        VfioFslMcDevice.Region region = ((VfioFslMcMmap) obj).region();
        if ((region.flags & VFIO_REGION_INFO_FLAG_READ) == 0) {
            return -EINVAL;
        }
        region.mapped = true;
        if (count != PORTAL_QWORDS * 8 || off != 0) {
            return -EINVAL;
        }
        byte[] data = new byte[PORTAL_QWORDS * 8];
        for (int i = PORTAL_QWORDS - 1; i >= 0; i--) {
            long q = vdev.mcDev().regionRead(index, i * 8L, 8);
            for (int b = 0; b < 8; b++) {
                data[i * 8 + b] = (byte) (q >>> (8 * b));
            }
        }
        if (buf.copyToUser(0, data, 0, data.length) != 0) {
            return -EFAULT;
        }
        return count;
    }

    /**
     * {@code vfio_fsl_mc_write_obj} (this series): a region can only be written as one 64-byte
     * MC command at offset 0 of the region behind {@code obj}, which
     * {@link #vfioFslMcSendCommand} submits and waits for.
     */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_write_obj")
    public static long vfioFslMcWriteObj(VfioDevice core, VfioMmap obj, UserBuffer buf,
            long count, long off) {
        VfioFslMcDevice vdev = toFslMc(core);
        int index = obj.index();
        VfioFslMcDevice.Region region = ((VfioFslMcMmap) obj).region();
        if ((region.flags & VFIO_REGION_INFO_FLAG_WRITE) == 0) {
            return -EINVAL;
        }
        region.mapped = true;
        if (count != PORTAL_QWORDS * 8 || off != 0) {
            return -EINVAL;
        }
        byte[] data = new byte[PORTAL_QWORDS * 8];
        if (buf.copyFromUser(data, 0, 0, data.length) != 0) {
            return -EFAULT;
        }
        long[] cmd = new long[PORTAL_QWORDS];
        for (int i = 0; i < PORTAL_QWORDS; i++) {
            for (int b = 0; b < 8; b++) {
                cmd[i] |= (data[i * 8 + b] & 0xFFL) << (8 * b);
            }
        }
        int ret = vfioFslMcSendCommand(vdev.mcDev(), index, cmd);
        if (ret != 0) {
            return ret;
        }
        return count;
    }

    /**
     * {@code vfio_fsl_mc_send_command}: the seven parameter qwords (last first), then the header;
     * then poll the header until its status byte leaves READY, giving up with -ETIMEDOUT after
     * 5 s of 500 us polls (10000 reads; the model does not sleep).
     */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_send_command")
    static int vfioFslMcSendCommand(FslMcDevice mcDev, int index, long[] cmdData) {
        long timeoutUsecs = MC_CMD_COMPLETION_TIMEOUT_MS * 1000L;
        for (int i = PORTAL_QWORDS - 1; i >= 1; i--) {
            mcDev.regionWrite(index, i * 8L, 8, cmdData[i]);
        }
        mcDev.regionWrite(index, 0, 8, cmdData[0]);
        for (;;) {
            long header = mcDev.regionRead(index, 0, 8);
            int status = (int) (header >>> 16) & 0xFF;
            if (status != MC_CMD_STATUS_READY) {
                break;
            }
            timeoutUsecs -= MC_CMD_COMPLETION_POLLING_MAX_SLEEP_USECS;
            if (timeoutUsecs == 0) {
                return -ETIMEDOUT;
            }
        }
        return 0;
    }

    // ---------------------------------------------------------------- mmap

    /**
     * {@code vfio_fsl_mc_mmap_obj} (this series): {@code vfio_fsl_mc_mmap}'s checks, each -EINVAL
     * in the kernel's order: negative VMA, unaligned start or end, private mapping, no MMAP flag,
     * VM_READ without READ, VM_WRITE without WRITE. The index check is gone: the core found
     * {@code obj} at the VMA's pgoff and checked the VMA lies inside it.
     */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_mmap_obj")
    public static int vfioFslMcMmapObj(VfioDevice core, VmArea vma, VfioMmap obj) {
        VfioFslMcDevice vdev = toFslMc(core);
        VfioFslMcMmap fmmap = (VfioFslMcMmap) obj;
        VfioFslMcDevice.Region region = fmmap.region();
        Arch arch = vdev.arch();

        if (Long.compareUnsigned(vma.vmEnd(), vma.vmStart()) < 0) {
            return -EINVAL;
        }
        if (!arch.isPageAligned(vma.vmStart())) {
            return -EINVAL;
        }
        if (!arch.isPageAligned(vma.vmEnd())) {
            return -EINVAL;
        }
        if (!vma.hasFlag(VmFlag.VM_SHARED)) {
            return -EINVAL;
        }
        if ((region.flags & VFIO_REGION_INFO_FLAG_MMAP) == 0) {
            return -EINVAL;
        }
        if ((region.flags & VFIO_REGION_INFO_FLAG_READ) == 0 && vma.hasFlag(VmFlag.VM_READ)) {
            return -EINVAL;
        }
        if ((region.flags & VFIO_REGION_INFO_FLAG_WRITE) == 0 && vma.hasFlag(VmFlag.VM_WRITE)) {
            return -EINVAL;
        }
        vma.setPrivateData(vdev.mcDev());
        return vfioFslMcMmapMmio(fmmap, vma, arch);
    }

    /**
     * {@code vfio_fsl_mc_mmap_mmio} on the cookie path: uncached unless the region is both
     * cacheable and shareable (a cache-enabled QBMan portal), in which case the VMA's cacheable
     * protection is kept; eager {@code remap_pfn_range} from the region's PFN (an
     * {@code unsigned long}) plus {@code vfio_mmap_vma_pgoff()}, the VMA's page offset in the
     * region. The bounds test on the decoded offset ({@code region.size < PAGE_SIZE ||
     * base + size > region.size}) is gone: {@code vfio_device_fops_mmap} refused with -ENXIO
     * any VMA outside the cookie's pages, and a region is mappable only when its start and size
     * are page multiples. {@code vm_pgoff} is no longer rewritten to the PFN: it stays the
     * VMA's place in its cookie, which the core and mm rely on.
     */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_mmap_mmio")
    static int vfioFslMcMmapMmio(VfioFslMcMmap fmmap, VmArea vma, Arch arch) {
        VfioFslMcDevice.Region region = fmmap.region();
        long size = vma.vmEnd() - vma.vmStart();

        boolean regionCacheable = (region.type & FSL_MC_REGION_CACHEABLE) != 0
                && (region.type & FSL_MC_REGION_SHAREABLE) != 0;
        if (!regionCacheable) {
            vma.setPageProt(PgProt.UC);
        }
        long pfn = ((region.addr >>> arch.pageShift()) + fmmap.vmaPageOffset(vma))
                & arch.ulongMax();
        return Memory.remapPfnRange(vma, vma.vmStart(), pfn, size, vma.pageProt());
    }
}
