package vfiowb.common.mm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import vfiowb.common.Models;
import vfiowb.common.NotModelledException;
import vfiowb.common.errno.Errno;

/**
 * {@code struct mm_struct}: one process's address space: its VMAs (sorted, never overlapping),
 * its page tables, and the mm code that changes them: {@code do_mmap}, {@code get_unmapped_area},
 * {@code do_munmap}, the fault path, {@code dup_mmap} and {@code exit_mmap}.
 *
 * <p>User address space: {@code TASK_SIZE} is {@code 0x7ffffffff000} on x86_64 (47-bit),
 * {@code 0xc0000000} on i386 (3G/1G split) and {@code 1 << 48} on arm64. Layout is the legacy-free
 * top-down one with randomisation off: {@code mmap_base = TASK_SIZE - 128 MiB} (the minimum
 * stack gap), {@code mmap_min_addr = 64 KiB}. No stack, heap or binary is mapped; there is no
 * stack guard gap.
 *
 * <p>Locks: {@link #mmapLock} is {@code mmap_lock} (faults read, everything else writes), taken
 * before the address space's {@code i_mmap_rwsem} and the page-table lock.
 */
@Models("include/linux/mm_types.h:struct mm_struct")
public final class MmStruct {

    /**
     * How {@link #getUnmappedArea} places a file mapping without {@code MAP_FIXED}.
     *
     * <p>Upstream (v7.1) {@code vfio_device_fops} has no {@code .get_unmapped_area}, so a VFIO
     * mapping gets a page-aligned address ({@link #PAGE}) and huge faults only happen if the
     * application aligned the address itself (QEMU, DPDK, selftests do). Peter Xu's unmerged
     * series (kernel-facts §D.7) lets the driver report a mapping order and mm align the way
     * {@code __thp_get_unmapped_area} does. The model defaults to that ({@link #HUGE_ALIGNED}),
     * because the workbench's questions are about alignment; {@link #PAGE} gives upstream.
     */
    public enum UnmappedAreaPolicy {
        /**
         * {@code __thp_get_unmapped_area} with the largest huge pfnmap size of the architecture
         * (PUD on x86_64, PMD on arm64), then the next smaller, then plain page alignment: the
         * address follows the pgoff's alignment up to PUD size.
         */
        HUGE_ALIGNED,
        /**
         * What Linux 6.12 was measured to do for {@code mmap(NULL)} of a VFIO device file: the
         * address is aligned (congruent to the file offset) to PMD size where the mapping holds a
         * whole PMD block, never to PUD size.
         */
        PMD_ALIGNED,
        /** Linux 6.1: no alignment beyond a page. */
        PAGE
    }

    /** {@code sysctl_max_map_count} default. */
    private static final int MAX_MAP_COUNT = 65530;
    /** {@code mmap_min_addr} (CONFIG_DEFAULT_MMAP_MIN_ADDR on x86). */
    private static final long MMAP_MIN_ADDR = 0x10000L;
    /** The minimum gap below the top {@code mmap_base()} leaves for the stack. */
    private static final long MIN_GAP = 128L << 20;
    /**
     * LEGACY_MAP_MASK (include/linux/mman.h) without the arch-specific flags: MAP_SHARED,
     * MAP_PRIVATE, MAP_FIXED, MAP_ANONYMOUS, MAP_DENYWRITE, MAP_EXECUTABLE, MAP_UNINITIALIZED,
     * MAP_GROWSDOWN, MAP_LOCKED, MAP_NORESERVE, MAP_POPULATE, MAP_NONBLOCK, MAP_STACK,
     * MAP_HUGETLB, MAP_HUGE_2MB, MAP_HUGE_1GB (x86/arm64 values); see {@link #legacyMapMask}.
     */
    private static final int LEGACY_MAP_MASK = 0x01 | 0x02 | 0x10 | 0x20 | 0x0800 | 0x1000
            | 0x4000000 | Mman.MAP_GROWSDOWN | 0x2000 | 0x4000 | 0x8000 | 0x10000 | 0x20000
            | 0x40000 | Mman.MAP_HUGE_2MB | Mman.MAP_HUGE_1GB;

    private final Arch arch;
    /** Where copy-on-write faults get their pages; null: COW not available. */
    private final PhysicalMemory memory;
    private final PageTable pageTable;
    private final TreeMap<Long, VmArea> vmas = new TreeMap<>();
    private final ReentrantReadWriteLock mmapLock = new ReentrantReadWriteLock();
    private final AtomicLong faults = new AtomicLong();
    private volatile UnmappedAreaPolicy unmappedAreaPolicy = UnmappedAreaPolicy.HUGE_ALIGNED;

    /** An empty address space without RAM of its own: a copy-on-write fault is not modelled. */
    public MmStruct(Arch arch) {
        this(arch, null);
    }

    /**
     * An empty address space on a machine whose {@code memory} provides the pages
     * copy-on-write faults copy into.
     */
    public MmStruct(Arch arch, PhysicalMemory memory) {
        this.arch = Objects.requireNonNull(arch, "arch");
        this.memory = memory;
        this.pageTable = new PageTable(arch);
    }

    public Arch arch() {
        return arch;
    }

    /** The machine's physical memory (RAM and MMIO), or null for an mm without one. */
    public PhysicalMemory physicalMemory() {
        return memory;
    }

    public PageTable pageTable() {
        return pageTable;
    }

    public UnmappedAreaPolicy unmappedAreaPolicy() {
        return unmappedAreaPolicy;
    }

    public void setUnmappedAreaPolicy(UnmappedAreaPolicy policy) {
        this.unmappedAreaPolicy = Objects.requireNonNull(policy, "policy");
    }

    /** {@code TASK_SIZE}: the end of user address space. */
    public long taskSize() {
        switch (arch) {
            case X86_64:
                return (1L << 47) - arch.pageSize();
            case I386:
                return 0xC000_0000L;
            default:
                return 1L << 48;
        }
    }

    /** {@code mm->mmap_base}: where top-down allocation starts. */
    public long mmapBase() {
        return taskSize() - MIN_GAP;
    }

    /** {@code mmap_min_addr}. */
    public long mmapMinAddr() {
        return MMAP_MIN_ADDR;
    }

    boolean mmapWriteLockedByCurrentThread() {
        return mmapLock.isWriteLockedByCurrentThread();
    }

    /** Page faults handled so far ({@code handle_mm_fault} calls). */
    public long faultCount() {
        return faults.get();
    }

    /** A snapshot of the VMAs in address order. */
    public List<VmArea> vmas() {
        mmapLock.readLock().lock();
        try {
            return Collections.unmodifiableList(new ArrayList<>(vmas.values()));
        } finally {
            mmapLock.readLock().unlock();
        }
    }

    /** {@code mm->map_count}. */
    public int mapCount() {
        mmapLock.readLock().lock();
        try {
            return vmas.size();
        } finally {
            mmapLock.readLock().unlock();
        }
    }

    /** {@code vma_lookup()}: the VMA containing {@code addr}, or null. */
    public VmArea vmaLookup(long addr) {
        mmapLock.readLock().lock();
        try {
            return lookupLocked(addr);
        } finally {
            mmapLock.readLock().unlock();
        }
    }

    /** {@code find_vma()}: the first VMA ending above {@code addr}, or null. */
    public VmArea findVma(long addr) {
        mmapLock.readLock().lock();
        try {
            VmArea v = lookupLocked(addr);
            if (v != null) {
                return v;
            }
            Map.Entry<Long, VmArea> next = vmas.higherEntry(addr);
            return next == null ? null : next.getValue();
        } finally {
            mmapLock.readLock().unlock();
        }
    }

    private VmArea lookupLocked(long addr) {
        Map.Entry<Long, VmArea> e = vmas.floorEntry(addr);
        return e != null && e.getValue().contains(addr) ? e.getValue() : null;
    }

    private boolean intersectsLocked(long start, long end) {
        Map.Entry<Long, VmArea> below = vmas.lowerEntry(end);
        return below != null && below.getValue().vmEnd() > start;
    }

    private List<VmArea> overlappingLocked(long start, long end) {
        List<VmArea> out = new ArrayList<>();
        Map.Entry<Long, VmArea> first = vmas.lowerEntry(start);
        if (first != null && first.getValue().vmEnd() > start) {
            out.add(first.getValue());
        }
        out.addAll(vmas.subMap(start, true, end, false).values());
        return out;
    }

    // ---------------------------------------------------------------------------------------
    // get_unmapped_area

    /**
     * {@code __get_unmapped_area(file, addr, len, pgoff, flags)}: the address for a new mapping
     * of {@code len} (page aligned) bytes, or a negative errno.
     *
     * <p>{@code MAP_FIXED} returns {@code addr} as is (the caller then replaces whatever is
     * there). Otherwise a free, page-aligned hint is honoured, else the highest free gap below
     * {@code mmap_base} is taken, falling back to a bottom-up search from {@code TASK_SIZE / 3}
     * ({@code arch_get_unmapped_area_topdown}). For a file mapping under
     * {@link UnmappedAreaPolicy#HUGE_ALIGNED}, each huge pfnmap size of the architecture is first
     * tried with {@link #thpGetUnmappedArea}. Anonymous mappings are never huge-aligned here (the
     * kernel's THP alignment of large anonymous mappings is irrelevant to devices). Then, as the
     * kernel: -ENOMEM if the result leaves user space, -EINVAL if it is not page aligned.
     */
    @Models("mm/mmap.c:__get_unmapped_area")
    public long getUnmappedArea(MappableFile file, long addr, long len, long pgoff, int flags) {
        mmapLock.readLock().lock();
        try {
            return getUnmappedAreaLocked(file, addr, len, pgoff, flags);
        } finally {
            mmapLock.readLock().unlock();
        }
    }

    private long getUnmappedAreaLocked(MappableFile file, long addr, long len, long pgoff,
            int flags) {
        long taskSize = taskSize();
        if (Long.compareUnsigned(len, taskSize) > 0) {
            return -Errno.ENOMEM;
        }
        long ret = 0;
        if (file != null && unmappedAreaPolicy != UnmappedAreaPolicy.PAGE) {
            if (arch.hugePudPfnmap() && unmappedAreaPolicy == UnmappedAreaPolicy.HUGE_ALIGNED) {
                ret = thpGetUnmappedArea(addr, len, pgoff << arch.pageShift(), flags,
                        arch.pudSize());
            }
            if (ret == 0 && arch.hugePmdPfnmap()) {
                ret = thpGetUnmappedArea(addr, len, pgoff << arch.pageShift(), flags,
                        arch.pmdSize());
            }
        }
        if (ret == 0) {
            ret = archGetUnmappedAreaTopdown(addr, len, flags);
        }
        if (Errno.isError(ret)) {
            return ret;
        }
        if (Long.compareUnsigned(ret, taskSize - len) > 0) {
            return -Errno.ENOMEM;
        }
        if (!arch.isPageAligned(ret)) {
            return -Errno.EINVAL;
        }
        return ret;
    }

    /**
     * {@code __thp_get_unmapped_area(filp, addr, len, off, flags, size)}: asks for
     * {@code len + size} bytes and returns the address inside them that is congruent to the file
     * offset modulo {@code size}, so that VA and PFN can line up for huge entries. Returns 0
     * (caller falls back) on 32-bit, when the file range {@code [off, off + len)} does not contain
     * one whole {@code size}-aligned block, when {@code off + len + size} passes 2^64 (unsigned
     * arithmetic, as everywhere in the C), or when the padded search fails. A free
     * hint is returned unchanged. Top-down, when the found area is already congruent, the
     * mapping goes to its top ({@code ret + size}).
     */
    @Models("mm/huge_memory.c:__thp_get_unmapped_area")
    long thpGetUnmappedArea(long addr, long len, long off, int flags, long size) {
        if (arch.is32Bit()) {
            return 0;
        }
        long offEnd = off + len;
        long offAlign = (off + size - 1) & -size;
        if (offEnd <= offAlign || offEnd - offAlign < size) {
            return 0;
        }
        long lenPad = len + size;
        if (Long.compareUnsigned(lenPad, len) < 0 || Long.compareUnsigned(off + lenPad, off) < 0) {
            return 0;
        }
        long ret = archGetUnmappedAreaTopdown(addr, lenPad, flags);
        if (Errno.isError(ret)) {
            return 0;
        }
        if (ret == addr) {
            return addr;
        }
        long offSub = (off - ret) & (size - 1);
        if (offSub == 0) {
            return ret + size;
        }
        return ret + offSub;
    }

    /**
     * {@code arch_get_unmapped_area_topdown()} / {@code generic_get_unmapped_area_topdown()} with
     * {@code vm_unmapped_area()}.
     */
    @Models("mm/mmap.c:generic_get_unmapped_area_topdown")
    private long archGetUnmappedAreaTopdown(long addr, long len, int flags) {
        long mmapEnd = taskSize();
        if (Long.compareUnsigned(len, mmapEnd - MMAP_MIN_ADDR) > 0) {
            return -Errno.ENOMEM;
        }
        if ((flags & Mman.MAP_FIXED) != 0) {
            return addr;
        }
        if (addr != 0) {
            long hint = arch.pageAlign(addr);
            if (Long.compareUnsigned(hint, mmapEnd - len) <= 0
                    && Long.compareUnsigned(hint, MMAP_MIN_ADDR) >= 0
                    && !intersectsLocked(hint, hint + len)) {
                return hint;
            }
        }
        long low = Math.max(arch.pageSize(), MMAP_MIN_ADDR);
        long found = topdownGap(len, low, mmapBase());
        if (found >= 0) {
            return found;
        }
        found = bottomupGap(len, arch.pageAlign(mmapEnd / 3), mmapEnd);
        return found >= 0 ? found : -Errno.ENOMEM;
    }

    /** The highest {@code len}-byte gap inside {@code [low, high)}, or -1. */
    private long topdownGap(long len, long low, long high) {
        long ceiling = high;
        Map.Entry<Long, VmArea> e = vmas.lowerEntry(high);
        while (true) {
            long floor = low;
            if (e != null) {
                VmArea below = e.getValue();
                if (below.vmEnd() >= ceiling) {
                    ceiling = Math.min(ceiling, below.vmStart());
                    e = vmas.lowerEntry(e.getKey());
                    continue;
                }
                floor = Math.max(low, below.vmEnd());
            }
            if (ceiling > floor && ceiling - floor >= len) {
                return ceiling - len;
            }
            if (e == null) {
                return -1;
            }
            ceiling = e.getValue().vmStart();
            if (ceiling <= low) {
                return -1;
            }
            e = vmas.lowerEntry(e.getKey());
        }
    }

    /** The lowest {@code len}-byte gap inside {@code [low, high)}, or -1. */
    private long bottomupGap(long len, long low, long high) {
        long candidate = low;
        for (VmArea v : vmas.values()) {
            if (v.vmEnd() <= candidate) {
                continue;
            }
            if (v.vmStart() >= candidate && v.vmStart() - candidate >= len) {
                break;
            }
            candidate = Math.max(candidate, v.vmEnd());
        }
        return candidate <= high && high - candidate >= len ? candidate : -1;
    }

    // ---------------------------------------------------------------------------------------
    // do_mmap / mmap_region

    /**
     * {@code do_mmap(file, addr, len, prot, flags, 0, pgoff, ...)}: maps {@code len} bytes of
     * {@code file} from page {@code pgoff} (or anonymous memory if {@code file} is null) and
     * returns the address, or a negative errno, in the kernel's order:
     * <ol>
     * <li>{@code len == 0}: -EINVAL;</li>
     * <li>{@code PAGE_ALIGN(len)} wraps to 0: -ENOMEM;</li>
     * <li>{@code pgoff + pages} overflows an unsigned long: -EOVERFLOW;</li>
     * <li>more than {@code sysctl_max_map_count} VMAs: -ENOMEM;</li>
     * <li>{@link #getUnmappedArea} fails: its errno ({@code MAP_FIXED_NOREPLACE} is
     *     {@code MAP_FIXED} there);</li>
     * <li>{@code MAP_FIXED_NOREPLACE} and a mapping in the way: -EEXIST;</li>
     * <li>{@code file_mmap_ok()} fails, i.e. for a device file {@code pgoff} and {@code len}
     *     reach past {@code ULONG_MAX} bytes (4 GiB on 32-bit): -EOVERFLOW;</li>
     * <li>the mapping type ({@code flags & MAP_TYPE}) is not {@code MAP_SHARED},
     *     {@code MAP_SHARED_VALIDATE} or {@code MAP_PRIVATE}: -EINVAL; {@code MAP_SHARED_VALIDATE}
     *     with a non-legacy flag: -EOPNOTSUPP ({@code MAP_SHARED} silently drops those;
     *     {@code MAP_FIXED_NOREPLACE} is not a legacy flag, {@code MAP_32BIT},
     *     {@code MAP_ABOVE4G} and the {@code MAP_HUGE_*} sizes are);</li>
     * <li>no {@code f_op->mmap}: -ENODEV;</li>
     * <li>{@code MAP_GROWSDOWN} ({@code VM_GROWSDOWN}) on a file or shared anonymous mapping:
     *     -EINVAL;</li>
     * <li>then {@link #mmapRegion}, whose errno is the driver's.</li>
     * </ol>
     * {@code prot} becomes {@code VM_READ/VM_WRITE/VM_EXEC}; {@code MAP_SHARED} adds
     * {@code VM_SHARED | VM_MAYSHARE}; {@code MAP_PRIVATE} adds neither, and reaches the driver
     * so. File modes (FMODE_READ/WRITE), noexec mounts, {@code READ_IMPLIES_EXEC}, memory locking
     * and VMA merging are not modelled, nor is the placement {@code MAP_32BIT} and
     * {@code MAP_ABOVE4G} ask of x86's own {@code get_unmapped_area}; the caller's byte-offset
     * and fd checks are the syscall's.
     * An anonymous mapping ({@code file == null}) only reserves address space: it gets a VMA
     * without {@code vm_ops} (shared anonymous memory would be shmem in the kernel), and faulting
     * it in is not modelled.
     */
    @Models("mm/mmap.c:do_mmap")
    public long doMmap(MappableFile file, long addr, long len, int prot, int flags, long pgoff) {
        mmapLock.writeLock().lock();
        try {
            return doMmapLocked(file, addr, len, prot, flags, pgoff);
        } finally {
            mmapLock.writeLock().unlock();
        }
    }

    private long doMmapLocked(MappableFile file, long addr, long len, int prot, int flags,
            long pgoff) {
        long ulongMax = arch.ulongMax();
        if (len == 0) {
            return -Errno.EINVAL;
        }
        if ((flags & Mman.MAP_FIXED_NOREPLACE) != 0) {
            flags |= Mman.MAP_FIXED;
        }
        if ((flags & Mman.MAP_FIXED) == 0) {
            addr = roundHintToMin(addr);
        }
        len = arch.pageAlign(len) & ulongMax;
        if (len == 0) {
            return -Errno.ENOMEM;
        }
        pgoff &= ulongMax;
        long pages = len >>> arch.pageShift();
        if (Long.compareUnsigned((pgoff + pages) & ulongMax, pgoff) < 0) {
            return -Errno.EOVERFLOW;
        }
        if (vmas.size() > MAX_MAP_COUNT) {
            return -Errno.ENOMEM;
        }
        addr = getUnmappedAreaLocked(file, addr, len, pgoff, flags);
        if (Errno.isError(addr)) {
            return addr;
        }
        if ((flags & Mman.MAP_FIXED_NOREPLACE) != 0 && intersectsLocked(addr, addr + len)) {
            return -Errno.EEXIST;
        }
        EnumSet<VmFlag> vmFlags = calcVmProtBits(prot);
        boolean growsDown = (flags & Mman.MAP_GROWSDOWN) != 0;
        if (file != null) {
            if (!fileMmapOk(file, pgoff, len)) {
                return -Errno.EOVERFLOW;
            }
            switch (flags & Mman.MAP_TYPE) {
                case Mman.MAP_SHARED:
                case Mman.MAP_SHARED_VALIDATE:
                    int mask = legacyMapMask();
                    int checked = (flags & Mman.MAP_TYPE) == Mman.MAP_SHARED ? flags & mask : flags;
                    if ((checked & ~mask) != 0) {
                        return -Errno.EOPNOTSUPP;
                    }
                    vmFlags.add(VmFlag.VM_SHARED);
                    vmFlags.add(VmFlag.VM_MAYSHARE);
                    if (!file.canMmap()) {
                        return -Errno.ENODEV;
                    }
                    if (growsDown) {
                        return -Errno.EINVAL;
                    }
                    break;
                case Mman.MAP_PRIVATE:
                    if (!file.canMmap()) {
                        return -Errno.ENODEV;
                    }
                    if (growsDown) {
                        return -Errno.EINVAL;
                    }
                    break;
                default:
                    return -Errno.EINVAL;
            }
        } else {
            switch (flags & Mman.MAP_TYPE) {
                case Mman.MAP_SHARED:
                    if (growsDown) {
                        return -Errno.EINVAL;
                    }
                    pgoff = 0;
                    vmFlags.add(VmFlag.VM_SHARED);
                    vmFlags.add(VmFlag.VM_MAYSHARE);
                    break;
                case Mman.MAP_PRIVATE:
                    pgoff = addr >>> arch.pageShift();
                    break;
                default:
                    return -Errno.EINVAL;
            }
        }
        return mmapRegion(file, addr, len, vmFlags, pgoff);
    }

    /** {@code round_hint_to_min()}: a non-zero hint below {@code mmap_min_addr} moves up to it. */
    private long roundHintToMin(long hint) {
        hint &= -arch.pageSize();
        if (hint != 0 && Long.compareUnsigned(hint, MMAP_MIN_ADDR) < 0) {
            return arch.pageAlign(MMAP_MIN_ADDR);
        }
        return hint;
    }

    /** {@code calc_vm_prot_bits()}. */
    private static EnumSet<VmFlag> calcVmProtBits(int prot) {
        EnumSet<VmFlag> f = EnumSet.noneOf(VmFlag.class);
        if ((prot & Mman.PROT_READ) != 0) {
            f.add(VmFlag.VM_READ);
        }
        if ((prot & Mman.PROT_WRITE) != 0) {
            f.add(VmFlag.VM_WRITE);
        }
        if ((prot & Mman.PROT_EXEC) != 0) {
            f.add(VmFlag.VM_EXEC);
        }
        return f;
    }

    /**
     * {@code LEGACY_MAP_MASK} of this arch: the generic flags, and on x86 also
     * {@code MAP_32BIT} and {@code MAP_ABOVE4G}, which other arches define as 0.
     */
    private int legacyMapMask() {
        boolean x86 = arch == Arch.X86_64 || arch == Arch.I386;
        return x86 ? LEGACY_MAP_MASK | Mman.MAP_32BIT | Mman.MAP_ABOVE4G : LEGACY_MAP_MASK;
    }

    /**
     * {@code file_mmap_ok()}: {@code maxsize = file_mmap_size_max()} is a {@code u64}: for a
     * character device or anonymous inode {@code ULONG_MAX} of the arch, or 0 when the fops carry
     * {@code FOP_UNSIGNED_OFFSET} ("no limit"). The length test is skipped for 0
     * ({@code maxsize && len > maxsize}), but the pgoff test is not: {@code maxsize -= len} wraps
     * to {@code 2^64 - len}, so even an unsigned-offset file refuses a mapping whose end passes
     * {@code 2^64} ({@code pgoff > (2^64 - len) >> PAGE_SHIFT}). The arithmetic is 64-bit on
     * every arch, {@code pgoff} and {@code len} being the arch's {@code unsigned long}.
     */
    @Models("mm/mmap.c:file_mmap_ok")
    boolean fileMmapOk(MappableFile file, long pgoff, long len) {
        long maxsize = file.unsignedOffset() ? 0 : arch.ulongMax();
        if (maxsize != 0 && Long.compareUnsigned(len, maxsize) > 0) {
            return false;
        }
        maxsize -= len;
        return Long.compareUnsigned(pgoff, maxsize >>> arch.pageShift()) <= 0;
    }

    /**
     * {@code mmap_region()}: replaces whatever is mapped in {@code [addr, addr + len)} (for
     * {@code MAP_FIXED}), builds the VMA, takes a file reference and calls the file's mmap.
     *
     * <p>If the driver fails, nothing of the new mapping is left behind: whatever entries the
     * driver installed are zapped, tables freed, the file reference dropped; the VMA was never
     * linked into the mm or {@code i_mmap}. As in the kernel since v6.12, mappings that
     * {@code MAP_FIXED} displaced are gone either way (a hole remains), because their entries were
     * cleared and {@code ->close} called before the driver ran. On success the VMA is linked
     * into the mm and the file's {@code i_mmap}. VMA merging is not modelled (VFIO's VMAs are
     * {@code VM_SPECIAL} and never merge).
     */
    @Models("mm/vma.c:mmap_region")
    private long mmapRegion(MappableFile file, long addr, long len, Set<VmFlag> vmFlags,
            long pgoff) {
        long end = addr + len;
        if (intersectsLocked(addr, end)) {
            int ret = doMunmapLocked(addr, len);
            if (ret != 0) {
                return ret;
            }
        }
        VmArea vma = new VmArea(arch, this, file, addr, end, pgoff, vmFlags);
        if (file != null) {
            file.getFile();
            int ret = file.mmap(vma);
            if (ret > 0) {
                throw new IllegalStateException("f_op->mmap returned " + ret);
            }
            if (vma.vmStart() != addr || vma.vmEnd() != end) {
                throw new IllegalStateException("the driver moved the VMA: " + vma);
            }
            if (ret < 0) {
                pageTable.zap(addr, end);
                pageTable.freePgtables(addr, end, this::intersectsLocked);
                file.fput();
                return ret;
            }
        } else {
            vma.setAnonymous();
        }
        vmas.put(addr, vma);
        if (file != null) {
            AddressSpace mapping = file.mapping();
            if (mapping == null) {
                throw new IllegalStateException("a mapped file has no address space: " + file);
            }
            mapping.linkFileVma(vma);
        }
        return addr;
    }

    // ---------------------------------------------------------------------------------------
    // munmap

    /**
     * {@code do_munmap(mm, start, len)} / {@code __vm_munmap()}: unmaps {@code [start, start +
     * PAGE_ALIGN(len))}. -EINVAL if {@code start} is not page aligned, the range leaves user
     * space, or the aligned length is 0. Holes are fine. A VMA partly inside is split first
     * ({@code __split_vma}: the part that stays becomes a new VMA and gets {@code ->open}; the
     * original shrinks to the unmapped part). Then, in the kernel's order, the range's entries
     * are cleared, tables no VMA needs are freed and the VMAs leave {@code i_mmap}, and finally
     * each VMA gets {@code ->close} and drops its file reference.
     */
    @Models("mm/vma.c:do_vmi_munmap")
    public int doMunmap(long start, long len) {
        mmapLock.writeLock().lock();
        try {
            long taskSize = taskSize();
            if (!arch.isPageAligned(start) || Long.compareUnsigned(start, taskSize) > 0
                    || Long.compareUnsigned(len, taskSize - start) > 0) {
                return -Errno.EINVAL;
            }
            len = arch.pageAlign(len);
            if (len == 0) {
                return -Errno.EINVAL;
            }
            return doMunmapLocked(start, len);
        } finally {
            mmapLock.writeLock().unlock();
        }
    }

    private int doMunmapLocked(long start, long len) {
        long end = start + len;
        List<VmArea> hit = overlappingLocked(start, end);
        if (hit.isEmpty()) {
            return 0;
        }
        VmArea first = hit.get(0);
        if (first.vmStart() < start) {
            splitVma(first, start, true);
        }
        VmArea last = hit.get(hit.size() - 1);
        if (last.vmEnd() > end) {
            splitVma(last, end, false);
        }
        removeVmas(hit, start, end);
        return 0;
    }

    /**
     * {@code __split_vma(vmi, vma, addr, new_below)}: a copy of {@code vma} takes the part below
     * {@code addr} ({@code newBelow}) or from {@code addr} on; the original keeps the rest. The
     * copy takes a file reference and gets {@code ->open} before the original shrinks, then a
     * huge entry straddling {@code addr} is cleared ({@code vma_adjust_trans_huge}) and both
     * are (re)linked, in the mm and in {@code i_mmap}.
     */
    @Models("mm/vma.c:__split_vma")
    private void splitVma(VmArea vma, long addr, boolean newBelow) {
        VmArea copy = vma.dup(this);
        long pagesBelow = (addr - vma.vmStart()) >>> arch.pageShift();
        long upperPgoff = (vma.vmPgoff() + pagesBelow) & arch.ulongMax();
        if (newBelow) {
            copy.adjust(vma.vmStart(), addr, vma.vmPgoff());
        } else {
            copy.adjust(addr, vma.vmEnd(), upperPgoff);
        }
        MappableFile file = vma.mappableFile();
        if (file != null) {
            file.getFile();
        }
        if (copy.vmOps() != null) {
            copy.vmOps().open(copy);
        }
        pageTable.splitHugeAt(addr);
        Runnable resize = () -> {
            vmas.remove(vma.vmStart());
            if (newBelow) {
                vma.adjust(addr, vma.vmEnd(), upperPgoff);
            } else {
                vma.adjust(vma.vmStart(), addr, vma.vmPgoff());
            }
            vmas.put(vma.vmStart(), vma);
            vmas.put(copy.vmStart(), copy);
        };
        if (file != null) {
            file.mapping().resizeLocked(() -> {
                resize.run();
                file.mapping().linkFileVma(copy);
            });
        } else {
            resize.run();
        }
    }

    /**
     * {@code vms_complete_munmap_vmas()}: clear entries, free tables and unlink from
     * {@code i_mmap}, then {@code remove_vma()} each: {@code ->close} and {@code fput}.
     */
    private void removeVmas(List<VmArea> gone, long start, long end) {
        for (VmArea v : gone) {
            vmas.remove(v.vmStart());
        }
        pageTable.zap(start, end);
        pageTable.freePgtables(start, end, this::intersectsLocked);
        for (VmArea v : gone) {
            MappableFile f = v.mappableFile();
            if (f != null) {
                f.mapping().unlinkFileVma(v);
            }
        }
        for (VmArea v : gone) {
            if (v.vmOps() != null) {
                v.vmOps().close(v);
            }
            MappableFile f = v.mappableFile();
            if (f != null) {
                f.fput();
            }
        }
    }

    /**
     * {@code exit_mmap()}: at process exit every VMA goes: entries cleared, tables freed,
     * {@code i_mmap} unlinked, {@code ->close}, {@code fput}.
     */
    @Models("mm/mmap.c:exit_mmap")
    public void exitMmap() {
        mmapLock.writeLock().lock();
        try {
            List<VmArea> all = new ArrayList<>(vmas.values());
            if (!all.isEmpty()) {
                removeVmas(all, all.get(0).vmStart(), all.get(all.size() - 1).vmEnd());
            }
        } finally {
            mmapLock.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------------------------------
    // fork

    /**
     * {@code dup_mmap(mm, oldmm)} for fork: a new mm with a copy of every VMA (same flags, ops,
     * private data, protection and pgoff; a new file reference), linked into {@code i_mmap}
     * and the new mm; page-table entries of {@code VM_PFNMAP}/{@code VM_MIXEDMAP} VMAs are
     * copied ({@code vma_needs_copy()}; other VMAs refault), and only then {@code ->open} is
     * called on the copy, as in the maple-tree era kernel. A driver whose open zaps therefore
     * leaves the child without entries. {@code VM_DONTCOPY}, {@code VM_WIPEONFORK} and
     * anonymous memory are not modelled.
     */
    @Models("kernel/fork.c:dup_mmap")
    public MmStruct dupMmap() {
        MmStruct child = new MmStruct(arch, memory);
        child.unmappedAreaPolicy = unmappedAreaPolicy;
        mmapLock.writeLock().lock();
        child.mmapLock.writeLock().lock();
        try {
            for (VmArea vma : vmas.values()) {
                VmArea tmp = vma.dup(child);
                MappableFile file = vma.mappableFile();
                if (file != null) {
                    file.getFile();
                    file.mapping().linkFileVma(tmp);
                }
                child.vmas.put(tmp.vmStart(), tmp);
                if (vma.hasFlag(VmFlag.VM_PFNMAP) || vma.hasFlag(VmFlag.VM_MIXEDMAP)) {
                    pageTable.copyTo(child.pageTable, vma.vmStart(), vma.vmEnd(),
                            vma.isCowMapping());
                }
                if (tmp.vmOps() != null) {
                    tmp.vmOps().open(tmp);
                }
            }
        } finally {
            child.mmapLock.writeLock().unlock();
            mmapLock.writeLock().unlock();
        }
        return child;
    }

    // ---------------------------------------------------------------------------------------
    // faults

    /**
     * {@code handle_mm_fault()} for a user access to {@code addr} that found no usable entry:
     * <ol>
     * <li>no VMA contains {@code addr}: SIGSEGV;</li>
     * <li>access not permitted ({@code access_error()}): a write needs {@code VM_WRITE}; a read
     *     needs {@code VM_READ} or {@code VM_WRITE} (x86 also accepts {@code VM_EXEC}): SIGSEGV;
     * </li>
     * <li>an entry maps {@code addr} already (another thread won): done;</li>
     * <li>as {@code __handle_mm_fault}: if the VMA has {@code ->huge_fault}, the architecture
     *     has PUD pfnmap and the PUD slot is empty, offer PUD order; unless that falls back,
     *     return its result. Then the PMD table is allocated ({@code pmd_alloc}) and PMD order
     *     offered likewise. Finally {@code ->fault} at order 0.</li>
     * </ol>
     * Huge orders are offered without checking that the block fits the VMA: the kernel leaves
     * that to the handler (it skips {@code thp_vma_suitable_order()} in the fault path), and so
     * does the model. THP sysfs and prctl settings are taken as permitting huge faults.
     *
     * <p>A write to a present read-only entry of a private mapping is a copy-on-write fault
     * ({@link #wpPageCopy}). The handler's result is returned as is. An order-0 FALLBACK, a
     * write to a present read-only entry of a shared mapping ({@code wp_pfn_shared}), COW of a
     * huge entry, COW without RAM to copy into, and any fault on anonymous memory are not
     * modelled and throw {@link NotModelledException}.
     */
    @Models("mm/memory.c:handle_mm_fault")
    public VmFaultResult handleMmFault(long addr, boolean write) {
        faults.incrementAndGet();
        mmapLock.readLock().lock();
        try {
            VmArea vma = lookupLocked(addr);
            if (vma == null) {
                return VmFaultResult.SIGSEGV;
            }
            if (accessError(vma, write)) {
                return VmFaultResult.SIGSEGV;
            }
            PageTable.Entry present = pageTable.lookup(addr);
            if (present != null) {
                if (!write || present.writable()) {
                    return VmFaultResult.NOPAGE;
                }
                if (vma.isCowMapping() && present.level() == PageTable.Level.PTE
                        && memory != null) {
                    return wpPageCopy(vma, present);
                }
                throw new NotModelledException(
                        "this write-protect fault is not modelled: " + present + " in " + vma);
            }
            VmOperations ops = vma.vmOps();
            if (ops == null) {
                throw new NotModelledException(
                        "anonymous memory is not modelled (anonymous mappings only reserve "
                        + "address space): " + vma);
            }
            if (ops.hasHugeFault() && arch.hugePudPfnmap() && pageTable.pudNone(addr)) {
                int order = arch.pudOrder();
                VmFaultResult r = ops.hugeFault(new VmFault(vma, addr, write, order), order);
                if (r != VmFaultResult.FALLBACK) {
                    return r;
                }
            }
            pageTable.pmdAlloc(addr);
            if (ops.hasHugeFault() && arch.hugePmdPfnmap() && pageTable.pmdNone(addr)) {
                int order = arch.pmdOrder();
                VmFaultResult r = ops.hugeFault(new VmFault(vma, addr, write, order), order);
                if (r != VmFaultResult.FALLBACK) {
                    return r;
                }
            }
            VmFaultResult r = ops.fault(new VmFault(vma, addr, write, 0));
            if (r == VmFaultResult.FALLBACK) {
                throw new IllegalStateException(ops.name() + "->fault returned VM_FAULT_FALLBACK");
            }
            return r;
        } finally {
            mmapLock.readLock().unlock();
        }
    }

    /**
     * {@code do_wp_page()} then {@code wp_page_copy()} for a store to a read-only entry of a
     * private mapping: a new zeroed page, a copy of the old page's contents (for a PFN mapping
     * with no {@code struct page}, read through the old user address as
     * {@code __wp_page_copy_user} does), and a writable, page-backed entry with the VMA's
     * protection in place of the old one. The device behind a PFN mapping never sees the store.
     * The kernel reuses an exclusive anonymous page instead of copying it again; the model
     * always copies, which userspace cannot tell apart.
     */
    @Models("mm/memory.c:wp_page_copy")
    private VmFaultResult wpPageCopy(VmArea vma, PageTable.Entry old) {
        long page = arch.pageSize();
        long copy = memory.allocPage(page);
        long from = old.pfn() << arch.pageShift();
        for (long off = 0; off < page; off += 8) {
            long v = memory.read(from + off, 8);
            if (v != 0) {
                memory.write(copy + off, 8, v);
            }
        }
        pageTable.replace(old, new PageTable.Entry(old.va(), PageTable.Level.PTE, page,
                copy >>> arch.pageShift(), vma.pageProt(), true, false));
        return VmFaultResult.NOPAGE;
    }

    /** {@code access_error()} (x86) / the {@code vm_flags} test of arm64's {@code do_page_fault}. */
    private boolean accessError(VmArea vma, boolean write) {
        if (write) {
            return !vma.hasFlag(VmFlag.VM_WRITE);
        }
        boolean readable = vma.hasFlag(VmFlag.VM_READ) || vma.hasFlag(VmFlag.VM_WRITE);
        if (arch == Arch.X86_64 || arch == Arch.I386) {
            readable |= vma.hasFlag(VmFlag.VM_EXEC);
        }
        return !readable;
    }

    @Override
    public String toString() {
        return "mm[" + arch.cliName() + ", " + mapCount() + " vmas, "
                + pageTable.totalEntries() + " entries]";
    }
}
