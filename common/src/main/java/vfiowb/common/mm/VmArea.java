package vfiowb.common.mm;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import vfiowb.common.Models;
import vfiowb.common.trace.KernelProbe;

/**
 * {@code struct vm_area_struct}: one mapping in one process.
 *
 * <p>The page offset ({@code vm_pgoff}) is reachable only through {@link #vmPgoff()} and
 * {@link #setVmPgoff(long)}, so architecture rules can see every access to it.
 *
 * <p>{@code vm_start} and {@code vm_end} have no public setter: drivers cannot move a VMA (the
 * kernel warns if an mmap handler changes {@code vm_start}). Only mm itself changes them, when
 * {@code munmap} splits a VMA ({@code __split_vma} adjusts the original in place) under the
 * mmap lock and the address space's lock.
 *
 * <p>Flag changes assert that the owning mm's mmap lock is held for writing by the caller, as
 * {@code vm_flags_set()} does through {@code vma_start_write()}: a driver may set flags in its
 * mmap handler, not in a fault handler. A <em>detached</em> VMA (built with the public
 * constructor, belonging to no mm) is for tests of mmap handlers: it has no page table, so
 * nothing can be installed in it.
 */
@Models("include/linux/mm_types.h:struct vm_area_struct")
public final class VmArea {
    private final Arch arch;
    private final MmStruct mm;
    private final MappableFile file;
    private volatile long vmStart;
    private volatile long vmEnd;
    private volatile long vmPgoff;
    private final EnumSet<VmFlag> flags;
    private volatile PgProt pageProt = PgProt.WB;
    private volatile VmOperations vmOps = VmOperations.DUMMY;
    private volatile Object privateData;

    /**
     * A detached VMA ({@code vm_area_alloc()} + {@code vma_init()} outside any mm) for driver
     * tests: page-aligned {@code [vmStart, vmEnd)}, the given pgoff and flags, default
     * protection {@link PgProt#WB} and {@link VmOperations#DUMMY}.
     */
    public VmArea(Arch arch, long vmStart, long vmEnd, long vmPgoff, Set<VmFlag> flags) {
        this(arch, null, null, vmStart, vmEnd, vmPgoff, flags);
    }

    VmArea(Arch arch, MmStruct mm, MappableFile file, long vmStart, long vmEnd, long vmPgoff,
            Set<VmFlag> flags) {
        this(arch, mm, file, vmStart, vmEnd, vmPgoff, flags, true);
    }

    /**
     * A detached VMA with bounds mm never builds: an end at or below the start, or an edge off a
     * page boundary. For tests of the checks mmap handlers keep on {@code vm_start} and
     * {@code vm_end} although no mmap() reaches them ({@code vfio_platform_mmap}'s
     * {@code vma->vm_end < vma->vm_start} and {@code vma->vm_start & ~PAGE_MASK}, for one):
     * {@code do_mmap} page-aligns the length and refuses an empty or wrapping range first. Hand
     * it only to a handler that must refuse it; nothing can be installed in it.
     */
    public static VmArea withBoundsMmNeverBuilds(Arch arch, long vmStart, long vmEnd,
            long vmPgoff, Set<VmFlag> flags) {
        return new VmArea(arch, null, null, vmStart, vmEnd, vmPgoff, flags, false);
    }

    private VmArea(Arch arch, MmStruct mm, MappableFile file, long vmStart, long vmEnd,
            long vmPgoff, Set<VmFlag> flags, boolean boundsFromMm) {
        this.arch = Objects.requireNonNull(arch, "arch");
        if (boundsFromMm && (!arch.isPageAligned(vmStart) || !arch.isPageAligned(vmEnd)
                || Long.compareUnsigned(vmStart, vmEnd) >= 0)) {
            throw new IllegalArgumentException(String.format(
                    "VMA bounds must be page aligned and non-empty: 0x%x-0x%x", vmStart, vmEnd));
        }
        if (Long.compareUnsigned(vmPgoff, arch.ulongMax()) > 0) {
            throw new IllegalArgumentException("vm_pgoff does not fit an unsigned long: 0x"
                    + Long.toHexString(vmPgoff));
        }
        this.mm = mm;
        this.file = file;
        this.vmStart = vmStart;
        this.vmEnd = vmEnd;
        this.vmPgoff = vmPgoff;
        this.flags = flags.isEmpty() ? EnumSet.noneOf(VmFlag.class) : EnumSet.copyOf(flags);
    }

    /** {@code vm_area_dup()}: a copy of every field for {@code mm}, sharing the file. */
    VmArea dup(MmStruct newMm) {
        VmArea copy = new VmArea(arch, newMm, file, vmStart, vmEnd, vmPgoff, vmFlags());
        copy.pageProt = pageProt;
        copy.vmOps = vmOps;
        copy.privateData = privateData;
        return copy;
    }

    public Arch arch() {
        return arch;
    }

    /** {@code vm_mm}: the owning process's mm, or null for a detached VMA. */
    public MmStruct vmMm() {
        return mm;
    }

    public long vmStart() {
        return vmStart;
    }

    /** Exclusive end. */
    public long vmEnd() {
        return vmEnd;
    }

    /** {@code vma->vm_end - vma->vm_start}. */
    public long length() {
        return vmEnd - vmStart;
    }

    /** {@code vma_pages()}. */
    public long vmaPages() {
        return length() >>> arch.pageShift();
    }

    /** Whether {@code addr} lies in {@code [vm_start, vm_end)}. */
    public boolean contains(long addr) {
        return Long.compareUnsigned(addr, vmStart) >= 0 && Long.compareUnsigned(addr, vmEnd) < 0;
    }

    /** {@code vma->vm_pgoff}: the file page offset of {@code vm_start}. */
    public long vmPgoff() {
        KernelProbe.here();
        return vmPgoff;
    }

    /**
     * Writes {@code vma->vm_pgoff}. Drivers do this in their mmap handler
     * ({@code remap_pfn_range} also does it for COW mappings); the value must fit an unsigned
     * long of the architecture.
     */
    public void setVmPgoff(long pgoff) {
        KernelProbe.here();
        if (Long.compareUnsigned(pgoff, arch.ulongMax()) > 0) {
            throw new IllegalStateException("vm_pgoff does not fit an unsigned long: 0x"
                    + Long.toHexString(pgoff));
        }
        this.vmPgoff = pgoff;
    }

    /** A copy of {@code vm_flags}; changing the copy does not change the VMA. */
    public synchronized EnumSet<VmFlag> vmFlags() {
        return flags.isEmpty() ? EnumSet.noneOf(VmFlag.class) : EnumSet.copyOf(flags);
    }

    public synchronized boolean hasFlag(VmFlag flag) {
        return flags.contains(flag);
    }

    /** {@code vm_flags_set()}. */
    @Models("include/linux/mm.h:vm_flags_set")
    public void vmFlagsSet(VmFlag... set) {
        KernelProbe.here();
        assertWriteLocked("vm_flags_set");
        synchronized (this) {
            Collections.addAll(flags, set);
        }
    }

    /** {@code vm_flags_clear()}. */
    @Models("include/linux/mm.h:vm_flags_clear")
    public void vmFlagsClear(VmFlag... clear) {
        KernelProbe.here();
        assertWriteLocked("vm_flags_clear");
        synchronized (this) {
            for (VmFlag f : clear) {
                flags.remove(f);
            }
        }
    }

    /** {@code vm_page_prot}, reduced to its memory type. */
    public PgProt pageProt() {
        return pageProt;
    }

    public void setPageProt(PgProt prot) {
        KernelProbe.here();
        this.pageProt = Objects.requireNonNull(prot, "prot");
    }

    /** {@code vm_ops}; null only for an anonymous VMA. */
    public VmOperations vmOps() {
        return vmOps;
    }

    public void setVmOps(VmOperations ops) {
        KernelProbe.here();
        this.vmOps = Objects.requireNonNull(ops, "vm_ops (use VmOperations.DUMMY for none)");
    }

    /** {@code vma_set_anonymous()}. */
    void setAnonymous() {
        this.vmOps = null;
    }

    /** {@code vma_is_anonymous()}: no {@code vm_ops} at all. */
    public boolean isAnonymous() {
        return vmOps == null;
    }

    /** {@code vm_private_data}. */
    public Object privateData() {
        return privateData;
    }

    public void setPrivateData(Object data) {
        KernelProbe.here();
        this.privateData = data;
    }

    /** {@code vm_file}: the stage's file this VMA holds a reference on; null if anonymous. */
    public Object vmFile() {
        return file == null ? null : file.file();
    }

    /** The file as mm handles it (reference counting, address space). */
    MappableFile mappableFile() {
        return file;
    }

    /**
     * {@code is_cow_mapping()}: {@code VM_MAYWRITE} without {@code VM_SHARED}. The model always
     * has {@code VM_MAYWRITE} (files are opened read-write), so every private mapping is one.
     */
    public boolean isCowMapping() {
        return !hasFlag(VmFlag.VM_SHARED);
    }

    /** Page protection allows writes: {@code vm_get_page_prot} gives RW only to shared writable VMAs. */
    boolean pageProtWritable() {
        return hasFlag(VmFlag.VM_SHARED) && hasFlag(VmFlag.VM_WRITE);
    }

    /** {@code __split_vma()}'s in-place adjustment of the original; mm only, under its locks. */
    void adjust(long newStart, long newEnd, long newPgoff) {
        this.vmStart = newStart;
        this.vmEnd = newEnd;
        this.vmPgoff = newPgoff;
    }

    private void assertWriteLocked(String fn) {
        if (mm != null && !mm.mmapWriteLockedByCurrentThread()) {
            throw new IllegalStateException(fn + " without the mmap lock held for writing "
                    + "(only an mmap handler may change vm_flags)");
        }
    }

    @Override
    public String toString() {
        VmOperations ops = vmOps;
        return String.format("vma[0x%x-0x%x %s %s %s]", vmStart, vmEnd, vmFlags(), pageProt,
                ops == null ? "anonymous" : ops.name());
    }
}
