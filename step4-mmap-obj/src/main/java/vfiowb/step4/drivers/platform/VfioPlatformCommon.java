package vfiowb.step4.drivers.platform;

import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.errno.Errno.ENOMEM;
import static vfiowb.common.errno.Errno.ENOENT;
import static vfiowb.common.errno.Errno.ENOTTY;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
import static vfiowb.common.uapi.VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;

import vfiowb.common.Models;
import vfiowb.common.hw.PlatformDevice;
import vfiowb.common.hw.PlatformResource;
import vfiowb.common.hw.ResourceDevice;
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
import vfiowb.step4.core.VfioDevice;
import vfiowb.step4.core.VfioMmap;

/**
 * drivers/vfio/platform/vfio_platform_common.c as of v6.19 with this series: every op of
 * vfio_platform_ops and vfio_amba_ops, on the mmap cookie ops. Each region with bytes has a
 * {@link VfioPlatformMmap}; the core places it and hands it back with the offset inside it, so
 * the 40-bit layout ({@code VFIO_PLATFORM_OFFSET_SHIFT}) is gone.
 *
 * <p>Simplifications: ACPI devices ({@code _RST}) are not modelled, only device-tree ones with
 * an {@code of_reset} handler; {@code VFIO_DEVICE_SET_IRQS} is not modelled (the model has no
 * eventfds) and falls through to -ENOTTY; the device tree is taken to describe every interrupt
 * as level-triggered, as it usually does for the shared peripheral interrupts of these devices.
 */
@Models("drivers/vfio/platform/vfio_platform_common.c")
public final class VfioPlatformCommon {
    private static final String CALXEDA_XGMAC = "calxeda,hb-xgmac";

    private VfioPlatformCommon() {}

    private static VfioPlatformDevice toPlatform(VfioDevice core) {
        return (VfioPlatformDevice) core;
    }

    // ---------------------------------------------------------------- probe and reset

    /**
     * {@code vfio_platform_init_common}: find the reset handler; a device without one is refused
     * (-ENOENT) unless the bus glue does not require it (vfio-amba, or vfio-platform's
     * {@code reset_required=0} module parameter).
     */
    @Models("drivers/vfio/platform/vfio_platform_common.c:vfio_platform_init_common")
    static int vfioPlatformInitCommon(VfioPlatformDevice vdev) {
        int ret = vfioPlatformGetReset(vdev);
        if (ret != 0 && vdev.resetRequired) {
            return ret;
        }
        return 0;
    }

    /**
     * {@code vfio_platform_get_reset}: look the compatible string up among the registered
     * handlers (loading {@code vfio-reset:<compat>} if needed). Which devices have a handler is
     * the device model's {@link PlatformDevice#hasReset()}; Calxeda's XGMAC gets the upstream
     * handler's behaviour, any other a handler that only reports success.
     */
    @Models("drivers/vfio/platform/vfio_platform_common.c:vfio_platform_get_reset")
    static int vfioPlatformGetReset(VfioPlatformDevice vdev) {
        ResourceDevice hw = vdev.hw();
        if (hw instanceof PlatformDevice && ((PlatformDevice) hw).hasReset()) {
            vdev.ofReset = CALXEDA_XGMAC.equals(vdev.compat())
                    ? VfioPlatformCalxedaXgmac::vfioPlatformCalxedaxgmacReset
                    : d -> 0;
        }
        return vdev.ofReset != null ? 0 : -ENOENT;
    }

    /** {@code vfio_platform_has_reset}. */
    @Models("drivers/vfio/platform/vfio_platform_common.c:vfio_platform_has_reset")
    static boolean vfioPlatformHasReset(VfioPlatformDevice vdev) {
        return vdev.ofReset != null;
    }

    /** {@code vfio_platform_call_reset}: the {@code of_reset} handler, else -EINVAL. */
    @Models("drivers/vfio/platform/vfio_platform_common.c:vfio_platform_call_reset")
    static int vfioPlatformCallReset(VfioPlatformDevice vdev) {
        if (vdev.ofReset != null) {
            vdev.countReset();
            return vdev.ofReset.reset(vdev);
        }
        return -EINVAL;
    }

    // ---------------------------------------------------------------- open and close

    /**
     * {@code vfio_platform_regions_init}: one region per resource, in an array it
     * {@code kcalloc}s (-ENOMEM when that fails). MMIO regions are readable,
     * writable unless {@code IORESOURCE_READONLY}, and mmappable only when both start and size
     * are multiples of the page size ("Only regions addressed with PAGE granularity may be
     * MMAPed securely"). Port regions get no flags at all.
     */
    @Models("drivers/vfio/platform/vfio_platform_common.c:vfio_platform_regions_init")
    static int vfioPlatformRegionsInit(VfioPlatformDevice vdev) {
        Arch arch = vdev.arch();
        int cnt = vdev.resourceCount();
        vdev.regions = Slab.kcalloc(cnt);
        if (vdev.regions == null) {
            return -ENOMEM;
        }
        for (int i = 0; i < cnt; i++) {
            PlatformResource res = vdev.hw().resource(i);
            long flags = 0;
            VfioPlatformRegion.Type type;
            if (res.isMmio()) {
                type = VfioPlatformRegion.Type.MMIO;
                flags |= VFIO_REGION_INFO_FLAG_READ;
                if (res.writable()) {
                    flags |= VFIO_REGION_INFO_FLAG_WRITE;
                }
                if (arch.isPageAligned(res.start()) && arch.isPageAligned(res.size())) {
                    flags |= VFIO_REGION_INFO_FLAG_MMAP;
                }
            } else {
                type = VfioPlatformRegion.Type.PIO;
            }
            vdev.regions.add(new VfioPlatformRegion(res.start(), res.size(), flags, type));
        }
        vdev.numRegions = cnt;
        return 0;
    }

    /**
     * {@code vfio_platform_regions_cleanup}: iounmap every region (the model maps none ahead of
     * an access) and free the array.
     */
    @Models("drivers/vfio/platform/vfio_platform_common.c:vfio_platform_regions_cleanup")
    static void vfioPlatformRegionsCleanup(VfioPlatformDevice vdev) {
        vdev.numRegions = 0;
        Slab.kfree(vdev.regions);
    }

    /**
     * {@code vfio_platform_irq_init}: one index per interrupt, each of count 1, signalled by
     * eventfd; level-triggered lines are also maskable and automasked. The array is
     * {@code kcalloc}'d and each line gets a {@code kasprintf}'d name for {@code request_irq};
     * either allocation failing is -ENOMEM, after the names made so far and the array are
     * freed. The name carries the line's Linux IRQ number, which the model does not have: the
     * line's index stands in for it. {@code request_irq} itself cannot fail in the model.
     */
    @Models("drivers/vfio/platform/vfio_platform_irq.c:vfio_platform_irq_init")
    static int vfioPlatformIrqInit(VfioPlatformDevice vdev) {
        int cnt = vdev.hw().irqCount();
        var irqs = Slab.<VfioPlatformDevice.Irq>kcalloc(cnt);
        if (irqs == null) {
            return -ENOMEM;
        }
        for (int i = 0; i < cnt; i++) {
            String name = Slab.kasprintf("vfio-irq[%d](%s)", i, vdev.hw().name());
            if (name == null) {
                // err: free_irq and kfree the name of every line set up so far, then the array
                for (--i; i >= 0; i--) {
                    Slab.kfree(irqs.get(i).name());
                }
                Slab.kfree(irqs);
                return -ENOMEM;
            }
            irqs.add(new VfioPlatformDevice.Irq(VfioIrqInfo.VFIO_IRQ_INFO_EVENTFD
                    | VfioIrqInfo.VFIO_IRQ_INFO_MASKABLE | VfioIrqInfo.VFIO_IRQ_INFO_AUTOMASKED, 1,
                    name));
        }
        vdev.irqs = irqs;
        vdev.numIrqs = cnt;
        return 0;
    }

    /**
     * {@code vfio_platform_irq_cleanup}: per line {@code free_irq} and free its name, then free
     * the array.
     */
    @Models("drivers/vfio/platform/vfio_platform_irq.c:vfio_platform_irq_cleanup")
    static void vfioPlatformIrqCleanup(VfioPlatformDevice vdev) {
        for (int i = 0; i < vdev.numIrqs; i++) {
            Slab.kfree(vdev.irqs.get(i).name());
        }
        vdev.numIrqs = 0;
        Slab.kfree(vdev.irqs);
    }

    /**
     * {@code vfio_platform_open_device}: regions, interrupts, then a reset; a failed reset fails
     * the open only where a reset is required. With this series it also sets
     * {@code nr_regions}, one per resource, so the core can give every region its cookie.
     */
    @Models("drivers/vfio/platform/vfio_platform_common.c:vfio_platform_open_device")
    public static int vfioPlatformOpenDevice(VfioDevice core) {
        VfioPlatformDevice vdev = toPlatform(core);
        int ret = vfioPlatformRegionsInit(vdev);
        if (ret != 0) {
            return ret;
        }
        vdev.setNrRegions(vdev.numRegions);
        ret = vfioPlatformIrqInit(vdev);
        if (ret != 0) {
            vfioPlatformRegionsCleanup(vdev);
            return ret;
        }
        ret = vfioPlatformCallReset(vdev);
        if (ret != 0 && vdev.resetRequired) {
            vfioPlatformIrqCleanup(vdev);
            vfioPlatformRegionsCleanup(vdev);
            return ret;
        }
        return 0;
    }

    /** {@code vfio_platform_close_device}: reset, then drop regions and interrupts. */
    @Models("drivers/vfio/platform/vfio_platform_common.c:vfio_platform_close_device")
    public static void vfioPlatformCloseDevice(VfioDevice core) {
        VfioPlatformDevice vdev = toPlatform(core);
        vfioPlatformCallReset(vdev);
        vfioPlatformRegionsCleanup(vdev);
        vfioPlatformIrqCleanup(vdev);
    }

    // ---------------------------------------------------------------- ioctl

    /** {@code vfio_platform_ioctl}: GET_INFO, GET_IRQ_INFO and RESET; anything else -ENOTTY. */
    @Models("drivers/vfio/platform/vfio_platform_common.c:vfio_platform_ioctl")
    public static long vfioPlatformIoctl(VfioDevice core, int cmd, UserBuffer arg) {
        VfioPlatformDevice vdev = toPlatform(core);
        if (cmd == VfioIoctl.VFIO_DEVICE_GET_INFO) {
            return vfioPlatformIoctlGetInfo(vdev, arg);
        } else if (cmd == VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO) {
            return vfioPlatformIoctlGetIrqInfo(vdev, arg);
        } else if (cmd == VfioIoctl.VFIO_DEVICE_RESET) {
            return vfioPlatformCallReset(vdev);
        }
        return -ENOTTY;
    }

    /**
     * The GET_INFO case: {@code vdev->flags} (PLATFORM or AMBA, RESET once a handler is known;
     * the bit is added to the device's flags and stays), the region and interrupt counts.
     */
    @Models("drivers/vfio/platform/vfio_platform_common.c:vfio_platform_ioctl")
    static long vfioPlatformIoctlGetInfo(VfioPlatformDevice vdev, UserBuffer arg) {
        final int minsz = VfioDeviceInfo.LAYOUT.field("num_irqs").end();
        byte[] head = new byte[VfioDeviceInfo.SIZE];
        if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioDeviceInfo info = VfioDeviceInfo.decode(head, 0);
        if (info.argsz() < minsz) {
            return -EINVAL;
        }
        if (vfioPlatformHasReset(vdev)) {
            vdev.flags |= VfioDeviceInfo.VFIO_DEVICE_FLAGS_RESET;
        }
        VfioDeviceInfo out = new VfioDeviceInfo(info.argsz(), vdev.flags, vdev.numRegions,
                vdev.numIrqs, info.capOffset(), info.pad());
        return arg.copyToUser(0, out.encode(), 0, minsz) != 0 ? -EFAULT : 0;
    }

    /** The GET_IRQ_INFO case: index below {@code num_irqs}, flags and count as at init. */
    @Models("drivers/vfio/platform/vfio_platform_common.c:vfio_platform_ioctl")
    static long vfioPlatformIoctlGetIrqInfo(VfioPlatformDevice vdev, UserBuffer arg) {
        final int minsz = VfioIrqInfo.LAYOUT.field("count").end();
        byte[] head = new byte[minsz];
        if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioIrqInfo info = VfioIrqInfo.decode(head, 0);
        if (info.argsz() < minsz) {
            return -EINVAL;
        }
        if (info.index() >= vdev.numIrqs) {
            return -EINVAL;
        }
        VfioPlatformDevice.Irq irq = vdev.irqs.get((int) info.index());
        VfioIrqInfo out = new VfioIrqInfo(info.argsz(), irq.flags(), info.index(), irq.count());
        return arg.copyToUser(0, out.encode(), 0, minsz) != 0 ? -EFAULT : 0;
    }

    /**
     * {@code vfio_platform_ioctl_get_region_info_obj} (this series), the
     * {@code get_region_info_obj} of both tables: size and flags from the region, no
     * capabilities, and a {@link VfioPlatformMmap} naming the region. The offset is the core's.
     */
    @Models("drivers/vfio/platform/vfio_platform_common.c:vfio_platform_ioctl_get_region_info_obj")
    public static int vfioPlatformIoctlGetRegionInfoObj(VfioDevice core, VfioRegionInfoStruct info,
            VfioInfoCap caps, VfioMmap[] obj) {
        VfioPlatformDevice vdev = toPlatform(core);
        if (info.index() >= vdev.numRegions) {
            return -EINVAL;
        }
        int index = (int) info.index();
        VfioPlatformRegion region = vdev.regions.get(index);
        info.setSize(region.size);
        info.setFlags(region.flags);
        if (region.size != 0) {
            obj[0] = new VfioPlatformMmap(vdev, index, region);
        }
        return 0;
    }

    // ---------------------------------------------------------------- read / write

    /**
     * {@code vfio_platform_read_obj} (this series): a read inside the region behind {@code obj}
     * at {@code off}, which the core resolved from the file offset; MMIO regions only, port
     * regions are "not implemented".
     */
    @Models("drivers/vfio/platform/vfio_platform_common.c:vfio_platform_read_obj")
    public static long vfioPlatformReadObj(VfioDevice core, VfioMmap obj, UserBuffer buf,
            long count, long off) {
        VfioPlatformDevice vdev = toPlatform(core);
        VfioPlatformRegion region = ((VfioPlatformMmap) obj).region();
        if ((region.flags & VFIO_REGION_INFO_FLAG_READ) == 0) {
            return -EINVAL;
        }
        if (region.type == VfioPlatformRegion.Type.MMIO) {
            return vfioPlatformReadMmio(vdev, obj.index(), region, buf, count, off);
        }
        return -EINVAL;
    }

    /**
     * {@code vfio_platform_read_mmio}: beyond the region -EINVAL, the count clipped to the region
     * (the 2024 bounds fix), then naturally aligned 4-, 2- and 1-byte loads.
     */
    @Models("drivers/vfio/platform/vfio_platform_common.c:vfio_platform_read_mmio")
    static long vfioPlatformReadMmio(VfioPlatformDevice vdev, int index, VfioPlatformRegion reg,
            UserBuffer buf, long count, long off) {
        if (Long.compareUnsigned(off, reg.size) >= 0) {
            return -EINVAL;
        }
        count = Math.min(count, reg.size - off);
        reg.mapped = true;
        long done = 0;
        while (count != 0) {
            int width = accessWidth(count, off);
            long val = vdev.hw().resourceRead(index, off, width);
            byte[] b = new byte[width];
            for (int i = 0; i < width; i++) {
                b[i] = (byte) (val >>> (8 * i));
            }
            if (buf.copyToUser(done, b, 0, width) != 0) {
                return -EFAULT;
            }
            count -= width;
            done += width;
            off += width;
        }
        return done;
    }

    /** {@code vfio_platform_write_obj} (this series): MMIO regions with the WRITE flag only. */
    @Models("drivers/vfio/platform/vfio_platform_common.c:vfio_platform_write_obj")
    public static long vfioPlatformWriteObj(VfioDevice core, VfioMmap obj, UserBuffer buf,
            long count, long off) {
        VfioPlatformDevice vdev = toPlatform(core);
        VfioPlatformRegion region = ((VfioPlatformMmap) obj).region();
        if ((region.flags & VFIO_REGION_INFO_FLAG_WRITE) == 0) {
            return -EINVAL;
        }
        if (region.type == VfioPlatformRegion.Type.MMIO) {
            return vfioPlatformWriteMmio(vdev, obj.index(), region, buf, count, off);
        }
        return -EINVAL;
    }

    /** {@code vfio_platform_write_mmio}: as the read side, with stores. */
    @Models("drivers/vfio/platform/vfio_platform_common.c:vfio_platform_write_mmio")
    static long vfioPlatformWriteMmio(VfioPlatformDevice vdev, int index, VfioPlatformRegion reg,
            UserBuffer buf, long count, long off) {
        if (Long.compareUnsigned(off, reg.size) >= 0) {
            return -EINVAL;
        }
        count = Math.min(count, reg.size - off);
        reg.mapped = true;
        long done = 0;
        while (count != 0) {
            int width = accessWidth(count, off);
            byte[] b = new byte[width];
            if (buf.copyFromUser(b, 0, done, width) != 0) {
                return -EFAULT;
            }
            long val = 0;
            for (int i = 0; i < width; i++) {
                val |= (b[i] & 0xFFL) << (8 * i);
            }
            vdev.hw().resourceWrite(index, off, width, val);
            count -= width;
            done += width;
            off += width;
        }
        return done;
    }

    private static int accessWidth(long count, long off) {
        if (count >= 4 && off % 4 == 0) {
            return 4;
        }
        if (count >= 2 && off % 2 == 0) {
            return 2;
        }
        return 1;
    }

    // ---------------------------------------------------------------- mmap

    /**
     * {@code vfio_platform_mmap_obj} (this series): {@code vfio_platform_mmap}'s checks in the
     * kernel's order, each -EINVAL: negative VMA, private mapping, unaligned start or end,
     * region without MMAP, VM_READ on a region without READ, VM_WRITE on one without WRITE;
     * port regions are not mappable. The index check is gone: the core found {@code obj} at
     * the VMA's pgoff and checked the VMA lies inside it, and the object names the region.
     */
    @Models("drivers/vfio/platform/vfio_platform_common.c:vfio_platform_mmap_obj")
    public static int vfioPlatformMmapObj(VfioDevice core, VmArea vma, VfioMmap obj) {
        VfioPlatformDevice vdev = toPlatform(core);
        VfioPlatformMmap pmmap = (VfioPlatformMmap) obj;
        VfioPlatformRegion region = pmmap.region();
        Arch arch = vdev.arch();

        if (Long.compareUnsigned(vma.vmEnd(), vma.vmStart()) < 0) {
            return -EINVAL;
        }
        if (!vma.hasFlag(VmFlag.VM_SHARED)) {
            return -EINVAL;
        }
        if (!arch.isPageAligned(vma.vmStart())) {
            return -EINVAL;
        }
        if (!arch.isPageAligned(vma.vmEnd())) {
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
        vma.setPrivateData(vdev);
        if (region.type == VfioPlatformRegion.Type.MMIO) {
            return vfioPlatformMmapMmio(pmmap, vma, arch);
        }
        return -EINVAL;
    }

    /**
     * {@code vfio_platform_mmap_mmio} on the cookie path: {@code pgprot_noncached} and every PTE
     * installed at once with {@code remap_pfn_range} from the region's PFN (an
     * {@code unsigned long}) plus {@code vfio_mmap_vma_pgoff()}, the VMA's page offset in the
     * region. The bounds test the driver made on the decoded offset ({@code region.size <
     * PAGE_SIZE || req_start + req_len > region.size}) is gone: {@code vfio_device_fops_mmap}
     * refused with -ENXIO any VMA that does not lie in the cookie's pages before calling
     * {@code mmap_obj}, and a region is mappable only when its start and size are page
     * multiples, so its pages are exactly its bytes. {@code vm_pgoff} is no longer rewritten to
     * the PFN: it stays the VMA's place in its cookie, which the core and mm go on relying on
     * (as vfio-pci stopped rewriting it in v6.10 for {@code unmap_mapping_range()});
     * {@code remap_pfn_range} still does for a COW mapping.
     */
    @Models("drivers/vfio/platform/vfio_platform_common.c:vfio_platform_mmap_mmio")
    static int vfioPlatformMmapMmio(VfioPlatformMmap pmmap, VmArea vma, Arch arch) {
        VfioPlatformRegion region = pmmap.region();
        long reqLen = vma.vmEnd() - vma.vmStart();

        vma.setPageProt(PgProt.UC);
        long pfn = ((region.addr >>> arch.pageShift()) + pmmap.vmaPageOffset(vma))
                & arch.ulongMax();
        return Memory.remapPfnRange(vma, vma.vmStart(), pfn, reqLen, vma.pageProt());
    }
}
