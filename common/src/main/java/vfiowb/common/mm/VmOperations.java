package vfiowb.common.mm;

import vfiowb.common.Models;

/**
 * {@code struct vm_operations_struct}: the callbacks a driver hangs on a VMA in its mmap handler.
 *
 * <p>Only the members VFIO drivers use are modelled. A callback the kernel would find NULL is a
 * default method here that behaves like the NULL case: no {@code open}/{@code close} action,
 * {@code fault} gives {@code VM_FAULT_SIGBUS} (what {@code do_fault()} returns for a file VMA
 * without {@code ->fault}), {@code huge_fault} declines. A driver that implements
 * {@link #hugeFault} must also answer {@link #hasHugeFault} true, because the fault path only
 * tries huge orders when {@code ->huge_fault} is non-NULL.
 */
@Models("include/linux/mm.h:struct vm_operations_struct")
public interface VmOperations {

    /**
     * {@code vma_dummy_vm_ops}: what {@code vma_init()} gives every new VMA, so a file VMA whose
     * driver sets no ops (eager {@code remap_pfn_range} drivers) still has ops, all NULL.
     */
    VmOperations DUMMY = () -> "vma_dummy_vm_ops";

    /** {@code ->open}: a copy of the VMA was made (fork, or the new half of a split). */
    default void open(VmArea vma) {
    }

    /** {@code ->close}: the VMA is being removed (munmap, exit, or the unmapped half of a split). */
    default void close(VmArea vma) {
    }

    /** {@code ->fault}: a PTE-level fault at {@code vmf.faultAddress()}. */
    default VmFaultResult fault(VmFault vmf) {
        return VmFaultResult.SIGBUS;
    }

    /** {@code ->huge_fault}: a fault the core offers at {@code order} (PMD or PUD order). */
    default VmFaultResult hugeFault(VmFault vmf, int order) {
        return VmFaultResult.FALLBACK;
    }

    /** Whether {@code ->huge_fault} is set. */
    default boolean hasHugeFault() {
        return false;
    }

    /** The ops table's C name ({@code vfio_pci_mmap_ops}, ...), for narration. */
    String name();
}
