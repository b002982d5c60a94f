package vfiowb.common.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.mm.Mman.MAP_FIXED;
import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.PROT_READ;
import static vfiowb.common.mm.Mman.PROT_WRITE;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import vfiowb.common.errno.Errno;

/**
 * What a fault handler is handed ({@code struct vm_fault}) and the VMA fields fork copies
 * ({@code vm_area_dup}).
 */
class VmFaultTest {
    private static final long PAGE = 4096;
    private static final long VA = 0x40_0000_0000L;

    private static VmArea vma(Arch arch, long start, long end, long pgoff) {
        return new VmArea(arch, start, end, pgoff, EnumSet.of(VmFlag.VM_SHARED));
    }

    /**
     * linear_page_index of the address aligned to the order: vm_pgoff plus the pages from
     * vm_start, wrapping like the C unsigned long when the aligned address lies below vm_start.
     */
    @Test
    void thePgoffOfTheAlignedAddressWrapsLikeTheC() {
        VmArea v = vma(Arch.X86_64, VA + PAGE, VA + 4 * 1024 * 1024, 5);
        VmFault pmd = new VmFault(v, VA + 3 * PAGE + 7, true, 9);
        assertEquals(VA, pmd.address());
        assertEquals(VA + 3 * PAGE, pmd.faultAddress());
        assertEquals(4, pmd.pgoff(), "one page below vm_start");
        assertEquals(2L << 20, pmd.size());
        assertEquals(9, pmd.order());
        assertTrue(pmd.isWrite());
        assertSame(v, pmd.vma());
        VmFault pte = new VmFault(v, VA + 3 * PAGE + 7, false, 0);
        assertEquals(VA + 3 * PAGE, pte.address());
        assertEquals(7, pte.pgoff());
        assertEquals(PAGE, pte.size());
        assertFalse(pte.isWrite());
        VmArea low = vma(Arch.I386, 0x4000_1000L, 0x4040_0000L, 0);
        assertEquals(0xFFFF_FFFFL, new VmFault(low, 0x4000_1000L, false, 9).pgoff());
        VmArea high = vma(Arch.X86_64, VA + PAGE, VA + 2 * PAGE, -1L);
        assertEquals(-1L, new VmFault(high, VA + PAGE, false, 0).pgoff());
    }

    /** A fault outside its VMA or at a negative order is a model bug. */
    @Test
    void aFaultOutsideItsVmaIsAModelBug() {
        VmArea v = vma(Arch.X86_64, VA, VA + PAGE, 0);
        assertThrows(IllegalStateException.class, () -> new VmFault(v, VA + PAGE, false, 0));
        assertThrows(IllegalStateException.class, () -> new VmFault(v, VA - 1, false, 0));
        assertThrows(IllegalStateException.class, () -> new VmFault(v, VA, false, -1));
        assertThrows(IllegalStateException.class, () -> new VmFault(v, VA, false, 51));
        assertEquals(VA, new VmFault(v, VA + PAGE - 1, false, 0).faultAddress());
    }

    /**
     * A VMA's bounds are page aligned and non-empty, its pgoff an unsigned long of the arch;
     * [vm_start, vm_end) contains vm_start and not vm_end.
     */
    @Test
    void aVmasBoundsAndPgoff() {
        assertThrows(IllegalArgumentException.class, () -> vma(Arch.X86_64, VA + 1, VA + PAGE, 0));
        assertThrows(IllegalArgumentException.class, () -> vma(Arch.X86_64, VA, VA + PAGE + 1, 0));
        assertThrows(IllegalArgumentException.class, () -> vma(Arch.X86_64, VA, VA, 0));
        assertThrows(IllegalArgumentException.class, () -> vma(Arch.I386, PAGE, 2 * PAGE, 1L << 32));
        VmArea v = vma(Arch.I386, PAGE, 3 * PAGE, 0xFFFF_FFFFL);
        assertTrue(v.contains(PAGE));
        assertTrue(v.contains(3 * PAGE - 1));
        assertFalse(v.contains(3 * PAGE));
        assertFalse(v.contains(PAGE - 1));
        assertEquals(2, v.vmaPages());
    }

    /**
     * vm_area_dup at fork copies the protection, ops and private data the driver set; the
     * flags the driver may clear in its mmap handler stay cleared.
     */
    @Test
    void forkCopiesWhatTheDriverSet() {
        MmStruct mm = new MmStruct(Arch.X86_64);
        Object priv = new Object();
        RecordingOps ops = new RecordingOps(0);
        TestFile f = new TestFile(Arch.X86_64, v -> {
            v.vmFlagsSet(VmFlag.VM_IO, VmFlag.VM_PFNMAP, VmFlag.VM_DONTDUMP);
            v.vmFlagsClear(VmFlag.VM_DONTDUMP, VmFlag.VM_EXEC);
            v.setPageProt(PgProt.WC);
            v.setVmOps(ops);
            v.setPrivateData(priv);
            return 0;
        });
        long ret = mm.doMmap(f, VA, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, 3);
        assertFalse(Errno.isError(ret));
        VmArea child = mm.dupMmap().vmaLookup(VA);
        assertEquals(PgProt.WC, child.pageProt());
        assertSame(ops, child.vmOps());
        assertSame(priv, child.privateData());
        assertEquals(3, child.vmPgoff());
        assertEquals(EnumSet.of(VmFlag.VM_READ, VmFlag.VM_WRITE, VmFlag.VM_SHARED, VmFlag.VM_MAYSHARE,
                VmFlag.VM_IO, VmFlag.VM_PFNMAP), child.vmFlags());
        assertFalse(child.isAnonymous());
        assertThrows(IllegalStateException.class, () -> child.vmFlagsClear(VmFlag.VM_IO),
                "outside the mmap handler");
    }
}
