package vfiowb.common.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.PROT_READ;

import org.junit.jupiter.api.Test;
import vfiowb.common.errno.Errno;

/**
 * mm/mmap.c:file_mmap_ok() as do_mmap() calls it: {@code maxsize = file_mmap_size_max()} is
 * {@code ULONG_MAX} for a character device and 0 ("no limit") under {@code FOP_UNSIGNED_OFFSET};
 * the length test is skipped for 0, the pgoff test against {@code (maxsize - len) >> PAGE_SHIFT}
 * is not, and is computed in {@code u64} on every arch.
 */
class FileMmapOkTest {
    private static final long PAGE = 4096;

    private static long mmap(Arch arch, boolean unsignedOffset, long len, long pgoff) {
        MmStruct mm = new MmStruct(arch);
        TestFile f = TestFile.pfnmap(arch, new RecordingOps(0));
        f.unsignedOffset = unsignedOffset;
        return mm.doMmap(f, 0, len, PROT_READ, MAP_SHARED, pgoff);
    }

    /** The last page a 64-bit character device can map: pgoff (ULONG_MAX - len) >> 12. */
    @Test
    void aCharacterDeviceMapsUpToUlongMaxAndNotAPageFurther() {
        long last = (-1L - PAGE) >>> 12;
        assertFalse(Errno.isError(mmap(Arch.X86_64, false, PAGE, last)));
        assertEquals(-Errno.EOVERFLOW, mmap(Arch.X86_64, false, PAGE, last + 1));
        assertEquals(-Errno.EOVERFLOW, mmap(Arch.X86_64, false, 2 * PAGE, last));
    }

    /**
     * FOP_UNSIGNED_OFFSET makes maxsize 0: {@code maxsize -= len} wraps to {@code 2^64 - len}, the
     * same bound as ULONG_MAX on 64-bit, so the pgoff test still refuses an end past 2^64.
     */
    @Test
    void anUnsignedOffsetFileStillRefusesAnEndPast2To64On64Bit() {
        long last = (-PAGE) >>> 12;
        assertFalse(Errno.isError(mmap(Arch.X86_64, true, PAGE, last)));
        assertEquals(-Errno.EOVERFLOW, mmap(Arch.X86_64, false, PAGE, last));
        assertEquals(-Errno.EOVERFLOW, mmap(Arch.X86_64, true, 2 * PAGE, last));
    }

    /**
     * On i386 ULONG_MAX is 4 GiB - 1, so a character device maps nothing at or past 4 GiB, but an
     * unsigned-offset file's bound is still 2^64 (the arithmetic is u64), beyond any 32-bit pgoff.
     */
    @Test
    void onI386TheLimitIsFourGibUnlessTheOffsetIsUnsigned() {
        // (ULONG_MAX - len) >> 12 is 0xffffe: the page ending at 4 GiB is one too many
        assertFalse(Errno.isError(mmap(Arch.I386, false, PAGE, 0xffffeL)));
        assertEquals(-Errno.EOVERFLOW, mmap(Arch.I386, false, PAGE, 0xfffffL));
        assertEquals(-Errno.EOVERFLOW, mmap(Arch.I386, false, PAGE, 0x100000L));
        assertFalse(Errno.isError(mmap(Arch.I386, true, PAGE, 0x100000L)));
        assertFalse(Errno.isError(mmap(Arch.I386, true, 16 * PAGE, 0xfffff000L)));
    }
}
