package vfiowb.common.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static vfiowb.common.mm.Mman.MAP_ANONYMOUS;
import static vfiowb.common.mm.Mman.MAP_FIXED;
import static vfiowb.common.mm.Mman.MAP_PRIVATE;
import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.PROT_READ;

import org.junit.jupiter.api.Test;
import vfiowb.common.errno.Errno;

/**
 * mm/huge_memory.c:__thp_get_unmapped_area as the HUGE_ALIGNED policy uses it for a file
 * mapping: the padded top-down search, then the address inside the padding congruent to the
 * file offset, as high as that allows (for MMF_TOPDOWN an already congruent area gives
 * {@code ret + size}); a free hint as is; and each way it gives up (no whole block in the file
 * range, {@code off + len + size} past 2^64, no room for the padding), after which the next
 * smaller size is tried.
 */
class ThpGetUnmappedAreaTest {
    private static final long PAGE = 4096;
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    private final MmStruct mm = new MmStruct(Arch.X86_64);
    private final TestFile file = TestFile.pfnmap(Arch.X86_64, new RecordingOps(0));

    /** The highest address at most {@code limit} congruent to {@code off} modulo {@code size}. */
    private static long highestCongruent(long limit, long off, long size) {
        return limit - Math.floorMod(limit - off, size);
    }

    private long area(long addr, long len, long pgoff) {
        long ret = mm.getUnmappedArea(file, addr, len, pgoff, MAP_SHARED);
        assertFalse(Errno.isError(ret), () -> Errno.name((int) -ret));
        return ret;
    }

    private void reserve(long start, long end) {
        long ret = mm.doMmap(null, start, end - start, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
        assertEquals(start, ret);
    }

    /** Top-down, the mapping lands as high below mmap_base as its alignment allows. */
    @Test
    void theMappingGoesAsHighAsItsAlignmentAllows() {
        long top = mm.mmapBase();
        assertEquals(highestCongruent(top - GIB, 0, GIB), area(0, GIB, 0));
        long off = GIB + PAGE;
        assertEquals(highestCongruent(top - GIB, off, 2 * MIB), area(0, GIB, off >>> 12),
                "no whole 1 GiB block in [off, off + len): PMD congruence, not PUD");
        assertEquals(highestCongruent(top - 4 * MIB, 6 * MIB, 2 * MIB), area(0, 4 * MIB, 6 * MIB >>> 12));
    }

    /** The padded area is already congruent: the mapping takes its top, ret + size. */
    @Test
    void anAlreadyCongruentAreaGivesItsTop() {
        long x = (mm.mmapBase() & -GIB) - GIB;
        reserve(x, mm.mmapBase());
        assertEquals(x - GIB, area(0, GIB, 0));
        assertEquals(x - 2 * MIB, area(0, 2 * MIB, 0), "the same at PMD size");
    }

    /** A hint free for the padded length is taken as it is, aligned or not. */
    @Test
    void aFreeHintIsTakenAsItIs() {
        long hint = 0x5555_0000_1000L;
        assertEquals(hint, area(hint, GIB, 0));
        assertEquals(hint, area(hint, 4 * MIB, 0));
    }

    /**
     * No room for {@code len + 1 GiB} but room for {@code len + 2 MiB}: the PUD attempt gives up
     * and the PMD one aligns.
     */
    @Test
    void noRoomForThePudPaddingFallsBackToPmd() {
        long top = mm.mmapBase();
        long gap = 2 * GIB + GIB / 2;
        reserve(mm.mmapMinAddr(), top - gap);
        reserve(top, mm.taskSize());
        assertEquals(highestCongruent(top - 2 * GIB, PAGE, 2 * MIB), area(0, 2 * GIB, 1));
    }

    /**
     * {@code (off + len_pad) < off} is an unsigned compare in the C: an end past 2^63 is fine
     * (the PMD alignment happens), one past 2^64 gives up (page alignment only).
     */
    @Test
    void thePaddedEndIsComparedUnsigned() {
        long top = mm.mmapBase();
        long off = Long.MIN_VALUE - 5 * MIB;
        assertEquals(highestCongruent(top - 4 * MIB, off, 2 * MIB), area(0, 4 * MIB, off >>> 12));
        long wraps = -4 * MIB;
        assertEquals(top - 2 * MIB, area(0, 2 * MIB, wraps >>> 12));
    }

    /** generic_get_unmapped_area_topdown: -ENOMEM for {@code len > mmap_end - mmap_min_addr}. */
    @Test
    void aLengthBeyondUserSpaceAboveMmapMinAddrIsEnomem() {
        long min = mm.mmapMinAddr();
        long room = mm.taskSize() - min;
        assertEquals(min, mm.getUnmappedArea(null, min, room, 0, MAP_FIXED));
        assertEquals(-Errno.ENOMEM, mm.getUnmappedArea(null, min - PAGE, room + PAGE, 0, MAP_FIXED));
    }
}
