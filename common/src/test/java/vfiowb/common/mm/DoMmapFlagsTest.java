package vfiowb.common.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.mm.Mman.MAP_ANONYMOUS;
import static vfiowb.common.mm.Mman.MAP_FIXED;
import static vfiowb.common.mm.Mman.MAP_FIXED_NOREPLACE;
import static vfiowb.common.mm.Mman.MAP_GROWSDOWN;
import static vfiowb.common.mm.Mman.MAP_PRIVATE;
import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.MAP_SHARED_VALIDATE;
import static vfiowb.common.mm.Mman.PROT_READ;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vfiowb.common.errno.Errno;

/**
 * The {@code flags} checks of mm/mmap.c:do_mmap() that do not depend on the file: which flags
 * {@code MAP_SHARED_VALIDATE} lets through ({@code LEGACY_MAP_MASK}, include/linux/mman.h),
 * {@code MAP_GROWSDOWN} refused for file and shared mappings, and {@code MAP_FIXED_NOREPLACE}.
 */
class DoMmapFlagsTest {
    private static final long PAGE = 4096;
    private static final long VA = 0x10_0000_0000L;

    private final RecordingOps ops = new RecordingOps(0);

    private static boolean ok(long ret) {
        return !Errno.isError(ret);
    }

    /**
     * LEGACY_MAP_MASK holds MAP_HUGE_2MB and MAP_HUGE_1GB on every arch (their encodings are
     * uapi), so MAP_SHARED_VALIDATE lets them through; an unknown bit (0x200) is -EOPNOTSUPP.
     */
    @ParameterizedTest
    @EnumSource(Arch.class)
    void sharedValidateAcceptsTheHugeSizeEncodings(Arch arch) {
        MmStruct mm = new MmStruct(arch);
        TestFile f = TestFile.pfnmap(arch, ops);
        assertTrue(ok(mm.doMmap(f, 0, PAGE, PROT_READ, MAP_SHARED_VALIDATE | Mman.MAP_HUGE_2MB, 0)));
        assertTrue(ok(mm.doMmap(f, 0, PAGE, PROT_READ, MAP_SHARED_VALIDATE | Mman.MAP_HUGE_1GB, 0)));
        assertEquals(-Errno.EOPNOTSUPP, mm.doMmap(f, 0, PAGE, PROT_READ, MAP_SHARED_VALIDATE | 0x200, 0));
        assertEquals(2, f.mmapped.size(), "only the two legacy ones reached the driver");
    }

    /**
     * MAP_32BIT and MAP_ABOVE4G are x86's (arch/x86/include/uapi/asm/mman.h) and part of
     * LEGACY_MAP_MASK there; arm64 defines them as 0, so the bits are unknown and
     * MAP_SHARED_VALIDATE refuses them.
     */
    @ParameterizedTest
    @EnumSource(Arch.class)
    void map32BitAndAbove4gAreLegacyOnlyOnX86(Arch arch) {
        MmStruct mm = new MmStruct(arch);
        TestFile f = TestFile.pfnmap(arch, ops);
        boolean x86 = arch == Arch.X86_64 || arch == Arch.I386;
        for (int flag : new int[] {Mman.MAP_32BIT, Mman.MAP_ABOVE4G}) {
            long ret = mm.doMmap(f, 0, PAGE, PROT_READ, MAP_SHARED_VALIDATE | flag, 0);
            if (x86) {
                assertTrue(ok(ret), () -> arch + ": " + Errno.name((int) -ret));
            } else {
                assertEquals(-Errno.EOPNOTSUPP, ret, arch.cliName());
            }
            assertTrue(ok(mm.doMmap(f, 0, PAGE, PROT_READ, MAP_SHARED | flag, 0)),
                    "MAP_SHARED drops what it does not know");
        }
    }

    /**
     * calc_vm_flag_bits makes MAP_GROWSDOWN VM_GROWSDOWN, which a file mapping of either type
     * refuses with -EINVAL before the driver's mmap runs, as does a shared anonymous one; a
     * private anonymous one (a stack) is fine.
     */
    @Test
    void growsDownIsEinvalForFilesAndSharedAnonymousMemory() {
        MmStruct mm = new MmStruct(Arch.X86_64);
        TestFile f = TestFile.pfnmap(Arch.X86_64, ops);
        assertEquals(-Errno.EINVAL, mm.doMmap(f, 0, PAGE, PROT_READ, MAP_SHARED | MAP_GROWSDOWN, 0));
        assertEquals(-Errno.EINVAL, mm.doMmap(f, 0, PAGE, PROT_READ,
                MAP_SHARED_VALIDATE | MAP_GROWSDOWN, 0));
        assertEquals(-Errno.EINVAL, mm.doMmap(f, 0, PAGE, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, 0));
        assertEquals(-Errno.EINVAL, mm.doMmap(null, 0, PAGE, PROT_READ,
                MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, 0));
        assertEquals(List.of(), f.mmapped, "the driver never saw one");
        assertEquals(1, f.refs.get(), "no file reference kept");
        assertEquals(0, mm.mapCount());
        assertTrue(ok(mm.doMmap(null, 0, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN,
                0)));
        assertEquals(1, mm.mapCount());
    }

    /**
     * MAP_FIXED_NOREPLACE is MAP_FIXED for get_unmapped_area (the address as given, not rounded
     * like a hint, so an unaligned one is -EINVAL), and any VMA intersecting the range makes it
     * -EEXIST, leaving that mapping as it was.
     */
    @Test
    void fixedNoreplaceMapsExactlyThereOrFailsWithEexist() {
        MmStruct mm = new MmStruct(Arch.X86_64);
        TestFile f = TestFile.pfnmap(Arch.X86_64, ops);
        assertEquals(VA, mm.doMmap(f, VA, 4 * PAGE, PROT_READ, MAP_SHARED | MAP_FIXED_NOREPLACE, 0));
        mm.handleMmFault(VA + 3 * PAGE, false);
        VmArea first = mm.vmaLookup(VA);
        assertEquals(-Errno.EEXIST, mm.doMmap(f, VA + 3 * PAGE, 2 * PAGE, PROT_READ,
                MAP_SHARED | MAP_FIXED_NOREPLACE, 0), "the last page is taken");
        assertEquals(-Errno.EEXIST, mm.doMmap(f, VA - PAGE, 2 * PAGE, PROT_READ,
                MAP_PRIVATE | MAP_FIXED_NOREPLACE, 0), "the first page is taken");
        assertSame(first, mm.vmaLookup(VA));
        assertEquals(List.of(), ops.closed);
        assertEquals(1, mm.pageTable().totalEntries(), "nothing was unmapped");
        assertEquals(VA + 4 * PAGE, mm.doMmap(f, VA + 4 * PAGE, PAGE, PROT_READ,
                MAP_SHARED | MAP_FIXED_NOREPLACE, 0), "right after it is free");
        assertEquals(-Errno.EINVAL, mm.doMmap(f, VA + 8 * PAGE + 1, PAGE, PROT_READ,
                MAP_SHARED | MAP_FIXED_NOREPLACE, 0));
        assertEquals(2, f.mmapped.size());
        assertEquals(VA + 2 * PAGE, mm.doMmap(f, VA + 2 * PAGE, PAGE, PROT_READ,
                MAP_SHARED | MAP_FIXED, 0), "plain MAP_FIXED replaces");
    }

    /** MAP_FIXED_NOREPLACE is no legacy flag: MAP_SHARED_VALIDATE refuses it (-EOPNOTSUPP). */
    @Test
    void sharedValidateRefusesFixedNoreplace() {
        MmStruct mm = new MmStruct(Arch.X86_64);
        TestFile f = TestFile.pfnmap(Arch.X86_64, ops);
        assertEquals(-Errno.EOPNOTSUPP, mm.doMmap(f, VA, PAGE, PROT_READ,
                MAP_SHARED_VALIDATE | MAP_FIXED_NOREPLACE, 0));
        assertEquals(VA, mm.doMmap(f, VA, PAGE, PROT_READ, MAP_SHARED_VALIDATE | MAP_FIXED, 0));
    }
}
