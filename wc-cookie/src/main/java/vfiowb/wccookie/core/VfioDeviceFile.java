package vfiowb.wccookie.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import vfiowb.common.Models;
import vfiowb.common.lib.MapleTree;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.SeriesPolicy;

/**
 * {@code struct vfio_device_file}: one open file of a device (drivers/vfio/vfio.h). The model
 * opens files the way the group path does after {@code VFIO_GROUP_GET_DEVICE_FD}: access is
 * granted once the device is open.
 *
 * <p>This series adds {@code mmap_mt}, a maple tree ({@code MT_FLAGS_ALLOC_RANGE}) from pgoff
 * ranges of this file to {@link VfioMmap} cookies, and {@code region_mmaps}, the cookie each
 * region index already has on this file, so the same (file, region) always gives the same
 * cookie, and the same (file, region, mmap flags) the same cookie of
 * {@code VFIO_DEVICE_GET_REGION_MMAP}. One tree per file, as in Mahmoud's RFC and iommufd: a file's layout cannot be seen or
 * changed through another file, and the tree dies with the file, after its last mapping (every
 * VMA holds a file reference). Only the core reads or writes them ({@link VfioMain}); the
 * accessors a reader such as {@code walk} uses return copies.
 *
 * <p>The tree's keys are {@code unsigned long}: 32 bits wide on a 32-bit kernel. In page units
 * ({@link SeriesPolicy.Keys#PAGES}) a key is a pgoff; in byte units a key is
 * {@code pgoff << PAGE_SHIFT}, which cannot reach 4 GiB on a 32-bit kernel.
 */
@Models("drivers/vfio/vfio.h:struct vfio_device_file")
public final class VfioDeviceFile {
    /**
     * {@code df->group != NULL}: set by the group path before it opens the device; a cdev file
     * ({@link VfioDeviceCdev}) leaves it clear.
     */
    private volatile boolean group;
    private final VfioDevice device;
    private final SeriesPolicy policy;
    private volatile boolean accessGranted;
    /** {@code df->mmap_mt}. Writers hold its lock; readers are lock-free (RCU mode). */
    private final MapleTree<VfioMmap> mmapMt;
    /**
     * {@code df->region_mmaps}: (region index, mmap flags) to this file's cookie, under the tree
     * lock ({@link #regionKey}).
     */
    private final TreeMap<Long, VfioMmap> regionMmaps = new TreeMap<>();

    VfioDeviceFile(VfioDevice device, SeriesPolicy policy) {
        this.device = device;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.mmapMt = new MapleTree<>(device.arch().is32Bit() ? 32 : 64,
                MapleTree.Flag.ALLOC_RANGE);
    }

    /** {@code df->device}. */
    public VfioDevice device() {
        return device;
    }

    /** The cookie policy this file's kernel was booted with. */
    public SeriesPolicy policy() {
        return policy;
    }

    /** {@code smp_load_acquire(&df->access_granted)}. */
    public boolean accessGranted() {
        return accessGranted;
    }

    /** Whether the file was opened through the group ({@code df->group}), not the cdev. */
    public boolean group() {
        return group;
    }

    /** {@code df->group = device->group}, before the group path opens the device. */
    void setGroup() {
        group = true;
    }

    /** {@code smp_store_release(&df->access_granted, true)} after a successful open. */
    void grantAccess() {
        accessGranted = true;
    }

    /** The tree itself, for the core only. */
    MapleTree<VfioMmap> mmapMt() {
        return mmapMt;
    }

    /** The region-to-cookie index, for the core only (under the tree lock). */
    TreeMap<Long, VfioMmap> regionMmaps() {
        return regionMmaps;
    }

    /** The key of a cookie in {@code region_mmaps}: its region and its mmap flags. */
    static long regionKey(VfioMmap obj) {
        return (long) obj.index() << 32 | Integer.toUnsignedLong(obj.mmapFlags());
    }

    /** The cookies this file holds, in pgoff order: a copy, for readers such as {@code walk}. */
    public List<VfioMmap> cookies() {
        List<VfioMmap> out = new ArrayList<>();
        for (MapleTree.Entry<VfioMmap> e : mmapMt) {
            out.add(e.entry());
        }
        return Collections.unmodifiableList(out);
    }

    /** How many ranges the tree holds. */
    public long cookieCount() {
        return mmapMt.count();
    }

    /**
     * A debugger's check of the file's two indexes of its cookies, under the tree lock:
     * {@code mt_validate()} on the tree, then that the tree and {@code region_mmaps} agree:
     * every range holds an installed cookie starting at the range's first key, no cookie is in
     * two ranges, each is the one its region maps to, and no region maps a cookie outside the
     * tree (a cookie lost or made twice by racing REGION_INFO calls would break one of these).
     *
     * @throws IllegalStateException naming what is broken
     */
    public void validate() {
        mmapMt.lock();
        try {
            mmapMt.validate();
            java.util.Set<VfioMmap> seen = java.util.Collections.newSetFromMap(
                    new java.util.IdentityHashMap<>());
            int shift = policy.keys() == SeriesPolicy.Keys.PAGES ? 0 : arch().pageShift();
            for (MapleTree.Entry<VfioMmap> e : mmapMt) {
                VfioMmap c = e.entry();
                if (!c.installed() || e.first() != c.pgoff() << shift) {
                    throw new IllegalStateException("range " + e + " holds " + c);
                }
                if (!seen.add(c)) {
                    throw new IllegalStateException(c + " is in the tree twice");
                }
                if (regionMmaps.get(regionKey(c)) != c) {
                    throw new IllegalStateException(c + " is not region " + c.index()
                            + "'s cookie for its attribute (" + regionMmaps.get(regionKey(c))
                            + ")");
                }
            }
            if (seen.size() != regionMmaps.size()) {
                throw new IllegalStateException(regionMmaps.size() + " regions map cookies, the "
                        + "tree holds " + seen.size());
            }
        } finally {
            mmapMt.unlock();
        }
    }

    /** The tree rendered as it renders itself (keys in the tree's unit). */
    public String mmapTreeDump() {
        return "mmap_mt (keys in " + policy.keys() + "): " + mmapMt;
    }

    /** The architecture's page shift, which converts the tree's keys and file offsets. */
    Arch arch() {
        return device.arch();
    }
}
