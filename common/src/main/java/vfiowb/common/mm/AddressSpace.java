package vfiowb.common.mm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import vfiowb.common.Models;

/**
 * {@code struct address_space} of a device's inode: the {@code i_mmap} registry of every VMA
 * that maps the device, from any file and any process.
 *
 * <p>Since v6.10 each {@code vfio_device} has its own inode, and every file opened on the device
 * (group path or cdev) uses its address space, so one {@link #unmapMappingRange} reaches every
 * mapping of a BAR (kernel-facts §D.4).
 *
 * <p>The interval tree is a set scanned linearly: VMAs per device are few. Locking follows
 * {@code i_mmap_rwsem}: readers for lookups and zaps, the writer to link, unlink or resize a VMA.
 */
@Models("include/linux/fs.h:struct address_space")
public final class AddressSpace {
    private final Arch arch;
    private final String host;
    private final ReentrantReadWriteLock iMmapRwsem = new ReentrantReadWriteLock();
    private final Set<VmArea> iMmap = new LinkedHashSet<>();

    /**
     * @param host what the inode belongs to (a device name), for narration
     */
    public AddressSpace(Arch arch, String host) {
        this.arch = Objects.requireNonNull(arch, "arch");
        this.host = Objects.requireNonNull(host, "host");
    }

    public Arch arch() {
        return arch;
    }

    public String host() {
        return host;
    }

    /** {@code vma_link_file()}: adds a VMA after its mmap succeeded. */
    @Models("mm/vma.c:vma_link_file")
    void linkFileVma(VmArea vma) {
        iMmapRwsem.writeLock().lock();
        try {
            if (!iMmap.add(vma)) {
                throw new IllegalStateException(vma + " already in i_mmap of " + host);
            }
        } finally {
            iMmapRwsem.writeLock().unlock();
        }
    }

    /** {@code unlink_file_vma()}: removes a VMA being unmapped. */
    @Models("mm/vma.c:unlink_file_vma")
    void unlinkFileVma(VmArea vma) {
        iMmapRwsem.writeLock().lock();
        try {
            if (!iMmap.remove(vma)) {
                throw new IllegalStateException(vma + " not in i_mmap of " + host);
            }
        } finally {
            iMmapRwsem.writeLock().unlock();
        }
    }

    /** Runs a VMA resize ({@code vma_prepare()}..{@code vma_complete()}) under the write lock. */
    void resizeLocked(Runnable change) {
        iMmapRwsem.writeLock().lock();
        try {
            change.run();
        } finally {
            iMmapRwsem.writeLock().unlock();
        }
    }

    /** A snapshot of {@code i_mmap}. */
    public List<VmArea> vmas() {
        iMmapRwsem.readLock().lock();
        try {
            return Collections.unmodifiableList(new ArrayList<>(iMmap));
        } finally {
            iMmapRwsem.readLock().unlock();
        }
    }

    /** {@code mapping_mapped()}: whether any VMA maps this inode. */
    public boolean mapped() {
        iMmapRwsem.readLock().lock();
        try {
            return !iMmap.isEmpty();
        } finally {
            iMmapRwsem.readLock().unlock();
        }
    }

    /**
     * {@code vma_interval_tree_foreach()}: VMAs whose file pages intersect the inclusive
     * page range {@code [firstPgoff, lastPgoff]} (unsigned).
     */
    public List<VmArea> vmasOverlapping(long firstPgoff, long lastPgoff) {
        iMmapRwsem.readLock().lock();
        try {
            return overlappingLocked(firstPgoff, lastPgoff);
        } finally {
            iMmapRwsem.readLock().unlock();
        }
    }

    private List<VmArea> overlappingLocked(long first, long last) {
        List<VmArea> out = new ArrayList<>();
        for (VmArea vma : iMmap) {
            long vba = vma.vmPgoff();
            long vea = vba + vma.vmaPages() - 1;
            if (Long.compareUnsigned(vba, last) <= 0 && Long.compareUnsigned(vea, first) >= 0) {
                out.add(vma);
            }
        }
        return out;
    }

    /**
     * {@code unmap_mapping_range(mapping, holebegin, holelen, even_cows)}: clears the
     * page-table entries of every VMA, in every process, that maps a byte of the file range
     * {@code [holebegin, holebegin + holelen)}; {@code holelen == 0} means to the end of the
     * file. A later touch refaults.
     *
     * <p>Byte offsets become page offsets as in the C: {@code holebegin} is cast to
     * {@code pgoff_t} (an unsigned long, so on 32-bit its upper half is dropped) before the
     * shift; the length rounds up; a range past {@code ULONG_MAX} pages is clamped. Without
     * {@code evenCows} the private copies a copy-on-write fault made in a private mapping stay
     * (truncation semantics); with it (what vfio's zaps pass) they go too.
     *
     * @return the number of page-table entries cleared (the kernel returns nothing)
     */
    @Models("mm/memory.c:unmap_mapping_range")
    public long unmapMappingRange(long holebegin, long holelen, boolean evenCows) {
        int shift = arch.pageShift();
        long ulongMax = arch.ulongMax();
        long hba = (holebegin & ulongMax) >>> shift;
        long hlen = (((holelen & ulongMax) + arch.pageSize() - 1) & ulongMax) >>> shift;
        if (arch.is32Bit()) {
            long holeend = (holebegin + holelen + arch.pageSize() - 1) >> shift;
            if ((holeend & ~ulongMax) != 0) {
                hlen = (ulongMax - hba + 1) & ulongMax;
            }
        }
        return unmapMappingPages(hba, hlen, evenCows);
    }

    /**
     * {@code unmap_mapping_pages(mapping, start, nr, even_cows)}: as above in pages; {@code nr}
     * 0 (or a range that wraps) reaches to {@code ULONG_MAX}.
     */
    @Models("mm/memory.c:unmap_mapping_pages")
    public long unmapMappingPages(long start, long nr, boolean evenCows) {
        long ulongMax = arch.ulongMax();
        long first = start & ulongMax;
        long last = (first + nr - 1) & ulongMax;
        if (Long.compareUnsigned(last, first) < 0) {
            last = ulongMax;
        }
        long zapped = 0;
        iMmapRwsem.readLock().lock();
        try {
            for (VmArea vma : overlappingLocked(first, last)) {
                long vba = vma.vmPgoff();
                long vea = vba + vma.vmaPages() - 1;
                long zba = Long.compareUnsigned(first, vba) > 0 ? first : vba;
                long zea = Long.compareUnsigned(last, vea) < 0 ? last : vea;
                int shift = arch.pageShift();
                long startVa = ((zba - vba) << shift) + vma.vmStart();
                long endVa = ((zea - vba + 1) << shift) + vma.vmStart();
                zapped += vma.vmMm().pageTable().zap(startVa, endVa,
                        !evenCows && vma.isCowMapping());
            }
        } finally {
            iMmapRwsem.readLock().unlock();
        }
        return zapped;
    }

    @Override
    public String toString() {
        return "address_space[" + host + "]";
    }
}
