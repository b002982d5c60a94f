package vfiowb.common.userspace;

import java.util.Map;
import vfiowb.common.errno.KernelBugException;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.mm.PageTable;
import vfiowb.common.mm.PgProt;
import vfiowb.common.mm.VmArea;
import vfiowb.common.mm.VmFaultResult;

/**
 * What {@code mmap(2)} returned: a range of one process's address space. Loads and stores go
 * through that process's page tables as the CPU would: a missing entry faults
 * ({@link vfiowb.common.mm.MmStruct#handleMmFault}) and the access is retried; a present entry
 * reaches the host's physical memory (RAM or a device's MMIO) directly.
 *
 * <p>Offsets are relative to {@link #addr()} and may point outside the mapping (C pointer
 * arithmetic): whatever is mapped there is reached, and nothing there is SIGSEGV. An access is
 * 1, 2, 4 or 8 bytes and may not cross a page.
 *
 * <p>A fault that runs into a kernel bug (a {@code BUG_ON} in the fault path, an out-of-bounds
 * access in a fault handler) is answered with SIGSEGV carrying the bug
 * ({@link SegvException#kernelBug()}) and recorded in {@link Process#kernelBugs()}. SIGSEGV, not
 * SIGBUS: the real thread dies in the oops ({@code die()}, then {@code make_task_dead(SIGSEGV)}
 * on x86 and arm64), so SIGSEGV is what its parent would see it killed by, whereas SIGBUS is a
 * fault handler's deliberate {@code VM_FAULT_SIGBUS} answer. The model lets the process go on.
 */
public final class Mapping {
    /** A bound on refaults lost to concurrent zaps, so a livelock ends as a failure. */
    private static final int MAX_RETRIES = 1_000_000;

    private final Process process;
    private final long addr;
    private final long length;
    private final int prot;
    private final int flags;
    private final int fd;
    private final long offset;

    Mapping(Process process, long addr, long length, int prot, int flags, int fd, long offset) {
        this.process = process;
        this.addr = addr;
        this.length = length;
        this.prot = prot;
        this.flags = flags;
        this.fd = fd;
        this.offset = offset;
    }

    Mapping inProcess(Process other) {
        return new Mapping(other, addr, length, prot, flags, fd, offset);
    }

    public Process process() {
        return process;
    }

    /** The start address. */
    public long addr() {
        return addr;
    }

    /** The length asked for (the mapping covers it rounded up to pages). */
    public long length() {
        return length;
    }

    /** One past the last mapped byte: {@code addr + PAGE_ALIGN(length)}. */
    public long end() {
        return addr + process.arch().pageAlign(length);
    }

    public int prot() {
        return prot;
    }

    public int flags() {
        return flags;
    }

    /** The descriptor given to mmap; -1 for an anonymous mapping. */
    public int fd() {
        return fd;
    }

    /** The file offset given to mmap. */
    public long offset() {
        return offset;
    }

    /** The VMA now at {@link #addr()}, or null once unmapped. */
    public VmArea vma() {
        return process.mm().vmaLookup(addr);
    }

    /** Whether a VMA still covers {@link #addr()}. */
    public boolean isMapped() {
        return vma() != null;
    }

    /** The VMA's page protection as the driver left it; null once unmapped. */
    public PgProt pgprot() {
        VmArea v = vma();
        return v == null ? null : v.pageProt();
    }

    /**
     * Loads {@code width} bytes at {@code addr + offsetInMapping}, zero-extended.
     *
     * @throws SigbusException if the fault handler answers SIGBUS
     * @throws SegvException if nothing is mapped there, the protection forbids reading, or the
     *     fault ran into a kernel bug
     */
    public long load(long offsetInMapping, int width) {
        SyscallObserver o = process.observer();
        if (o == null) {
            return access(offsetInMapping, width, false, 0);
        }
        return process.observed(o, "load", () -> access(offsetInMapping, width, false, 0),
                this, offsetInMapping, width);
    }

    /**
     * Stores the low {@code width} bytes of {@code value} at {@code addr + offsetInMapping}.
     *
     * @throws SigbusException if the fault handler answers SIGBUS
     * @throws SegvException if nothing is mapped there, the protection forbids writing, or the
     *     fault ran into a kernel bug
     */
    public void store(long offsetInMapping, int width, long value) {
        SyscallObserver o = process.observer();
        if (o == null) {
            access(offsetInMapping, width, true, value);
            return;
        }
        process.observed(o, "store", () -> {
            access(offsetInMapping, width, true, value);
            return null;
        }, this, offsetInMapping, width, value);
    }

    private long access(long off, int width, boolean write, long value) {
        if (width != 1 && width != 2 && width != 4 && width != 8) {
            throw new IllegalArgumentException("access width must be 1, 2, 4 or 8: " + width);
        }
        Arch arch = process.arch();
        long va = addr + off;
        if ((va & -arch.pageSize()) != ((va + width - 1) & -arch.pageSize())) {
            throw new IllegalArgumentException(String.format(
                    "%d-byte access at 0x%x crosses a page", width, va));
        }
        PageTable pt = process.mm().pageTable();
        for (int tries = 0;; tries++) {
            PageTable.Entry e = pt.lookup(va);
            if (e != null && (!write || e.writable())) {
                long phys = (e.pfn() << arch.pageShift()) + (va - e.va());
                if (write) {
                    process.host().physicalMemory().write(phys, width, value);
                    return 0;
                }
                return process.host().physicalMemory().read(phys, width);
            }
            if (tries == MAX_RETRIES) {
                throw new IllegalStateException(String.format(
                        "fault at 0x%x lost to concurrent zaps %d times", va, tries));
            }
            faultAndCheck(pt, va, write);
        }
    }

    /** Faults once; a success that installed nothing, with no zap in between, is a driver bug. */
    private void faultAndCheck(PageTable pt, long va, boolean write) {
        long zaps = pt.zappedEntries();
        fault(va, write);
        PageTable.Entry e = pt.lookup(va);
        if ((e == null || (write && !e.writable())) && pt.zappedEntries() == zaps) {
            throw new IllegalStateException(String.format(
                    "the fault at 0x%x reported success without mapping it (%s)", va,
                    process.mm().vmaLookup(va)));
        }
    }

    private void fault(long va, boolean write) {
        VmFaultResult r;
        try {
            r = process.mm().handleMmFault(va, write);
        } catch (KernelBugException e) {
            process.recordKernelBug(e.bug());
            throw new SegvException(va, describe(va), e.bug());
        }
        switch (r) {
            case NOPAGE:
                return;
            case SIGBUS:
                throw new SigbusException(va, describe(va));
            case SIGSEGV:
                throw new SegvException(va, describe(va));
            default:
                throw new IllegalStateException(r.kernelName() + " from the fault at 0x"
                        + Long.toHexString(va) + " in " + process.mm().vmaLookup(va));
        }
    }

    /**
     * Faults in every page of the mapping in order, as reading one byte of each would, but
     * without touching the device: pages an earlier fault mapped (with a huge entry) are skipped.
     *
     * @return the faults taken
     * @throws SigbusException if a fault answers SIGBUS
     */
    public long touchAll() {
        return touch(0, end() - addr);
    }

    /**
     * {@link #touchAll()} for the pages of {@code [from, to)} (offsets in the mapping, page
     * aligned): a caller can fault a large mapping in a piece at a time and read the entries
     * each piece took.
     *
     * @return the faults taken
     * @throws IllegalArgumentException if the range is not page aligned or not inside the
     *     mapping
     * @throws SigbusException if a fault answers SIGBUS
     */
    public long touch(long from, long to) {
        Arch arch = process.arch();
        if (from < 0 || to < from || to > end() - addr || !arch.isPageAligned(from)
                || !arch.isPageAligned(to)) {
            throw new IllegalArgumentException(String.format(
                    "touch [0x%x, 0x%x) is not a page-aligned range inside the mapping of 0x%x",
                    from, to, end() - addr));
        }
        PageTable pt = process.mm().pageTable();
        long faults = 0;
        long end = addr + to;
        long va = addr + from;
        while (va < end) {
            PageTable.Entry e = pt.lookup(va);
            if (e != null) {
                va = e.end();
                continue;
            }
            faultAndCheck(pt, va, false);
            faults++;
        }
        return faults;
    }

    /** Page-table leaf counts per level for entries intersecting this mapping's range. */
    public Map<PageTable.Level, Long> pageTableEntries() {
        return process.mm().pageTable().entriesByLevel(addr, end());
    }

    @Override
    public String toString() {
        return String.format("mmap(0x%x, 0x%x, %s, %s, %d, 0x%x)", addr, length,
                Mman.protToString(prot), Mman.flagsToString(flags), fd, offset);
    }

    private String describe(long va) {
        VmArea v = process.mm().vmaLookup(va);
        return v == null ? "unmapped" : v.toString();
    }
}
