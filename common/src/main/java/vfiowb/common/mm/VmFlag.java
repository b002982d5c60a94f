package vfiowb.common.mm;

import vfiowb.common.Models;

/**
 * The {@code vm_flags} bits of a VMA that VFIO drivers and the mmap paths they meet read or set
 * (include/linux/mm.h). {@code VM_MAYREAD}, {@code VM_MAYWRITE} and {@code VM_MAYEXEC} are not
 * modelled: device files are opened {@code O_RDWR}, so the kernel would set all three.
 */
@Models("include/linux/mm.h:VM_READ")
public enum VmFlag {
    /** {@code PROT_READ} was asked for. */
    VM_READ,
    /** {@code PROT_WRITE} was asked for. */
    VM_WRITE,
    /** {@code PROT_EXEC} was asked for. */
    VM_EXEC,
    /** A {@code MAP_SHARED} mapping of a file opened for writing; absent for {@code MAP_PRIVATE}. */
    VM_SHARED,
    /** A {@code MAP_SHARED} mapping (kept even where {@code VM_SHARED} is dropped). */
    VM_MAYSHARE,
    /** Memory-mapped I/O: no core dumps of it, no {@code get_user_pages}. */
    VM_IO,
    /** Raw PFNs without {@code struct page} ({@code remap_pfn_range}, {@code vmf_insert_pfn}). */
    VM_PFNMAP,
    /** PFNs and pages mixed ({@code vm_insert_page} sets it). */
    VM_MIXEDMAP,
    /** {@code mremap} may not grow the mapping. */
    VM_DONTEXPAND,
    /** Left out of core dumps. */
    VM_DONTDUMP,
    /**
     * arm64 only in effect: KVM may map the range Normal-NC at stage 2, so a guest can use WC on
     * it although the host VMA is uncached.
     */
    VM_ALLOW_ANY_UNCACHED
}
