package vfiowb.common.mm;

import vfiowb.common.Models;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.errno.KernelBugException;
import vfiowb.common.mm.PageTable.Entry;
import vfiowb.common.mm.PageTable.Level;
import vfiowb.common.trace.KernelProbe;

/**
 * The mm/memory.c, mm/huge_memory.c and mm/vmalloc.c entry points drivers call to populate or
 * revoke a mapping: fault-time inserts, mmap-time remaps, and zapping.
 *
 * <p>Where the kernel {@code BUG()}s or would silently corrupt another mapping (an entry outside
 * the VMA, a huge entry whose PFN is not aligned, a huge level the architecture lacks) the model
 * throws {@link IllegalStateException}: no upstream caller the model reproduces gets there, so
 * reaching one is a bug in the modelled driver. The exception is the {@code BUG_ON} against a
 * private (copy-on-write) {@code VM_PFNMAP} VMA in the PFN inserts: nvgrace-gpu's fake-BAR
 * mmap accepts {@code MAP_PRIVATE}, so userspace reaches it upstream, and it is raised as the
 * {@link KernelBug} it is. Return values are the kernel's: {@code vm_fault_t} for fault-time
 * inserts, 0 or a negative errno otherwise.
 *
 * <p>Writability of a new entry follows {@code vm_page_prot}, which {@code vm_get_page_prot()}
 * makes read-write only for shared writable VMAs; private mappings would need copy-on-write,
 * which is not modelled.
 */
public final class Memory {
    private Memory() {}

    /**
     * {@code vmf_insert_pfn(vma, addr, pfn)}: one special PTE with the VMA's protection.
     * SIGBUS if {@code addr} lies outside the VMA (the kernel's check); an address that is
     * already mapped (by a PTE or, after a race, a huge entry) is left alone and NOPAGE returned.
     */
    @Models("mm/memory.c:vmf_insert_pfn")
    public static VmFaultResult vmfInsertPfn(VmArea vma, long addr, long pfn) {
        KernelProbe.here();
        return vmfInsertPfnProt(vma, addr, pfn, vma.pageProt());
    }

    /**
     * {@code vmf_insert_pfn_prot()}: as {@link #vmfInsertPfn} with an explicit protection, whose
     * cache mode x86 replaces by the PFN's tracked memory type ({@link PatMemtype#trackPfnInsert}).
     *
     * @throws KernelBugException for a private {@code VM_PFNMAP} VMA: the kernel's
     *     {@code BUG_ON}
     */
    @Models("mm/memory.c:vmf_insert_pfn_prot")
    public static VmFaultResult vmfInsertPfnProt(VmArea vma, long addr, long pfn, PgProt prot) {
        KernelProbe.here();
        checkPfnmapVma(vma, "mm/memory.c:vmf_insert_pfn_prot");
        if (!vma.contains(addr)) {
            return VmFaultResult.SIGBUS;
        }
        Arch arch = vma.arch();
        if (!arch.isPageAligned(addr)) {
            throw new IllegalStateException("vmf_insert_pfn at unaligned 0x" + Long.toHexString(addr));
        }
        PageTable pt = pageTable(vma);
        if (pt.lookup(addr) == null) {
            pt.install(new Entry(addr, Level.PTE, arch.pageSize(), pfn,
                    PatMemtype.trackPfnInsert(vma, prot, pfn), vma.pageProtWritable(), true));
        }
        return VmFaultResult.NOPAGE;
    }

    /**
     * {@code vmf_insert_pfn_pmd(vmf, pfn, write)}: one special PMD leaf at {@code vmf.address()}
     * mapping {@code PMD_SIZE} from {@code pfn}, with the VMA's protection (on x86, its cache
     * mode replaced as {@link #vmfInsertPfnProt} does). If the slot is not empty (a leaf, or a PTE
     * table) nothing is installed and NOPAGE is returned, as {@code insert_pfn_pmd()} does; the
     * retried access then faults at PTE level.
     *
     * @throws IllegalStateException if the arch has no PMD pfnmap, the address or PFN is not
     *     PMD aligned, or the block leaves the VMA: all driver bugs
     * @throws KernelBugException for a private {@code VM_PFNMAP} VMA: the kernel's
     *     {@code BUG_ON}
     */
    @Models("mm/huge_memory.c:vmf_insert_pfn_pmd")
    public static VmFaultResult vmfInsertPfnPmd(VmFault vmf, long pfn, boolean write) {
        KernelProbe.here();
        return insertHuge(vmf, pfn, write, Level.PMD);
    }

    /** {@code vmf_insert_pfn_pud(vmf, pfn, write)}: as {@link #vmfInsertPfnPmd} at PUD level. */
    @Models("mm/huge_memory.c:vmf_insert_pfn_pud")
    public static VmFaultResult vmfInsertPfnPud(VmFault vmf, long pfn, boolean write) {
        KernelProbe.here();
        return insertHuge(vmf, pfn, write, Level.PUD);
    }

    private static VmFaultResult insertHuge(VmFault vmf, long pfn, boolean write, Level level) {
        VmArea vma = vmf.vma();
        Arch arch = vma.arch();
        String fn = level == Level.PMD ? "mm/huge_memory.c:vmf_insert_pfn_pmd"
                : "mm/huge_memory.c:vmf_insert_pfn_pud";
        boolean supported = level == Level.PMD ? arch.hugePmdPfnmap() : arch.hugePudPfnmap();
        if (!supported) {
            throw new IllegalStateException(fn + " on " + arch.cliName()
                    + ", which has no " + level + " pfnmap");
        }
        long size = level == Level.PMD ? arch.pmdSize() : arch.pudSize();
        long addr = vmf.address();
        if ((addr & (size - 1)) != 0) {
            throw new IllegalStateException(String.format("%s at 0x%x not %s aligned", fn, addr,
                    level));
        }
        long pagesPer = size >>> arch.pageShift();
        if ((pfn & (pagesPer - 1)) != 0) {
            throw new IllegalStateException(String.format(
                    "%s with pfn 0x%x not aligned to %d pages", fn, pfn, pagesPer));
        }
        checkPfnmapVma(vma, fn);
        if (Long.compareUnsigned(addr, vma.vmStart()) < 0
                || Long.compareUnsigned(addr, vma.vmEnd()) >= 0) {
            return VmFaultResult.SIGBUS;
        }
        if (Long.compareUnsigned(addr + size, vma.vmEnd()) > 0) {
            throw new IllegalStateException(String.format(
                    "%s at 0x%x would map past vm_end 0x%x", fn, addr, vma.vmEnd()));
        }
        PageTable pt = pageTable(vma);
        boolean slotEmpty = level == Level.PMD ? pt.pmdNone(addr) : pt.pudNone(addr);
        if (slotEmpty && pt.lookup(addr) == null) {
            boolean writable = vma.pageProtWritable() || (write && vma.hasFlag(VmFlag.VM_WRITE));
            pt.install(new Entry(addr, level, size, pfn,
                    PatMemtype.trackPfnInsert(vma, vma.pageProt(), pfn), writable, true));
        }
        return VmFaultResult.NOPAGE;
    }

    /**
     * {@code remap_pfn_range(vma, addr, pfn, size, prot)}: eagerly installs PTEs (never huge
     * entries) for {@code PAGE_ALIGN(size)} bytes from {@code addr}, and marks the VMA
     * {@code VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP}. For a COW (private) mapping the
     * range must be the whole VMA and {@code vm_pgoff} becomes {@code pfn}, as the kernel does so
     * that such a VMA can be recognised later.
     *
     * <p>-EINVAL for an unaligned {@code addr} or a partial COW mapping. PAT memtype tracking
     * ({@code track_pfn_remap}) is not modelled.
     *
     * @throws IllegalStateException for an empty range, a range outside the VMA (the kernel does
     *     not check and would overwrite a neighbour) or an address already mapped ({@code BUG_ON})
     */
    @Models("mm/memory.c:remap_pfn_range")
    public static int remapPfnRange(VmArea vma, long addr, long pfn, long size, PgProt prot) {
        KernelProbe.here();
        Arch arch = vma.arch();
        long end = addr + arch.pageAlign(size);
        if (!arch.isPageAligned(addr)) {
            return -Errno.EINVAL;
        }
        if (vma.isCowMapping()) {
            if (addr != vma.vmStart() || end != vma.vmEnd()) {
                return -Errno.EINVAL;
            }
            vma.setVmPgoff(pfn);
        }
        vma.vmFlagsSet(VmFlag.VM_IO, VmFlag.VM_PFNMAP, VmFlag.VM_DONTEXPAND, VmFlag.VM_DONTDUMP);
        if (Long.compareUnsigned(addr, end) >= 0) {
            throw new IllegalStateException("remap_pfn_range of an empty range");
        }
        if (Long.compareUnsigned(addr, vma.vmStart()) < 0
                || Long.compareUnsigned(end, vma.vmEnd()) > 0) {
            throw new IllegalStateException(String.format(
                    "remap_pfn_range 0x%x-0x%x outside %s", addr, end, vma));
        }
        PageTable pt = pageTable(vma);
        if (!pt.entries(addr, end).isEmpty()) {
            throw new IllegalStateException("remap_pfn_range over present entries: "
                    + pt.entries(addr, end).get(0));
        }
        long page = arch.pageSize();
        boolean writable = vma.pageProtWritable();
        for (long va = addr, p = pfn; va != end; va += page, p++) {
            pt.install(new Entry(va, Level.PTE, page, p, prot, writable, true));
        }
        return 0;
    }

    /**
     * {@code io_remap_pfn_range()}: {@link #remapPfnRange} with {@code pgprot_decrypted}, which
     * the model does not distinguish.
     */
    @Models("include/linux/mm.h:io_remap_pfn_range")
    public static int ioRemapPfnRange(VmArea vma, long addr, long pfn, long size, PgProt prot) {
        KernelProbe.here();
        return remapPfnRange(vma, addr, pfn, size, prot);
    }

    /**
     * {@code vm_insert_page(vma, addr, page)}: maps one page-backed page (its physical address
     * here) with the VMA's protection. -EFAULT outside the VMA, -EBUSY if already mapped. Marks
     * the VMA {@code VM_MIXEDMAP} the first time, which needs the mmap lock held for writing:
     * the kernel meant this for mmap handlers, not faults.
     *
     * @throws IllegalStateException on a VM_PFNMAP VMA ({@code BUG_ON}) or an unaligned address
     */
    @Models("mm/memory.c:vm_insert_page")
    public static int vmInsertPage(VmArea vma, long addr, long physPageAddr) {
        KernelProbe.here();
        if (!vma.contains(addr)) {
            return -Errno.EFAULT;
        }
        Arch arch = vma.arch();
        if (!arch.isPageAligned(addr) || !arch.isPageAligned(physPageAddr)) {
            throw new IllegalStateException(String.format(
                    "vm_insert_page at 0x%x of page 0x%x: not page aligned", addr, physPageAddr));
        }
        if (!vma.hasFlag(VmFlag.VM_MIXEDMAP)) {
            if (vma.hasFlag(VmFlag.VM_PFNMAP)) {
                throw new IllegalStateException("vm_insert_page into a VM_PFNMAP VMA " + vma);
            }
            vma.vmFlagsSet(VmFlag.VM_MIXEDMAP);
        }
        PageTable pt = pageTable(vma);
        if (pt.lookup(addr) != null) {
            return -Errno.EBUSY;
        }
        pt.install(new Entry(addr, Level.PTE, arch.pageSize(), physPageAddr >>> arch.pageShift(),
                vma.pageProt(), vma.pageProtWritable(), false));
        return 0;
    }

    /**
     * What the core does when {@code ->fault} returns 0 with {@code vmf->page} set
     * ({@code finish_fault()}): maps that page at the faulting address with the VMA's
     * protection. A page-backed handler (mbochs) calls this and returns its result.
     */
    @Models("mm/memory.c:finish_fault")
    public static VmFaultResult finishFault(VmFault vmf, long physPageAddr) {
        KernelProbe.here();
        VmArea vma = vmf.vma();
        Arch arch = vma.arch();
        if (vmf.order() != 0) {
            throw new IllegalStateException("finish_fault for a huge fault " + vmf);
        }
        if (!arch.isPageAligned(physPageAddr)) {
            throw new IllegalStateException("page address 0x" + Long.toHexString(physPageAddr)
                    + " not page aligned");
        }
        PageTable pt = pageTable(vma);
        if (pt.lookup(vmf.faultAddress()) == null) {
            pt.install(new Entry(vmf.faultAddress(), Level.PTE, arch.pageSize(),
                    physPageAddr >>> arch.pageShift(), vma.pageProt(), vma.pageProtWritable(),
                    false));
        }
        return VmFaultResult.NOPAGE;
    }

    /**
     * {@code remap_vmalloc_range(vma, addr, pgoff)}: maps the whole VMA from page {@code pgoff}
     * of a {@code vmalloc_user()} area with {@code vm_insert_page}, then sets
     * {@code VM_DONTEXPAND | VM_DONTDUMP}. -EINVAL if the area is too small or the offset
     * overflows.
     *
     * <p>The model's vmalloc area is physically contiguous (RAM at {@code areaPhys}); the
     * kernel's is contiguous only virtually, which no userspace observer can tell apart.
     */
    @Models("mm/vmalloc.c:remap_vmalloc_range")
    public static int remapVmallocRange(VmArea vma, long areaPhys, long areaSize, long pgoff) {
        KernelProbe.here();
        Arch arch = vma.arch();
        long ulongMax = arch.ulongMax();
        if (Long.compareUnsigned(pgoff, ulongMax >>> arch.pageShift()) > 0) {
            return -Errno.EINVAL;
        }
        long off = pgoff << arch.pageShift();
        long size = arch.pageAlign(vma.length());
        if (!arch.isPageAligned(areaPhys)) {
            return -Errno.EINVAL;
        }
        long endIndex = (size + off) & ulongMax;
        if (Long.compareUnsigned(endIndex, size) < 0 || Long.compareUnsigned(endIndex, areaSize) > 0) {
            return -Errno.EINVAL;
        }
        long uaddr = vma.vmStart();
        long kaddr = areaPhys + off;
        for (long done = 0; done < size; done += arch.pageSize()) {
            int ret = vmInsertPage(vma, uaddr + done, kaddr + done);
            if (ret != 0) {
                return ret;
            }
        }
        vma.vmFlagsSet(VmFlag.VM_DONTEXPAND, VmFlag.VM_DONTDUMP);
        return 0;
    }

    /**
     * {@code remap_vmalloc_range()} without the area size: the caller (mdpy) has already checked
     * that the VMA fits its buffer, so only the mapping is modelled.
     */
    @Models("mm/vmalloc.c:remap_vmalloc_range")
    public static int remapVmallocRange(VmArea vma, long areaPhys, long pgoff) {
        long off = pgoff << vma.arch().pageShift();
        return remapVmallocRange(vma, areaPhys, off + vma.arch().pageAlign(vma.length()), pgoff);
    }

    /**
     * {@code unmap_mapping_range(mapping, holebegin, holelen, even_cows)}; see
     * {@link AddressSpace#unmapMappingRange}.
     *
     * @return page-table entries cleared
     */
    @Models("mm/memory.c:unmap_mapping_range")
    public static long unmapMappingRange(AddressSpace mapping, long holebegin, long holelen,
            boolean evenCows) {
        KernelProbe.here();
        return mapping.unmapMappingRange(holebegin, holelen, evenCows);
    }

    /**
     * {@code zap_vma_ptes(vma, address, size)}: clears a range of one VM_PFNMAP VMA; silently
     * does nothing if the range is not inside the VMA or the VMA is not VM_PFNMAP.
     */
    @Models("mm/memory.c:zap_vma_ptes")
    public static void zapVmaPtes(VmArea vma, long address, long size) {
        KernelProbe.here();
        long end = address + size;
        if (Long.compareUnsigned(address, vma.vmStart()) < 0
                || Long.compareUnsigned(end, vma.vmEnd()) > 0
                || Long.compareUnsigned(address, end) > 0
                || !vma.hasFlag(VmFlag.VM_PFNMAP)) {
            return;
        }
        pageTable(vma).zap(address, end);
    }

    /**
     * The {@code BUG_ON}s the PFN insert functions share, {@code fn} being the
     * {@code file:function} of the caller. The flag mix-ups are model invariants (no modelled
     * driver sets them so); the copy-on-write one is reachable from userspace (see the class
     * comment) and is a {@link KernelBug}.
     */
    private static void checkPfnmapVma(VmArea vma, String fn) {
        boolean pfnmap = vma.hasFlag(VmFlag.VM_PFNMAP);
        boolean mixed = vma.hasFlag(VmFlag.VM_MIXEDMAP);
        if (!pfnmap && !mixed) {
            throw new IllegalStateException(fn + " into a VMA without VM_PFNMAP or VM_MIXEDMAP: "
                    + vma);
        }
        if (pfnmap && mixed) {
            throw new IllegalStateException(fn + " into a VMA with both VM_PFNMAP and VM_MIXEDMAP");
        }
        if (pfnmap && vma.isCowMapping()) {
            throw new KernelBugException(fn, KernelBug.Kind.BUG_ON, "a PFN inserted into a "
                    + "private (copy-on-write) VM_PFNMAP mapping: the driver's mmap accepted "
                    + "MAP_PRIVATE" + ops(vma));
        }
    }

    private static String ops(VmArea vma) {
        return vma.vmOps() == null ? "" : " (vm_ops " + vma.vmOps().name() + ")";
    }

    private static PageTable pageTable(VmArea vma) {
        MmStruct mm = vma.vmMm();
        if (mm == null) {
            throw new IllegalStateException("detached VMA has no page table: " + vma);
        }
        return mm.pageTable();
    }
}
