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
