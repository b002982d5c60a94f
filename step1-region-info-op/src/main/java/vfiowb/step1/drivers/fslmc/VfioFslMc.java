package vfiowb.step1.drivers.fslmc;

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
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionInfoStruct;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.step1.core.VfioDevice;
import vfiowb.step1.core.VfioDeviceOps;

/**
 * drivers/vfio/fsl-mc/vfio_fsl_mc.c as of v6.19 (deprecated in v6.18, un-deprecated in v7.0).
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
            .read(VfioFslMc::vfioFslMcRead)
            .write(VfioFslMc::vfioFslMcWrite)
            .mmap(VfioFslMc::vfioFslMcMmap)
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

    /** {@code vfio_fsl_mc_open_device}. */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_open_device")
    public static int vfioFslMcOpenDevice(VfioDevice core) {
        return vfioFslMcRegionsInit(toFslMc(core));
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

    /**
     * {@code vfio_fsl_mc_ioctl}: GET_INFO, GET_REGION_INFO (copy-in, argsz check, the fill,
     * copy-out), GET_IRQ_INFO, RESET; -ENOTTY otherwise.
     */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_ioctl")
    public static long vfioFslMcIoctl(VfioDevice core, int cmd, UserBuffer arg) {
        VfioFslMcDevice vdev = toFslMc(core);
        switch (cmd) {
            case VfioIoctl.VFIO_DEVICE_GET_INFO:
                return vfioFslMcIoctlGetInfo(vdev, arg);
            case VfioIoctl.VFIO_DEVICE_GET_REGION_INFO: {
                final int minsz = VfioRegionInfo.SIZE;
                byte[] head = new byte[minsz];
                if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
                    return -EFAULT;
                }
                VfioRegionInfoStruct info =
                        new VfioRegionInfoStruct(VfioRegionInfo.decode(head, 0));
                if (info.argsz() < minsz) {
                    return -EINVAL;
                }
                int ret = vfioFslMcIoctlGetRegionInfo(core, info, new VfioInfoCap());
                if (ret != 0) {
                    return ret;
                }
                return arg.copyToUser(0, info.toUapi().encode(), 0, minsz) != 0 ? -EFAULT : 0;
            }
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
     * {@code vfio_fsl_mc_ioctl_get_region_info}, the fill of the GET_REGION_INFO case: offset
     * {@code index << 40}, no capabilities.
     */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_ioctl_get_region_info")
    public static int vfioFslMcIoctlGetRegionInfo(VfioDevice core, VfioRegionInfoStruct info,
            VfioInfoCap caps) {
        VfioFslMcDevice vdev = toFslMc(core);
        if (info.index() >= vdev.mcDev().regions().size()) {
            return -EINVAL;
        }
        VfioFslMcDevice.Region region = vdev.regions.get((int) info.index());
        info.setOffset(VfioFslMcOffsets.indexToOffset(info.index()));
        info.setSize(region.size);
        info.setFlags(region.flags);
        return 0;
    }

    // ---------------------------------------------------------------- read / write

    /**
     * {@code vfio_fsl_mc_read}: a region can only be read as one 64-byte MC command response at
     * offset 0 (eight qwords, last first); any other count or offset is -EINVAL.
     */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_read")
    public static long vfioFslMcRead(VfioDevice core, UserBuffer buf, long count, long pos) {
        VfioFslMcDevice vdev = toFslMc(core);
        long index = VfioFslMcOffsets.offsetToIndex(pos);
        long off = VfioFslMcOffsets.offsetInRegion(pos);
        if (index >= vdev.mcDev().regions().size()) {
            return -EINVAL;
        }
        VfioFslMcDevice.Region region = vdev.regions.get((int) index);
        if ((region.flags & VFIO_REGION_INFO_FLAG_READ) == 0) {
            return -EINVAL;
        }
        region.mapped = true;
        if (count != PORTAL_QWORDS * 8 || off != 0) {
            return -EINVAL;
        }
        byte[] data = new byte[PORTAL_QWORDS * 8];
        for (int i = PORTAL_QWORDS - 1; i >= 0; i--) {
            long q = vdev.mcDev().regionRead((int) index, i * 8L, 8);
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
     * {@code vfio_fsl_mc_write}: a region can only be written as one 64-byte MC command at
     * offset 0, which {@link #vfioFslMcSendCommand} submits and waits for.
     */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_write")
    public static long vfioFslMcWrite(VfioDevice core, UserBuffer buf, long count, long pos) {
        VfioFslMcDevice vdev = toFslMc(core);
        long index = VfioFslMcOffsets.offsetToIndex(pos);
        long off = VfioFslMcOffsets.offsetInRegion(pos);
        if (index >= vdev.mcDev().regions().size()) {
            return -EINVAL;
        }
        VfioFslMcDevice.Region region = vdev.regions.get((int) index);
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
        int ret = vfioFslMcSendCommand(vdev.mcDev(), (int) index, cmd);
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
     * {@code vfio_fsl_mc_mmap}, each check -EINVAL in the kernel's order: negative VMA,
     * unaligned start or end, private mapping, index past the regions, no MMAP flag, VM_READ
     * without READ, VM_WRITE without WRITE.
     */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_mmap")
    public static int vfioFslMcMmap(VfioDevice core, VmArea vma) {
        VfioFslMcDevice vdev = toFslMc(core);
        Arch arch = vdev.arch();
        long index = VfioFslMcOffsets.vmaIndex(vma, arch);

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
        if (index >= vdev.mcDev().regions().size()) {
            return -EINVAL;
        }
        VfioFslMcDevice.Region region = vdev.regions.get((int) index);
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
        return vfioFslMcMmapMmio(region, vma, arch);
    }

    /**
     * {@code vfio_fsl_mc_mmap_mmio}: inside a region of at least a page; uncached unless the
     * region is both cacheable and shareable (a cache-enabled QBMan portal), in which case the
     * VMA's cacheable protection is kept; {@code vm_pgoff} becomes the PFN (truncated to an
     * {@code unsigned long}, as the C assignment does on a 32-bit kernel); eager
     * {@code remap_pfn_range}.
     */
    @Models("drivers/vfio/fsl-mc/vfio_fsl_mc.c:vfio_fsl_mc_mmap_mmio")
    static int vfioFslMcMmapMmio(VfioFslMcDevice.Region region, VmArea vma, Arch arch) {
        long size = vma.vmEnd() - vma.vmStart();
        long pgoff = VfioFslMcOffsets.vmaPageOffset(vma, arch);
        long base = pgoff << arch.pageShift();

        if (Long.compareUnsigned(region.size, arch.pageSize()) < 0
                || Long.compareUnsigned(base + size, region.size) > 0) {
            return -EINVAL;
        }
        boolean regionCacheable = (region.type & FSL_MC_REGION_CACHEABLE) != 0
                && (region.type & FSL_MC_REGION_SHAREABLE) != 0;
        if (!regionCacheable) {
            vma.setPageProt(PgProt.UC);
        }
        vma.setVmPgoff(((region.addr >>> arch.pageShift()) + pgoff) & arch.ulongMax());
        return Memory.remapPfnRange(vma, vma.vmStart(), vma.vmPgoff(), size, vma.pageProt());
    }
}
