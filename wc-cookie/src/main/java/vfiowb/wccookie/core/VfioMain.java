package vfiowb.wccookie.core;

import static vfiowb.common.errno.Errno.EBUSY;
import static vfiowb.common.errno.Errno.EEXIST;
import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.errno.Errno.ENOSPC;
import static vfiowb.common.errno.Errno.ENOTTY;
import static vfiowb.common.errno.Errno.ENXIO;
import static vfiowb.common.errno.Errno.EOVERFLOW;

import vfiowb.common.Models;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.lib.MapleArea;
import vfiowb.common.lib.MapleTree;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.VmArea;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.trace.KernelProbe;
import vfiowb.common.uapi.VfioDeviceFeature;
import vfiowb.common.uapi.VfioDeviceIoeventfd;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionGetMmap;
import vfiowb.common.uapi.VfioRegionInfoStruct;
import vfiowb.common.userspace.UserBuffer;

/**
 * The device-file half of drivers/vfio/vfio_main.c: ioctl, read, write and mmap dispatch from a
 * {@link VfioDeviceFile} to the driver's {@link VfioDeviceOps}, and the REGION_INFO copy logic
 * the core owns since v6.19.
 *
 * <p>The per-file tree of mmap cookies is the only way in: REGION_INFO (or the file's open, by
 * policy) gives each region a cookie whose pgoff range the core chooses
 * ({@link #vfioDfMmapInstall}); mmap, read, write and {@code VFIO_DEVICE_IOEVENTFD} resolve
 * their offsets through the tree and hand the driver the object and the offset inside it. A
 * table without a cookie op gets -EINVAL for that call, as a NULL {@code read} or {@code mmap}
 * always did; no path hands a driver a file offset any more.
 *
 * <p>Simplifications: no runtime PM get/put around ioctls, no iommufd bind/attach (files are
 * opened the group way, with access granted), no migration or DMA-logging features (those
 * return -ENOTTY as for a driver without {@code mig_ops}/{@code log_ops}).
 */
@Models("drivers/vfio/vfio_main.c")
public final class VfioMain {
    /** {@code VFIO_DEVICE_FEATURE_MASK}: the low 16 bits of the flags select the feature. */
    private static final int VFIO_DEVICE_FEATURE_MASK = 0xffff;

    private VfioMain() {}

    /** {@code vfio_device_fops_unl_ioctl}: the core decodes FEATURE and REGION_INFO. */
    @Models("drivers/vfio/vfio_main.c:vfio_device_fops_unl_ioctl")
    public static long vfioDeviceFopsUnlIoctl(VfioDeviceFile df, int cmd, UserBuffer arg) {
        VfioDevice device = df.device();
        if (cmd == VfioIoctl.VFIO_DEVICE_BIND_IOMMUFD) {
            return VfioDeviceCdev.vfioDfIoctlBindIommufd(df, arg);
        }
        if (!df.accessGranted()) {
            return -EINVAL;
        }
        switch (cmd) {
            case VfioIoctl.VFIO_DEVICE_FEATURE:
                return vfioIoctlDeviceFeature(device, arg);
            case VfioIoctl.VFIO_DEVICE_GET_REGION_INFO:
                return vfioGetRegionInfo(df, arg);
            case VfioRegionGetMmap.VFIO_DEVICE_GET_REGION_MMAP:
                return vfioGetRegionMmap(df, arg);
            case VfioIoctl.VFIO_DEVICE_IOEVENTFD:
                if (device.ops().ioeventfdObj() != null) {
                    return vfioDeviceIoeventfd(df, arg);
                }
                if (device.ops().ioctl() == null) {
                    return -EINVAL;
                }
                return device.ops().ioctl().ioctl(device, cmd, arg);
            default:
                if (device.ops().ioctl() == null) {
                    return -EINVAL;
                }
                return device.ops().ioctl().ioctl(device, cmd, arg);
        }
    }

    /**
     * {@code vfio_get_region_info}: -EINVAL for a table without {@code get_region_info_obj};
     * otherwise as merged for v6.19 (the core copies the 32-byte head in,
     * lets the driver fill it and build a capability chain, and applies the too-small-buffer rule
     * itself), and the offset comes from the file's cookie for the region: the one it already has, or a new one the core places by the
     * file's layout policy. A call that fails after placing a new cookie takes it out again, so a
     * failed REGION_INFO leaves the tree as it was.
     */
    @Models("drivers/vfio/vfio_main.c:vfio_get_region_info")
    public static long vfioGetRegionInfo(VfioDeviceFile df, UserBuffer arg) {
        VfioDevice device = df.device();
        final int minsz = VfioRegionInfo.SIZE;
        VfioInfoCap caps = new VfioInfoCap();
        VfioDeviceOps ops = device.ops();

        if (ops.getRegionInfoObj() == null) {
            return -EINVAL;
        }
        byte[] head = new byte[minsz];
        if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioRegionInfoStruct info = new VfioRegionInfoStruct(VfioRegionInfo.decode(head, 0));
        if (info.argsz() < minsz) {
            return -EINVAL;
        }

        VfioMmap placed = null;
        VfioMmap[] obj = new VfioMmap[1];
        int ret = ops.getRegionInfoObj().getRegionInfoObj(device, info, caps, obj);
        if (ret != 0) {
            return ret;
        }
        if (obj[0] == null) {
            info.setOffset(vfioMmapEmptyRegionOffset(df, info.index()));
        } else {
            InstallResult r = vfioDfMmapInstall(df, obj[0]);
            if (r.ret() != 0) {
                return r.ret();
            }
            if (r.fresh()) {
                placed = r.cookie();
            }
            info.setOffset(r.cookie().pgoff() << device.arch().pageShift());
            KernelProbe.note(() -> "REGION_INFO " + info.index() + " -> " + r.cookie()
                    + (r.fresh() ? " (new)" : " (the file's)"));
        }

        if (caps.size() != 0) {
            info.setFlags(info.flags() | VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS);
            if (info.argsz() < (long) minsz + caps.size()) {
                info.setArgsz(minsz + caps.size());
                info.setCapOffset(0);
            } else {
                VfioInfoCap.vfioInfoCapShift(caps, minsz);
                byte[] chain = caps.bytes();
                if (arg.copyToUser(minsz, chain, 0, chain.length) != 0) {
                    vfioDfMmapUninstall(df, placed);
                    return -EFAULT;
                }
                info.setCapOffset(minsz);
            }
        }

        if (arg.copyToUser(0, info.toUapi().encode(), 0, minsz) != 0) {
            vfioDfMmapUninstall(df, placed);
            return -EFAULT;
        }
        return 0;
    }

    /**
     * {@code vfio_get_region_mmap} (variant {@code wc-cookie}): {@code VFIO_DEVICE_GET_REGION_MMAP}.
     * -ENOTTY for a table without {@code get_region_mmap} (its driver cannot map a region any
     * other way); the 32-byte structure copied in, {@code argsz} below it, an unknown
     * {@code mmap_flags} bit or an index past the device's regions -EINVAL; without flags the
     * region's own cookie, as REGION_INFO places it (-EINVAL for a region without bytes); with
     * flags the {@code get_region_mmap} object placed as REGION_INFO's are, once per file, region and flags; {@code region_size}
     * and {@code fd_offset} copied out (a fault takes a cookie this call placed out again). A
     * cookie with attributes never takes the region's fixed slot, which REGION_INFO's holds: under
     * {@code layout=legacy} it lies above every slot, beyond a 32-bit kernel's 4 GiB.
     */
    @Models("drivers/vfio/vfio_main.c:vfio_get_region_mmap")
    static long vfioGetRegionMmap(VfioDeviceFile df, UserBuffer arg) {
        VfioDevice device = df.device();
        VfioDeviceOps ops = device.ops();
        if (ops.getRegionMmap() == null) {
            return -ENOTTY;
        }
        final int minsz = VfioRegionGetMmap.SIZE;
        byte[] buf = new byte[minsz];
        if (arg.copyFromUser(buf, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioRegionGetMmap req = VfioRegionGetMmap.decode(buf, 0);
        if (req.argsz() < minsz) {
            return -EINVAL;
        }
        if ((req.mmapFlags() & ~(long) VfioRegionGetMmap.VFIO_REGION_MMAP_FLAG_WC) != 0) {
            return -EINVAL;
        }
        if (req.regionIndex() >= device.nrRegions()) {
            return -EINVAL;
        }
        VfioMmap[] obj = new VfioMmap[1];
        int ret = req.mmapFlags() == 0
                ? ops.getRegionInfoObj().getRegionInfoObj(device,
                        VfioRegionInfoStruct.forIndex(req.regionIndex()), new VfioInfoCap(), obj)
                : ops.getRegionMmap().getRegionMmap(device, (int) req.regionIndex(),
                        (int) req.mmapFlags(), obj);
        if (ret != 0) {
            return ret;
        }
        if (req.mmapFlags() == 0 && obj[0] == null) {
            return -EINVAL;
        }
        if (obj[0] == null || obj[0].mmapFlags() != req.mmapFlags()) {
            throw new IllegalStateException("get_region_mmap of " + device + " answered " + obj[0]
                    + " for mmap_flags 0x" + Long.toHexString(req.mmapFlags()));
        }
        InstallResult r = vfioDfMmapInstall(df, obj[0]);
        if (r.ret() != 0) {
            return r.ret();
        }
        KernelProbe.note(() -> "GET_REGION_MMAP " + req.regionIndex() + " -> " + r.cookie()
                + (r.fresh() ? " (new)" : " (the file's)"));
        VfioRegionGetMmap.putReply(buf, 0, r.cookie().size(),
                r.cookie().pgoff() << device.arch().pageShift());
        if (arg.copyToUser(0, buf, 0, minsz) != 0) {
            vfioDfMmapUninstall(df, r.fresh() ? r.cookie() : null);
            return -EFAULT;
        }
        return 0;
    }

    // ---------------------------------------------------------------- the cookie tree

    /** What {@link #vfioDfMmapInstall} did: the file's cookie and whether this call placed it. */
    record InstallResult(int ret, VfioMmap cookie, boolean fresh) {
        static InstallResult error(int ret) {
            return new InstallResult(ret, null, false);
        }
    }

    /**
     * {@code vfio_df_mmap_install()}: gives {@code obj} its pgoff range in the file's tree, or,
     * when the file already has a cookie for the region and mmap flags, drops {@code obj} and
     * returns that one:
     * a region has one cookie per file however often it is asked for, so repeated REGION_INFO
     * calls never grow the tree. Placement by the file's policy:
     * <ul>
     *   <li>{@code legacy}: the region's fixed slot {@code index << 40} when the cookie has no
     *       mmap flags and the region fits in it (at most 1 TiB) and the slot is a key the tree can hold; otherwise the lowest
     *       aligned range above every fixed slot ({@code nr_regions << 40});
     *   <li>{@code packed}: the lowest aligned range from pgoff 1. Page 0 is never a cookie, so
     *       the offset 0 a region without bytes reports names nothing (iommufd starts at
     *       {@code PAGE_SIZE} for the same reason); without it such a region's offset would map
     *       whatever sits at 0.
     * </ul>
     * A cookie placed by allocation holds one page more than its region in the tree, a guard
     * page: an access starting just past the region's end reaches the region's driver, which
     * refuses it, instead of the next region packed behind it. The mapping check uses the
     * region's own pages, so nothing maps the guard.
     * Alignment is Jason's {@code min(PUD_SIZE, size)} ({@link #vfioMmapAlign}), found by the
     * tree's aligned gap search or by oversize-then-round (or, for comparison, none beyond a
     * page, as iommufd). Errors: -ENOSPC when no range is free,
     * -EOVERFLOW when the range the layout asks for lies beyond the tree's keys (byte keys on a
     * 32-bit kernel).
     */
    @Models("drivers/vfio/vfio_main.c:vfio_df_mmap_install")
    static InstallResult vfioDfMmapInstall(VfioDeviceFile df, VfioMmap obj) {
        VfioDevice device = df.device();
        if (obj.device() != device) {
            throw new IllegalStateException("driver handed a cookie of " + obj.device()
                    + " to a file of " + device);
        }
        Arch arch = device.arch();
        SeriesPolicy policy = df.policy();
        MapleTree<VfioMmap> mt = df.mmapMt();
        mt.lock();
        try {
            VfioMmap existing = df.regionMmaps().get(VfioDeviceFile.regionKey(obj));
            if (existing != null) {
                return new InstallResult(0, existing, false);
            }
            long pages = arch.pageAlign(obj.size()) >>> arch.pageShift();
            if (pages == 0) {
                return InstallResult.error(-EOVERFLOW);
            }
            long alignPages = policy.align() == SeriesPolicy.Align.NONE ? 1
                    : vfioMmapAlign(arch, obj.size()) >>> arch.pageShift();
            long first;
            long span;
            long slot = vfioMmapLegacySlot(arch, obj.index());
            long slotPages = vfioMmapLegacySlot(arch, 1);
            boolean fitsSlot = policy.layout() == SeriesPolicy.Layout.LEGACY
                    && obj.mmapFlags() == 0
                    && Long.compareUnsigned(obj.size(), legacyRegionSpan()) <= 0;
            if (fitsSlot && (keyFits(df, slot, slotPages) || keyFits(df, slot, pages + 1))) {
                // The whole slot where the keys reach that far, else the region and its guard.
                span = keyFits(df, slot, slotPages) ? slotPages : pages + 1;
                int ret = mt.insertRange(toKey(df, slot), toKey(df, slot + span) - 1, obj);
                if (ret != 0) {
                    return InstallResult.error(ret == -EEXIST ? -ENOSPC : ret);
                }
                first = slot;
            } else {
                span = pages + 1;
                long min = policy.layout() == SeriesPolicy.Layout.LEGACY
                        ? vfioMmapLegacySlot(arch, device.nrRegions()) : 1;
                if (!keyFits(df, min, span)) {
                    return InstallResult.error(-EOVERFLOW);
                }
                MapleArea a = mt.allocRangeAligned(strategy(policy), toKey(df, span),
                        toKey(df, alignPages), toKey(df, min), mt.keyMax(), obj);
                if (!a.ok()) {
                    return InstallResult.error(a.ret() == -EBUSY ? -ENOSPC : a.ret());
                }
                first = fromKey(df, a.first());
            }
            obj.install(first, pages);
            df.regionMmaps().put(VfioDeviceFile.regionKey(obj), obj);
            device.noteMmapPgoffEnd(first + span);
            KernelProbe.note(() -> "placed " + obj + " (" + policy.layout() + ")");
            return new InstallResult(0, obj, true);
        } finally {
            mt.unlock();
        }
    }

    /**
     * Takes back a cookie this call placed ({@code vfio_df_mmap_install}'s error path in the
     * caller). Nothing can have mapped it yet except a racing mmap of a guessed offset, whose
     * VMA keeps the object it was given.
     */
    @Models("drivers/vfio/vfio_main.c:vfio_df_mmap_uninstall")
    static void vfioDfMmapUninstall(VfioDeviceFile df, VfioMmap placed) {
        if (placed == null) {
            return;
        }
        MapleTree<VfioMmap> mt = df.mmapMt();
        mt.lock();
        try {
            mt.erase(toKey(df, placed.pgoff()));
            df.regionMmaps().remove(VfioDeviceFile.regionKey(placed), placed);
        } finally {
            mt.unlock();
        }
    }

    /**
     * {@code vfio_df_mmap_load()}: the cookie covering page {@code pgoff} of the file, or null.
     * With byte keys a pgoff whose byte offset is beyond {@code ULONG_MAX} has no key, so no
     * cookie (the sketch's bare {@code vm_pgoff << PAGE_SHIFT} would wrap to a small key and
     * find the wrong cookie; the core checks first).
     */
    @Models("drivers/vfio/vfio_main.c:vfio_df_mmap_load")
    static VfioMmap vfioDfMmapLoad(VfioDeviceFile df, long pgoff) {
        if (!keyFits(df, pgoff, 1)) {
            return null;
        }
        return df.mmapMt().load(toKey(df, pgoff));
    }

    /**
     * The layout's offset for a region without bytes (no cookie): its fixed slot, or 0, which
     * the packed layout never hands out.
     */
    static long vfioMmapEmptyRegionOffset(VfioDeviceFile df, long index) {
        if (df.policy().layout() != SeriesPolicy.Layout.LEGACY) {
            return 0;
        }
        return index << legacyShift();
    }

    /**
     * {@code vfio_mmap_align()}: Jason's rule, {@code min(PUD_SIZE, size)} for a power-of-two
     * BAR; for any size, the largest power of two not above it, at least a page and at most
     * {@code PUD_SIZE}, so that VA and PFN can line up for the largest huge entry the region
     * can hold.
     */
    @Models("drivers/vfio/vfio_main.c:vfio_mmap_align")
    static long vfioMmapAlign(Arch arch, long size) {
        long s = Math.max(size, arch.pageSize());
        long pow2 = Long.highestOneBit(s);
        if (s < 0) {
            pow2 = Long.MIN_VALUE;
        }
        return Long.compareUnsigned(pow2, arch.pudSize()) > 0 ? arch.pudSize() : pow2;
    }

    /** The first page of region {@code index}'s fixed slot: {@code (index << 40) >> PAGE_SHIFT}. */
    private static long vfioMmapLegacySlot(Arch arch, long index) {
        return index << (legacyShift() - arch.pageShift());
    }

    /** The fixed layout's shift, 40: kept by the legacy policy for old userspace. */
    private static int legacyShift() {
        return 40;
    }

    /** The largest region a fixed slot holds: 1 TiB. */
    private static long legacyRegionSpan() {
        return 1L << legacyShift();
    }

    private static MapleTree.AlignStrategy strategy(SeriesPolicy policy) {
        return policy.align() == SeriesPolicy.Align.SEARCH
                ? MapleTree.AlignStrategy.GAP_SEARCH : MapleTree.AlignStrategy.OVERSIZE_ROUND_UP;
    }

    /** Whether pages {@code [pgoff, pgoff + pages)} are keys the file's tree can hold. */
    private static boolean keyFits(VfioDeviceFile df, long pgoff, long pages) {
        long keyMax = df.mmapMt().keyMax();
        long lastPage = pgoff + pages - 1;
        if (Long.compareUnsigned(lastPage, pgoff) < 0) {
            return false;
        }
        if (df.policy().keys() == SeriesPolicy.Keys.PAGES) {
            return Long.compareUnsigned(lastPage, keyMax) <= 0;
        }
        int shift = df.arch().pageShift();
        long lastByte = ((lastPage + 1) << shift) - 1;
        return Long.compareUnsigned(lastPage, keyMax >>> shift) <= 0
                && (lastPage >>> (64 - shift)) == 0
                && Long.compareUnsigned(lastByte, keyMax) <= 0;
    }

    private static long toKey(VfioDeviceFile df, long pages) {
        return df.policy().keys() == SeriesPolicy.Keys.PAGES ? pages
                : pages << df.arch().pageShift();
    }

    private static long fromKey(VfioDeviceFile df, long key) {
        return df.policy().keys() == SeriesPolicy.Keys.PAGES ? key
                : key >>> df.arch().pageShift();
    }

    /**
     * {@code vfio_device_zap_mmaps()} (exported, this series): revokes every mapping of every
     * cookie of every file of the device. All files share the device inode's address space, and
     * a pgoff means whatever the mapping file's tree said, so the core zaps the whole range any
     * file has used ({@code [0, vdev->mmap_pgoff_end)}). A range of one file that another file
     * uses for a region that is not revoked gets zapped too; that costs a refault, never a stale
     * mapping.
     */
    @Models("drivers/vfio/vfio_main.c:vfio_device_zap_mmaps")
    public static void vfioDeviceZapMmaps(VfioDevice vdev) {
        long end = vdev.mmapPgoffEnd();
        if (end == 0) {
            return;
        }
        // In pages, with unmap_mapping_pages(): the byte form, unmap_mapping_range(), casts the
        // length to a 32-bit pgoff_t on a 32-bit kernel, so a range past 4 GiB would be cut
        // short and leave mappings of cookies packed above it in place.
        vdev.inodeMapping().unmapMappingPages(0, end, true);
    }

    /**
     * {@code VFIO_DEVICE_IOEVENTFD} for a driver with {@code ioeventfd_obj}: the core checks the
     * uAPI structure as vfio_pci_ioctl_ioeventfd did, resolves the offset through the file's
     * tree (-EINVAL when it names no cookie) and passes the object and the offset inside it.
     */
    @Models("drivers/vfio/vfio_main.c:vfio_device_ioeventfd")
    static long vfioDeviceIoeventfd(VfioDeviceFile df, UserBuffer arg) {
        VfioDevice device = df.device();
        final int minsz = VfioDeviceIoeventfd.SIZE - 4;
        byte[] head = new byte[VfioDeviceIoeventfd.SIZE];
        if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioDeviceIoeventfd ioeventfd = VfioDeviceIoeventfd.decode(head, 0);
        if (ioeventfd.argsz() < minsz) {
            return -EINVAL;
        }
        if (ioeventfd.unknownFlags() != 0) {
            return -EINVAL;
        }
        int count = (int) ioeventfd.sizeBits();
        if (Integer.bitCount(count) != 1 || ioeventfd.fd() < -1) {
            return -EINVAL;
        }
        VfioMmap obj = vfioDfMmapLoadOffset(df, ioeventfd.offset());
        if (obj == null) {
            return -EINVAL;
        }
        long off = ioeventfd.offset() - (obj.pgoff() << device.arch().pageShift());
        KernelProbe.note(() -> "IOEVENTFD offset resolved to " + obj + " + 0x"
                + Long.toHexString(off));
        return device.ops().ioeventfdObj().ioeventfdObj(device, obj, off, ioeventfd.data(),
                count, ioeventfd.fd());
    }

    /** The cookie covering byte {@code pos} of the file (a {@code loff_t}), or null. */
    static VfioMmap vfioDfMmapLoadOffset(VfioDeviceFile df, long pos) {
        if (pos < 0) {
            return null;
        }
        return vfioDfMmapLoad(df, pos >>> df.arch().pageShift());
    }

    /**
     * {@code vfio_ioctl_device_feature}: header checks, then the driver's
     * {@code device_feature}; -ENOTTY for a feature nobody implements (v6.18).
     */
    @Models("drivers/vfio/vfio_main.c:vfio_ioctl_device_feature")
    static long vfioIoctlDeviceFeature(VfioDevice device, UserBuffer arg) {
        final int minsz = VfioDeviceFeature.SIZE;
        byte[] head = new byte[minsz];
        if (arg.copyFromUser(head, 0, 0, minsz) != 0) {
            return -EFAULT;
        }
        VfioDeviceFeature feature = VfioDeviceFeature.decode(head, 0);
        if (feature.argsz() < minsz) {
            return -EINVAL;
        }
        int flags = (int) feature.flags();
        int known = VFIO_DEVICE_FEATURE_MASK | VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET
                | VfioDeviceFeature.VFIO_DEVICE_FEATURE_GET | VfioDeviceFeature.VFIO_DEVICE_FEATURE_PROBE;
        if ((flags & ~known) != 0) {
            return -EINVAL;
        }
        if ((flags & VfioDeviceFeature.VFIO_DEVICE_FEATURE_PROBE) == 0
                && (flags & VfioDeviceFeature.VFIO_DEVICE_FEATURE_SET) != 0
                && (flags & VfioDeviceFeature.VFIO_DEVICE_FEATURE_GET) != 0) {
            return -EINVAL;
        }
        switch (flags & VFIO_DEVICE_FEATURE_MASK) {
            case VfioDeviceFeature.VFIO_DEVICE_FEATURE_MIGRATION:
            case VfioDeviceFeature.VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE:
            case VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_LOGGING_START:
            case VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP:
            case VfioDeviceFeature.VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT:
            case VfioDeviceFeature.VFIO_DEVICE_FEATURE_MIG_DATA_SIZE:
                return -ENOTTY;
            default:
                if (device.ops().deviceFeature() == null) {
                    return -ENOTTY;
                }
                return device.ops().deviceFeature().deviceFeature(device, flags,
                        arg, feature.argsz() - minsz);
        }
    }

    /**
     * {@code vfio_check_feature()} (include/linux/vfio.h), what a {@code device_feature}
     * handler calls first: a GET or SET the feature does not support -EINVAL, PROBE answers 0,
     * neither GET nor SET -EINVAL, a payload below {@code minsz} -EINVAL, else 1 ("go on").
     */
    @Models("include/linux/vfio.h:vfio_check_feature")
    public static int vfioCheckFeature(int flags, long argsz, int supportedOps, long minsz) {
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

    /**
     * {@code vfio_device_fops_read}: -EINVAL for a table without {@code read_obj}; otherwise
     * through the file's tree (a zero-length read transfers nothing wherever it points; an
     * offset no cookie covers is -EINVAL, as an offset past the last region always was).
     */
    @Models("drivers/vfio/vfio_main.c:vfio_device_fops_read")
    public static long vfioDeviceFopsRead(VfioDeviceFile df, UserBuffer buf, long count,
            long pos) {
        VfioDevice device = df.device();
        if (!df.accessGranted()) {
            return -EINVAL;
        }
        if (device.ops().readObj() == null) {
            return -EINVAL;
        }
        if (count == 0) {
            return 0;
        }
        VfioMmap obj = vfioDfMmapLoadOffset(df, pos);
        if (obj == null) {
            return -EINVAL;
        }
        long off = pos - (obj.pgoff() << device.arch().pageShift());
        KernelProbe.note(() -> "read resolved to " + obj + " + 0x" + Long.toHexString(off));
        return device.ops().readObj().readObj(device, obj, buf, count, off);
    }

    /** {@code vfio_device_fops_write}: as {@link #vfioDeviceFopsRead}. */
    @Models("drivers/vfio/vfio_main.c:vfio_device_fops_write")
    public static long vfioDeviceFopsWrite(VfioDeviceFile df, UserBuffer buf, long count,
            long pos) {
        VfioDevice device = df.device();
        if (!df.accessGranted()) {
            return -EINVAL;
        }
        if (device.ops().writeObj() == null) {
            return -EINVAL;
        }
        if (count == 0) {
            return 0;
        }
        VfioMmap obj = vfioDfMmapLoadOffset(df, pos);
        if (obj == null) {
            return -EINVAL;
        }
        long off = pos - (obj.pgoff() << device.arch().pageShift());
        KernelProbe.note(() -> "write resolved to " + obj + " + 0x" + Long.toHexString(off));
        return device.ops().writeObj().writeObj(device, obj, buf, count, off);
    }

    /**
     * {@code vfio_device_fops_mmap}: -EINVAL for a table without {@code mmap_obj}; otherwise
     * the seed's sketch: load
     * the cookie at {@code vm_pgoff}; none, or a VMA that does not lie wholly inside it, is
     * -ENXIO; otherwise {@code mmap_obj(device, vma, obj)}. The containment check is in pages
     * ({@code vm_pgoff + vma_pages <= obj->pgoff + obj->pages}); the sketch as posted compared
     * {@code vma->vm_start}, an address, with the object's pgoff.
     */
    @Models("drivers/vfio/vfio_main.c:vfio_device_fops_mmap")
    public static int vfioDeviceFopsMmap(VfioDeviceFile df, VmArea vma) {
        VfioDevice device = df.device();
        if (!df.accessGranted()) {
            return -EINVAL;
        }
        if (device.ops().mmapObj() == null) {
            return -EINVAL;
        }
        VfioMmap obj = vfioDfMmapLoad(df, vma.vmPgoff());
        if (obj == null) {
            KernelProbe.note(() -> "mmap: no cookie at pgoff 0x"
                    + Long.toHexString(vma.vmPgoff()));
            return -ENXIO;
        }
        long objEnd = obj.pgoff() + obj.pages();
        // The tree range may run past the region (a guard page, a legacy slot): a VMA
        // starting there is outside the cookie.
        if (Long.compareUnsigned(vma.vmPgoff(), objEnd) >= 0
                || Long.compareUnsigned(vma.vmaPages(), objEnd - vma.vmPgoff()) > 0) {
            KernelProbe.note(() -> "mmap: pgoff 0x" + Long.toHexString(vma.vmPgoff())
                    + " + 0x" + Long.toHexString(vma.vmaPages()) + " pages leaves " + obj);
            return -ENXIO;
        }
        KernelProbe.note(() -> "mmap resolved to " + obj);
        return device.ops().mmapObj().mmapObj(device, vma, obj);
    }

    /** {@link #vfioDeviceOpenFile(VfioDevice, SeriesPolicy)} under the default policy. */
    public static VfioDeviceFile vfioDeviceOpenFile(VfioDevice device) {
        return vfioDeviceOpenFile(device, SeriesPolicy.DEFAULT);
    }

    /**
     * Opens a new file on {@code device} the way {@code VFIO_GROUP_GET_DEVICE_FD} does
     * ({@code vfio_df_group_open}): the first open calls {@code open_device}, then access is
     * granted with a store-release. Under the {@code create=open} policy the core then gives
     * every region of a driver on the cookie path its cookie, in index order, by asking the
     * driver as REGION_INFO would; a region the driver refuses (an absent VGA window) or that
     * cannot be placed gets none now, and REGION_INFO reports why when asked.
     *
     * @throws ErrnoException with the driver's error when {@code open_device} fails; the open
     *     count is left as it was
     */
    @Models({"drivers/vfio/group.c:vfio_df_group_open",
            "drivers/vfio/vfio_main.c:vfio_allocate_device_file"})
    public static VfioDeviceFile vfioDeviceOpenFile(VfioDevice device, SeriesPolicy policy) {
        VfioDeviceFile df = new VfioDeviceFile(device, policy);
        int ret = VfioGroup.vfioDfGroupOpen(df);
        if (ret != 0) {
            throw new ErrnoException(-ret);
        }
        df.grantAccess();
        if (policy.create() == SeriesPolicy.Create.OPEN
                && device.ops().getRegionInfoObj() != null) {
            vfioDfMmapPopulate(df);
        }
        return df;
    }

    /**
     * {@code vfio_df_mmap_populate()} (this series, {@code create=open}): asks the driver for
     * each region's object, as REGION_INFO would, and places each in index order.
     */
    @Models("drivers/vfio/vfio_main.c:vfio_df_mmap_populate")
    static void vfioDfMmapPopulate(VfioDeviceFile df) {
        VfioDevice device = df.device();
        for (int index = 0; index < device.nrRegions(); index++) {
            VfioRegionInfoStruct info = VfioRegionInfoStruct.forIndex(index);
            VfioMmap[] obj = new VfioMmap[1];
            if (device.ops().getRegionInfoObj().getRegionInfoObj(device, info,
                    new VfioInfoCap(), obj) == 0 && obj[0] != null) {
                vfioDfMmapInstall(df, obj[0]);
            }
        }
    }

    /**
     * {@code vfio_device_fops_release}: the file's last reference is gone, so no VMA maps any of
     * its cookies; the tree is destroyed ({@code mtree_destroy}, then each cookie freed), then
     * the last close calls {@code close_device}.
     */
    @Models("drivers/vfio/vfio_main.c:vfio_device_fops_release")
    public static void vfioDeviceFopsRelease(VfioDeviceFile df) {
        MapleTree<VfioMmap> mt = df.mmapMt();
        mt.lock();
        try {
            mt.destroy();
            df.regionMmaps().clear();
        } finally {
            mt.unlock();
        }
        if (df.group()) {
            VfioGroup.vfioDfGroupClose(df);
        } else {
            VfioDeviceCdev.vfioDfUnbindIommufd(df);
        }
    }
}
