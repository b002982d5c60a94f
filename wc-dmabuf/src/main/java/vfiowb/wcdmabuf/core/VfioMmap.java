package vfiowb.wcdmabuf.core;

import java.util.Objects;
import vfiowb.common.Models;
import vfiowb.common.mm.VmArea;

/**
 * {@code struct vfio_mmap} (new in this series, include/linux/vfio.h): one mmap cookie of one
 * device file. A driver allocates its own structure embedding it (vfio-pci's
 * {@code struct vfio_pci_mmap}: BAR, physical start, pgprot), as Jason's sketch does; here it
 * subclasses. The core assigns the pgoff range when it inserts the cookie into the file's tree,
 * and from then on nothing about the cookie changes (the thread's "mmap cookies must be
 * immutable"): its range, its region and whatever the driver attached are fixed for the life of
 * the file.
 *
 * <p>The range is in pages whatever the tree's key unit ({@link #pgoff()}, {@link #pages()}); the
 * region's own size in bytes is kept too, since a sub-page region occupies a whole page of pgoff
 * space but only {@link #size()} bytes of it exist.
 */
@Models("include/linux/vfio.h:struct vfio_mmap")
public abstract class VfioMmap {
    private static final long NOT_INSTALLED = -1;

    private final VfioDevice device;
    private final int index;
    private final long size;
    /** Written once, by the core, before the cookie is published in a tree. */
    private long pgoff = NOT_INSTALLED;
    private long pages;

    /**
     * @param device the device the cookie maps
     * @param index the region index userspace asked REGION_INFO for
     * @param size the region's size in bytes (not 0: a region without bytes has no cookie)
     */
    protected VfioMmap(VfioDevice device, int index, long size) {
        this.device = Objects.requireNonNull(device, "device");
        if (index < 0) {
            throw new IllegalArgumentException("region index " + index);
        }
        if (size == 0) {
            throw new IllegalArgumentException("a cookie for an empty region");
        }
        this.index = index;
        this.size = size;
    }

    /** {@code mmap->vdev}. */
    public final VfioDevice device() {
        return device;
    }

    /** {@code mmap->region_index}: the region this cookie was minted for. */
    public final int index() {
        return index;
    }

    /** {@code mmap->size}: the bytes of the region behind the cookie. */
    public final long size() {
        return size;
    }

    /** {@code mmap->pgoff}: the first page of the cookie in the file's pgoff space. */
    public final synchronized long pgoff() {
        if (pgoff == NOT_INSTALLED) {
            throw new IllegalStateException("cookie for region " + index + " not installed");
        }
        return pgoff;
    }

    /** The number of pages the cookie spans: the size rounded up to whole pages. */
    public final synchronized long pages() {
        if (pgoff == NOT_INSTALLED) {
            throw new IllegalStateException("cookie for region " + index + " not installed");
        }
        return pages;
    }

    /** True once the core has given the cookie its range. */
    public final synchronized boolean installed() {
        return pgoff != NOT_INSTALLED;
    }

    /**
     * The core's half of {@code vfio_df_mmap_install()}: fixes the range, once.
     *
     * @throws IllegalStateException when the cookie already has a range (a cookie never moves)
     */
    final synchronized void install(long firstPgoff, long nrPages) {
        if (pgoff != NOT_INSTALLED) {
            throw new IllegalStateException("cookie for region " + index + " installed twice");
        }
        if (nrPages <= 0) {
            throw new IllegalArgumentException("cookie of " + nrPages + " pages");
        }
        this.pgoff = firstPgoff;
        this.pages = nrPages;
    }

    /**
     * {@code vfio_mmap_vma_pgoff()} (this series, stage 4): how many pages into this cookie the
     * VMA starts, {@code vma->vm_pgoff - obj->pgoff}. The core checked the VMA lies inside the
     * cookie before calling {@code mmap_obj}, and mm keeps the difference right when it splits
     * or copies the VMA; drivers use this and never read {@code vm_pgoff} themselves.
     */
    @Models("include/linux/vfio.h:vfio_mmap_vma_pgoff")
    public final long vmaPageOffset(VmArea vma) {
        return vma.vmPgoff() - pgoff();
    }

    /** {@link #vmaPageOffset} in bytes: the offset inside the region the VMA starts at. */
    @Models("include/linux/vfio.h:vfio_mmap_vma_offset")
    public final long vmaOffset(VmArea vma) {
        return vmaPageOffset(vma) << device.arch().pageShift();
    }

    /** What a debugger or {@code walk} shows of the driver's part of the cookie. */
    protected String describe() {
        return "";
    }

    @Override
    public final String toString() {
        String d = describe();
        String range = installed()
                ? String.format("pgoff 0x%x+0x%x", pgoff(), pages())
                : "not installed";
        return getClass().getSimpleName() + "[region " + index + ", " + range
                + (d.isEmpty() ? "" : ", " + d) + "]";
    }
}
