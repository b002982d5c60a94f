package vfiowb.common.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.mm.Mman.MAP_FIXED;
import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.PROT_READ;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AddressSpaceTest {

    /** Two processes map pages [0, 4) and [2, 8) of one file, all entries present. */
    private static final class Setup {
        final TestFile file;
        final MmStruct a;
        final MmStruct b;
        final long va;

        Setup(Arch arch) {
            file = new TestFile(arch, v -> Memory.remapPfnRange(v, v.vmStart(),
                    0x1000 + v.vmPgoff(), v.length(), PgProt.UC));
            va = 0x1000_0000L;
            a = new MmStruct(arch);
            b = new MmStruct(arch);
            long page = arch.pageSize();
            a.doMmap(file, va, 4 * page, PROT_READ, MAP_SHARED | MAP_FIXED, 0);
            b.doMmap(file, va, 6 * page, PROT_READ, MAP_SHARED | MAP_FIXED, 2);
        }

        long entries() {
            return a.pageTable().totalEntries() + b.pageTable().totalEntries();
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void zapsTheFileRangeInEveryProcess(Arch arch) {
        Setup s = new Setup(arch);
        long page = arch.pageSize();
        assertEquals(10, s.entries());
        assertEquals(2, s.file.mapping.vmasOverlapping(3, 3).size());
        assertEquals(1, s.file.mapping.vmasOverlapping(7, 100).size());
        assertEquals(2, s.file.mapping.unmapMappingRange(3 * page, 1, false),
                "page 3 in both; the length rounds up to a page");
        assertEquals(2, s.file.mapping.unmapMappingRange(2 * page + 1, 2 * page, false),
                "the start rounds down, the length is rounded on its own: pages 2 and 3, "
                + "of which only page 2 is still mapped, in both");
        assertEquals(6, s.entries());
        assertEquals(6, s.file.mapping.unmapMappingRange(0, 0, true), "length 0: to the end");
        assertEquals(0, s.entries());
        assertTrue(s.file.mapping.mapped());
    }

    /**
     * vma_interval_tree_foreach over [first, last]: a VMA's last page is pgoff + pages - 1;
     * unmap_mapping_pages zaps exactly the pages asked for in each VMA, at the address where
     * each maps them, and {@code nr} 0 from a later page reaches the end of the file.
     */
    @Test
    void eachVmaLosesExactlyThePagesAskedFor() {
        Setup s = new Setup(Arch.X86_64);
        assertEquals(Arch.X86_64, s.file.mapping.arch());
        assertEquals(List.of(s.b.vmas().get(0)), s.file.mapping.vmasOverlapping(4, 4));
        assertEquals(List.of(), s.file.mapping.vmasOverlapping(8, 9));
        assertEquals(2, s.file.mapping.unmapMappingPages(3, 1, true));
        assertEquals(null, s.a.pageTable().lookup(s.va + 3 * 4096));
        assertEquals(null, s.b.pageTable().lookup(s.va + 4096), "b maps page 3 at its second page");
        assertTrue(s.b.pageTable().lookup(s.va).special());
        assertTrue(s.b.pageTable().lookup(s.va + 2 * 4096).special());
        assertEquals(8, s.entries());
        assertEquals(3, s.file.mapping.unmapMappingPages(5, 0, true), "5 to the end: b's last 3");
        assertEquals(2, s.b.pageTable().totalEntries());
    }

    /**
     * i_mmap_rwsem is given back after a split (the resize runs under it) and an unlink: another
     * thread can then read i_mmap and link a VMA of its own.
     */
    @Test
    void iMmapRwsemIsGivenBackAfterSplitAndUnlink() throws InterruptedException {
        Setup s = new Setup(Arch.X86_64);
        s.a.doMunmap(s.va + 4096, 4096);
        s.b.doMunmap(s.va, 6 * 4096);
        Thread other = new Thread(() -> {
            s.file.mapping.vmas();
            new MmStruct(Arch.X86_64).doMmap(s.file, 0, 4096, PROT_READ, MAP_SHARED, 0);
        }, "second-caller");
        other.setDaemon(true);
        other.start();
        other.join(10_000);
        assertFalse(other.isAlive(), "i_mmap_rwsem kept by the munmap");
        assertEquals(3, s.file.mapping.vmas().size());
    }

    @Test
    void on32BitTheByteOffsetIsTruncatedBeforeTheShiftLikeTheC() {
        Setup s = new Setup(Arch.I386);
        long zapped = s.file.mapping.unmapMappingRange(1L << 32, 4096, false);
        assertEquals(1, zapped, "(pgoff_t)(4 GiB) is 0 on 32-bit: page 0 is hit");
        assertEquals(0, new Setup(Arch.X86_64).file.mapping.unmapMappingRange(1L << 32, 4096, false));
    }

    @Test
    void munmapUnlinksFromIMmap() {
        Setup s = new Setup(Arch.X86_64);
        List<VmArea> before = s.file.mapping.vmas();
        assertEquals(2, before.size());
        s.a.doMunmap(s.va, 4 * 4096);
        assertEquals(List.of(before.get(1)), s.file.mapping.vmas());
        s.b.exitMmap();
        assertFalse(s.file.mapping.mapped());
        assertEquals(1, s.file.refs.get());
    }
}
