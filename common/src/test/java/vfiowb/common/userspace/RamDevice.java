package vfiowb.common.userspace;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import vfiowb.common.hw.Device;
import vfiowb.common.hw.SystemBus;
import vfiowb.common.mm.AddressSpace;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Memory;
import vfiowb.common.mm.VmArea;
import vfiowb.common.mm.VmFault;
import vfiowb.common.mm.VmFaultResult;
import vfiowb.common.mm.VmFlag;
import vfiowb.common.mm.VmOperations;

/**
 * A test device: one RAM window on a {@link SystemBus}, mapped the way vfio-pci maps a BAR
 * ({@link Mode#LAZY}: huge faults, SIGBUS while memory is disabled), the way vfio-platform does
 * ({@link Mode#EAGER}: {@code remap_pfn_range} at mmap time), or by a broken driver that
 * installs entries and then fails ({@link Mode#FAILING}).
 */
final class RamDevice implements Device {
    enum Mode { LAZY, EAGER, FAILING }

    final String name;
    final Arch arch;
    final long size;
    final long phys;
    final Mode mode;
    final AddressSpace mapping;
    final SparseRam ram = new SparseRam();
    volatile boolean memoryEnabled = true;
    volatile boolean zapOnOpen;
    final AtomicInteger opens = new AtomicInteger();
    final AtomicInteger releases = new AtomicInteger();
    final AtomicInteger mmapCalls = new AtomicInteger();
    final AtomicInteger vmOpens = new AtomicInteger();
    final AtomicInteger vmCloses = new AtomicInteger();
    /** Faults that reached the insert step, indexed by order (0..63). */
    final AtomicLongArray faultsByOrder = new AtomicLongArray(64);
    volatile Set<VmFlag> lastMmapFlags = EnumSet.noneOf(VmFlag.class);

    RamDevice(String name, Arch arch, SystemBus bus, long size, long align, Mode mode) {
        this.name = name;
        this.arch = arch;
        this.size = size;
        this.mode = mode;
        this.phys = bus.place(SystemBus.Window.RAM, size, align, ram);
        this.mapping = new AddressSpace(arch, name);
    }

    @Override
    public String name() {
        return name;
    }

    long basePfn() {
        return phys >>> arch.pageShift();
    }

    long faults(int order) {
        return faultsByOrder.get(order);
    }

    long totalFaults() {
        long n = 0;
        for (int i = 0; i < faultsByOrder.length(); i++) {
            n += faultsByOrder.get(i);
        }
        return n;
    }

    /** What a reset does to mappings: zap the whole device range in every process. */
    long zapAll() {
        return Memory.unmapMappingRange(mapping, 0, 0, true);
    }

    /** vfio-pci-like vm_ops: PTE, PMD and PUD faults with vfio_pci_mmap_huge_fault's checks. */
    final VmOperations lazyOps = new VmOperations() {
        @Override
        public VmFaultResult fault(VmFault vmf) {
            return hugeFault(vmf, 0);
        }

        @Override
        public VmFaultResult hugeFault(VmFault vmf, int order) {
            VmArea vma = vmf.vma();
            long addr = vmf.address();
            if (order > 0 && (addr < vma.vmStart() || addr + vmf.size() > vma.vmEnd())) {
                return VmFaultResult.FALLBACK;
            }
            long pfn = basePfn() + vmf.pgoff();
            if (order > 0 && (pfn & ((1L << order) - 1)) != 0) {
                return VmFaultResult.FALLBACK;
            }
            if (!memoryEnabled) {
                return VmFaultResult.SIGBUS;
            }
            faultsByOrder.incrementAndGet(order);
            if (order == 0) {
                return Memory.vmfInsertPfn(vma, addr, pfn);
            }
            if (order == arch.pmdOrder()) {
                return Memory.vmfInsertPfnPmd(vmf, pfn, false);
            }
            if (order == arch.pudOrder()) {
                return Memory.vmfInsertPfnPud(vmf, pfn, false);
            }
            return VmFaultResult.FALLBACK;
        }

        @Override
        public boolean hasHugeFault() {
            return true;
        }

        @Override
        public void open(VmArea vma) {
            vmOpens.incrementAndGet();
            if (zapOnOpen) {
                Memory.zapVmaPtes(vma, vma.vmStart(), vma.length());
            }
        }

        @Override
        public void close(VmArea vma) {
            vmCloses.incrementAndGet();
        }

        @Override
        public String name() {
            return "ram_mmap_ops";
        }
    };
}
