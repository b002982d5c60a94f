package vfiowb.wcdmabuf.core;

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
 * cookie. One tree per file, as in Mahmoud's RFC and iommufd: a file's layout cannot be seen or
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
    private final VfioDevice device;
    private final SeriesPolicy policy;
    private volatile boolean accessGranted;
    /** {@code df->mmap_mt}. Writers hold its lock; readers are lock-free (RCU mode). */
    private final MapleTree<VfioMmap> mmapMt;
    /** {@code df->region_mmaps}: region index to this file's cookie, under the tree lock. */
    private final TreeMap<Integer, VfioMmap> regionMmaps = new TreeMap<>();

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

    /** {@code smp_store_release(&df->access_granted, true)} after a successful open. */
    void grantAccess() {
        accessGranted = true;
    }

    /** The tree itself, for the core only. */
    MapleTree<VfioMmap> mmapMt() {
        return mmapMt;
    }

    /** The region-to-cookie index, for the core only (under the tree lock). */
    TreeMap<Integer, VfioMmap> regionMmaps() {
        return regionMmaps;
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

    /** The tree rendered as it renders itself (keys in the tree's unit). */
    public String mmapTreeDump() {
        return "mmap_mt (keys in " + policy.keys() + "): " + mmapMt;
    }

    /** The architecture's page shift, which converts the tree's keys and file offsets. */
    Arch arch() {
        return device.arch();
    }
}
