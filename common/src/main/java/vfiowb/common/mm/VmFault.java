package vfiowb.common.mm;

import java.util.Objects;
import vfiowb.common.Models;
import vfiowb.common.trace.KernelProbe;

/**
 * {@code struct vm_fault}: one fault, offered to a handler at one order.
 *
 * <p>Simplification of the kernel's fields for handlers' convenience: {@link #address()} is the
 * faulting address aligned down to the order being tried, and {@link #pgoff()} is the file page
 * offset of that aligned address. The kernel passes the page-aligned faulting address in
 * {@code vmf->address} and its page offset in {@code vmf->pgoff}, and huge-fault handlers align
 * down themselves ({@code vfio_pci_mmap_huge_fault}); that address is {@link #faultAddress()}
 * here. For order 0 the two agree.
 *
 * <p>At a huge order the aligned block may leave the VMA: the fault path offers huge orders
 * without checking (as {@code __handle_mm_fault} does, "huge fault does the check in fault
 * handlers"), so handlers must check {@code address() >= vma.vmStart()} and
 * {@code address() + size <= vma.vmEnd()} and return FALLBACK, as vfio-pci does.
 */
@Models("include/linux/mm.h:struct vm_fault")
public final class VmFault {
    private final VmArea vma;
    private final long faultAddress;
    private final long address;
    private final boolean write;
    private final int order;

    /**
     * A fault at {@code faultAddress} (inside the VMA; any offset within the page) offered at
     * {@code order} (0, {@code PMD_ORDER} or {@code PUD_ORDER}).
     */
    public VmFault(VmArea vma, long faultAddress, boolean write, int order) {
        this.vma = Objects.requireNonNull(vma, "vma");
        if (!vma.contains(faultAddress)) {
            throw new IllegalStateException(String.format(
                    "fault address 0x%x outside %s", faultAddress, vma));
        }
        if (order < 0 || order + vma.arch().pageShift() >= 63) {
            throw new IllegalStateException("bad fault order " + order);
        }
        long pageSize = vma.arch().pageSize();
        this.faultAddress = faultAddress & -pageSize;
        this.address = faultAddress & -(pageSize << order);
        this.write = write;
        this.order = order;
    }

    public VmArea vma() {
        KernelProbe.here();
        return vma;
    }

    /** The faulting address aligned down to {@code PAGE_SIZE << order()}. */
    public long address() {
        KernelProbe.here();
        return address;
    }

    /** The faulting address aligned down to a page (the kernel's {@code vmf->address}). */
    public long faultAddress() {
        return faultAddress;
    }

    /**
     * {@code linear_page_index()} of {@link #address()}: {@code vm_pgoff} plus the page index of
     * the aligned address in the VMA (wrapping like the C if the aligned address lies below
     * {@code vm_start}).
     */
    public long pgoff() {
        KernelProbe.here();
        long pages = (address - vma.vmStart()) >> vma.arch().pageShift();
        return (vma.vmPgoff() + pages) & vma.arch().ulongMax();
    }

    /** {@code vmf->flags & FAULT_FLAG_WRITE}. */
    public boolean isWrite() {
        return write;
    }

    /** The order this fault is offered at: 0 for {@code ->fault}. */
    public int order() {
        return order;
    }

    /** {@code PAGE_SIZE << order()}. */
    public long size() {
        return vma.arch().pageSize() << order;
    }

    @Override
    public String toString() {
        return String.format("vm_fault[0x%x order %d%s in %s]", faultAddress, order,
                write ? " write" : "", vma);
    }
}
