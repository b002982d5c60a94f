package vfiowb.common.mm;

import vfiowb.common.Models;

/**
 * What a fault handler returns ({@code vm_fault_t}, include/linux/mm_types.h), reduced to the
 * outcomes VFIO handlers and the fault path produce.
 *
 * <p>The kernel's plain 0 ("the page is in {@code vmf->page}, map it") has no value here: a
 * page-backed handler maps the page itself with {@link Memory#finishFault} and returns
 * {@link #NOPAGE}, which leaves the same page-table entry behind.
 */
@Models("include/linux/mm_types.h:vm_fault_t")
public enum VmFaultResult {
    /** {@code VM_FAULT_NOPAGE}: the handler installed the entry; the access is retried. */
    NOPAGE("VM_FAULT_NOPAGE"),
    /** {@code VM_FAULT_SIGBUS}: the access gets SIGBUS. */
    SIGBUS("VM_FAULT_SIGBUS"),
    /** {@code VM_FAULT_FALLBACK}: a huge fault declined; the fault path tries the next order. */
    FALLBACK("VM_FAULT_FALLBACK"),
    /** {@code VM_FAULT_OOM}: out of memory (the model never runs out of page-table memory). */
    OOM("VM_FAULT_OOM"),
    /** {@code VM_FAULT_SIGSEGV}: the access gets SIGSEGV (also what a bad address or permission yields). */
    SIGSEGV("VM_FAULT_SIGSEGV");

    private final String kernelName;

    VmFaultResult(String kernelName) {
        this.kernelName = kernelName;
    }

    /** The kernel's name for this result. */
    public String kernelName() {
        return kernelName;
    }
}
