package vfiowb.common.mm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * vm_ops mapping a fixed PFN base the vfio-pci way, recording every order offered and every
 * open/close; {@link #fallbackOrders} makes it decline chosen orders.
 */
final class RecordingOps implements VmOperations {
    final long basePfn;
    final List<Integer> offered = Collections.synchronizedList(new ArrayList<>());
    /** {@code vmf->flags & FAULT_FLAG_WRITE} of each order offered. */
    final List<Boolean> writes = Collections.synchronizedList(new ArrayList<>());
    final List<VmArea> opened = new ArrayList<>();
    final List<VmArea> closed = new ArrayList<>();
    final List<Integer> fallbackOrders = new ArrayList<>();
    boolean huge = true;
    java.util.function.Consumer<VmArea> onOpen = vma -> { };

    RecordingOps(long basePfn) {
        this.basePfn = basePfn;
    }

    @Override
    public VmFaultResult fault(VmFault vmf) {
        return hugeFault(vmf, 0);
    }

    @Override
    public VmFaultResult hugeFault(VmFault vmf, int order) {
        offered.add(order);
        writes.add(vmf.isWrite());
        VmArea vma = vmf.vma();
        if (order > 0 && (vmf.address() < vma.vmStart() || vmf.address() + vmf.size() > vma.vmEnd())) {
            return VmFaultResult.FALLBACK;
        }
        long pfn = basePfn + vmf.pgoff();
        if (fallbackOrders.contains(order) || (pfn & ((1L << order) - 1)) != 0) {
            return VmFaultResult.FALLBACK;
        }
        Arch arch = vma.arch();
        if (order == 0) {
            return Memory.vmfInsertPfn(vma, vmf.address(), pfn);
        }
        if (order == arch.pmdOrder()) {
            return Memory.vmfInsertPfnPmd(vmf, pfn, vmf.isWrite());
        }
        return Memory.vmfInsertPfnPud(vmf, pfn, vmf.isWrite());
    }

    @Override
    public boolean hasHugeFault() {
        return huge;
    }

    @Override
    public void open(VmArea vma) {
        opened.add(vma);
        onOpen.accept(vma);
    }

    @Override
    public void close(VmArea vma) {
        closed.add(vma);
    }

    @Override
    public String name() {
        return "recording_ops";
    }
}
