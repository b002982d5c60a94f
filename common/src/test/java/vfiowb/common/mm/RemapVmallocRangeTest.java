package vfiowb.common.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.mm.Mman.MAP_FIXED;
import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.PROT_READ;
import static vfiowb.common.mm.Mman.PROT_WRITE;

import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import vfiowb.common.errno.Errno;

/**
 * {@code remap_vmalloc_range} (mm/vmalloc.c, through {@code remap_vmalloc_range_partial}) at
 * its edges: the {@code pgoff << PAGE_SHIFT} overflow check, the page alignment of the kernel
 * address, {@code size + off} against the area (wrap included, the area's end itself allowed),
 * every page inserted at its own address, and {@code vm_insert_page}'s error passed back; and
 * {@code finish_fault} installing the page it is handed.
 */
class RemapVmallocRangeTest {
    private static final long MIB = 1L << 20;
    private static final long VA = 0x40_0000_0000L;
    private static final long AREA = 0x2_0000_0000L;

    /** Maps 4 MiB at VA with {@code body} as the driver's mmap; the mm. */
    private static MmStruct mapWith(Arch arch, ToIntFunction<VmArea> body) {
        MmStruct mm = new MmStruct(arch);
        long va = arch.is32Bit() ? 0x4000_0000L : VA;
        long ret = mm.doMmap(new TestFile(arch, body), va, 4 * MIB, PROT_READ | PROT_WRITE,
                MAP_SHARED | MAP_FIXED, 0);
        assertFalse(Errno.isError(ret), () -> Errno.name((int) -ret));
        return mm;
    }

    private static int remapOnce(Arch arch, long areaPhys, long areaSize, long pgoff, MmStruct[] out) {
        int[] ret = new int[1];
        out[0] = mapWith(arch, v -> {
            ret[0] = Memory.remapVmallocRange(v, areaPhys, areaSize, pgoff);
            return 0;
        });
        return ret[0];
    }

    /** check_shl_overflow(pgoff, PAGE_SHIFT): a pgoff whose byte offset overflows is -EINVAL. */
    @Test
    void aPgoffWhoseByteOffsetOverflowsIsEinval() {
        MmStruct[] mm = new MmStruct[1];
        assertEquals(-Errno.EINVAL, remapOnce(Arch.X86_64, AREA, 8 * MIB, 1L << 52, mm));
        assertEquals(0, mm[0].pageTable().totalEntries());
        assertEquals(-Errno.EINVAL, remapOnce(Arch.I386, 0x1000_0000L, 8 * MIB, 1L << 20, mm));
        assertEquals(0, mm[0].pageTable().totalEntries());
    }

    /** !PAGE_ALIGNED(kaddr): -EINVAL, nothing mapped. */
    @Test
    void anUnalignedAreaIsEinval() {
        MmStruct[] mm = new MmStruct[1];
        assertEquals(-Errno.EINVAL, remapOnce(Arch.X86_64, AREA + 0x800, 8 * MIB, 0, mm));
        assertEquals(0, mm[0].pageTable().totalEntries());
    }

    /**
     * {@code end_index > get_vm_area_size(area)}: a VMA ending exactly at the area's end maps,
     * from page 0 or from a later page; one page more is -EINVAL.
     */
    @Test
    void theAreasEndItselfIsAllowed() {
        MmStruct[] mm = new MmStruct[1];
        assertEquals(0, remapOnce(Arch.X86_64, AREA, 4 * MIB, 0, mm));
        assertEquals(1024, mm[0].pageTable().totalEntries());
        assertEquals(0, remapOnce(Arch.X86_64, AREA, 4 * MIB + 4096, 1, mm));
        assertEquals(AREA + 4096, mm[0].pageTable().translate(VA).getAsLong());
        assertEquals(-Errno.EINVAL, remapOnce(Arch.X86_64, AREA, 4 * MIB + 4096, 2, mm));
    }

    /** Every page of the VMA gets its own page of the area, in order. */
    @Test
    void eachPageMapsItsOwnPage() {
        MmStruct[] mm = new MmStruct[1];
        assertEquals(0, remapOnce(Arch.X86_64, AREA, 8 * MIB, 3, mm));
        for (long page : new long[] {0, 1, 2, 1023}) {
            assertEquals(AREA + (3 + page) * 4096 + 8,
                    mm[0].pageTable().translate(VA + page * 4096 + 8).getAsLong(), "page " + page);
        }
    }

    /**
     * vm_insert_page's error ends the remap and comes back as it is (-EBUSY over a page
     * already mapped); VM_DONTEXPAND is not set then.
     */
    @Test
    void anInsertErrorComesBack() {
        int[] ret = new int[2];
        VmArea[] vma = new VmArea[1];
        mapWith(Arch.X86_64, v -> {
            vma[0] = v;
            ret[0] = Memory.vmInsertPage(v, v.vmStart() + 4096, AREA);
            ret[1] = Memory.remapVmallocRange(v, AREA, 8 * MIB, 0);
            return 0;
        });
        assertEquals(0, ret[0]);
        assertEquals(-Errno.EBUSY, ret[1]);
        assertFalse(vma[0].hasFlag(VmFlag.VM_DONTEXPAND));
    }

    /** The overload for a caller that checked the size: the whole VMA from page pgoff. */
    @Test
    void theSizelessOverloadMapsTheWholeVmaFromPgoff() {
        int[] ret = new int[1];
        MmStruct mm = mapWith(Arch.X86_64, v -> {
            ret[0] = Memory.remapVmallocRange(v, AREA, 2);
            return 0;
        });
        assertEquals(0, ret[0]);
        assertEquals(1024, mm.pageTable().totalEntries());
        assertEquals(AREA + 2 * 4096, mm.pageTable().translate(VA).getAsLong());
        assertEquals(AREA + 2 * 4096 + 4 * MIB - 4096, mm.pageTable().translate(VA + 4 * MIB - 4096).getAsLong());
    }

    /**
     * The overload maps the VMA from any page of the buffer (the buffer reaching as far as the
     * VMA needs) and passes remap_vmalloc_range's errno back (an unaligned buffer: -EINVAL).
     */
    @Test
    void theSizelessOverloadFromAFarPageAndItsErrno() {
        int[] ret = new int[2];
        MmStruct mm = mapWith(Arch.X86_64, v -> {
            ret[0] = Memory.remapVmallocRange(v, AREA, 2048);
            return 0;
        });
        assertEquals(0, ret[0]);
        assertEquals(AREA + 8 * MIB, mm.pageTable().translate(VA).getAsLong());
        MmStruct none = mapWith(Arch.X86_64, v -> {
            ret[1] = Memory.remapVmallocRange(v, AREA + 0x800, 0);
            return 0;
        });
        assertEquals(-Errno.EINVAL, ret[1]);
        assertEquals(0, none.pageTable().totalEntries());
    }

    /**
     * finish_fault maps the handler's page at the faulting address (its PFN, the VMA's
     * protection) and leaves a PTE that is already there.
     */
    @Test
    void finishFaultInstallsTheHandlersPageOnce() {
        long[] page = {AREA + 5 * 4096};
        VmOperations ops = new VmOperations() {
            @Override
            public VmFaultResult fault(VmFault vmf) {
                return Memory.finishFault(vmf, page[0]);
            }

            @Override
            public String name() {
                return "page_ops";
            }
        };
        MmStruct mm = mapWith(Arch.X86_64, v -> {
            v.setVmOps(ops);
            return 0;
        });
        assertEquals(VmFaultResult.NOPAGE, mm.handleMmFault(VA + 4096 + 8, true));
        assertEquals(page[0] + 8, mm.pageTable().translate(VA + 4096 + 8).getAsLong());
        assertEquals((AREA >>> 12) + 5, mm.pageTable().lookup(VA + 4096).pfn());
        VmArea vma = mm.findVma(VA);
        page[0] = AREA + 9 * 4096;
        assertEquals(VmFaultResult.NOPAGE, Memory.finishFault(new VmFault(vma, VA + 4096, false, 0), page[0]));
        assertEquals((AREA >>> 12) + 5, mm.pageTable().lookup(VA + 4096).pfn(), "the PTE already there stays");
        assertTrue(mm.pageTable().lookup(VA + 4096).writable() == vma.pageProtWritable());
    }
}
