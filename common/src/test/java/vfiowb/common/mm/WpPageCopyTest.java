package vfiowb.common.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.mm.Mman.MAP_FIXED;
import static vfiowb.common.mm.Mman.MAP_PRIVATE;
import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.PROT_READ;
import static vfiowb.common.mm.Mman.PROT_WRITE;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vfiowb.common.NotModelledException;
import vfiowb.common.errno.Errno;
import vfiowb.common.mm.PageTable.Entry;
import vfiowb.common.mm.PageTable.Level;

/**
 * Copy-on-write of a private PFN mapping (mm/memory.c: do_wp_page, wp_page_copy,
 * __wp_page_copy_user) and its write protection at fork (copy_present_pte): a store to a
 * read-only entry of a private mapping gets a private copy of the page, and the device page
 * behind it never changes.
 */
class WpPageCopyTest {
    private static final long PAGE = 4096;
    private static final long VA = 0x40_0000_0000L;
    /** Where the device's pages are. */
    private static final long DEV = 0x80_0000_0000L;
    /** Where RAM pages are handed out. */
    private static final long RAM = 0x1_0000_0000L;

    /** 8-byte words of memory, device and RAM alike; allocPage hands out RAM pages in order. */
    private static final class Machine implements PhysicalMemory {
        final Map<Long, Long> words = new HashMap<>();
        long next = RAM;

        @Override
        public long read(long physAddr, int width) {
            return words.getOrDefault(physAddr, 0L);
        }

        @Override
        public void write(long physAddr, int width, long value) {
            words.put(physAddr, value);
        }

        @Override
        public boolean isBacked(long physAddr) {
            return true;
        }

        @Override
        public long allocPage(long pageSize) {
            long p = next;
            next += pageSize;
            return p;
        }
    }

    private final Machine machine = new Machine();

    /** A private 2-page mapping of the device remapped eagerly (remap_pfn_range), as a COW one. */
    private MmStruct privateRemap(Machine m, int flags) {
        MmStruct mm = new MmStruct(Arch.X86_64, m);
        TestFile f = new TestFile(Arch.X86_64, v -> Memory.remapPfnRange(v, v.vmStart(),
                DEV >>> 12, v.length(), PgProt.UC));
        long ret = mm.doMmap(f, VA, 2 * PAGE, PROT_READ | PROT_WRITE, flags | MAP_FIXED, 0);
        assertFalse(Errno.isError(ret), () -> Errno.name((int) -ret));
        return mm;
    }

    @Test
    void aStoreToAPrivatePfnMappingCopiesThePage() {
        machine.write(DEV + 8, 8, 0x1111);
        machine.write(DEV + PAGE - 8, 8, 0x2222);
        machine.write(DEV + PAGE, 8, 0x3333);
        MmStruct mm = privateRemap(machine, MAP_PRIVATE);
        Entry before = mm.pageTable().lookup(VA);
        assertFalse(before.writable(), "a private mapping's entries are read-only");
        assertEquals(VmFaultResult.NOPAGE, mm.handleMmFault(VA + 16, false), "a load is fine");
        assertEquals(before, mm.pageTable().lookup(VA));

        assertEquals(VmFaultResult.NOPAGE, mm.handleMmFault(VA + 16, true));
        Entry after = mm.pageTable().lookup(VA);
        assertEquals(RAM >>> 12, after.pfn(), "a new page");
        assertTrue(after.writable());
        assertFalse(after.special(), "page-backed, no longer a raw PFN");
        assertEquals(Level.PTE, after.level());
        assertEquals(VA, after.va());
        assertEquals(0x1111, machine.read(RAM + 8, 8), "the contents were copied");
        assertEquals(0x2222, machine.read(RAM + PAGE - 8, 8), "up to the page's last word");
        assertEquals(0, machine.read(RAM, 8));
        assertEquals(0x1111, machine.read(DEV + 8, 8), "the device page is untouched");
        assertEquals(before.pfn() + 1, mm.pageTable().lookup(VA + PAGE).pfn(),
                "the second page still maps the device");
        assertEquals(VmFaultResult.NOPAGE, mm.handleMmFault(VA + 24, true),
                "the copy is writable: no second copy");
        assertEquals(RAM >>> 12, mm.pageTable().lookup(VA).pfn());
        assertEquals(RAM + PAGE, machine.next);
    }

    /**
     * At fork a writable entry of a COW mapping is write-protected in parent and child
     * (copy_present_pte), so the next store in either copies again; the copies are each
     * process's own.
     */
    @Test
    void forkWriteProtectsTheCopyInBothProcesses() {
        machine.write(DEV, 8, 0x77);
        MmStruct parent = privateRemap(machine, MAP_PRIVATE);
        parent.handleMmFault(VA, true);
        machine.write(RAM, 8, 0x78);
        MmStruct child = parent.dupMmap();
        Entry p = parent.pageTable().lookup(VA);
        Entry c = child.pageTable().lookup(VA);
        assertFalse(p.writable());
        assertFalse(c.writable());
        assertEquals(p, c);
        assertFalse(child.pageTable().lookup(VA + PAGE).writable());

        assertEquals(VmFaultResult.NOPAGE, child.handleMmFault(VA, true));
        long childPfn = child.pageTable().lookup(VA).pfn();
        assertNotEquals(RAM >>> 12, childPfn);
        assertEquals(0x78, machine.read(childPfn << 12, 8), "the child copies the parent's copy");
        assertFalse(parent.pageTable().lookup(VA).writable(), "the parent's entry is its own");
    }

    /** A shared mapping's entries stay writable at fork: nothing to copy later. */
    @Test
    void forkLeavesSharedEntriesWritable() {
        MmStruct parent = privateRemap(machine, MAP_SHARED);
        assertTrue(parent.pageTable().lookup(VA).writable());
        MmStruct child = parent.dupMmap();
        assertTrue(parent.pageTable().lookup(VA).writable());
        assertTrue(child.pageTable().lookup(VA).writable());
    }

    /** What the model leaves out throws instead of guessing. */
    @Test
    void theWriteProtectFaultsNotModelledSaySo() {
        MmStruct noRam = privateRemap(null, MAP_PRIVATE);
        assertThrows(NotModelledException.class, () -> noRam.handleMmFault(VA, true),
                "no RAM to copy into");
        MmStruct mm = new MmStruct(Arch.X86_64, machine);
        RecordingOps ops = new RecordingOps(DEV >>> 12);
        TestFile mixed = new TestFile(Arch.X86_64, v -> {
            v.vmFlagsSet(VmFlag.VM_MIXEDMAP);
            v.setVmOps(ops);
            return 0;
        });
        assertEquals(VA, mm.doMmap(mixed, VA, 512 * PAGE, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_FIXED, 0));
        assertEquals(VmFaultResult.NOPAGE, mm.handleMmFault(VA, false));
        assertEquals(Level.PMD, mm.pageTable().lookup(VA).level());
        assertFalse(mm.pageTable().lookup(VA).writable());
        assertThrows(NotModelledException.class, () -> mm.handleMmFault(VA, true),
                "copy-on-write of a huge entry");
    }
}
