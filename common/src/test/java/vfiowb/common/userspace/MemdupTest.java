package vfiowb.common.userspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;
import vfiowb.common.errno.Errno;
import vfiowb.common.mm.Arch;

/** {@code memdup_user} and {@code memdup_array_user} at the allocator's and size_t's limits. */
class MemdupTest {
    @Test
    void kmallocMaxSizeIsOneMaxPageOrderBlock() {
        assertEquals(4L << 20, Arch.X86_64.kmallocMaxSize());
        assertEquals(4L << 20, Arch.I386.kmallocMaxSize());
        assertEquals(4L << 20, Arch.ARM64_4K.kmallocMaxSize());
        assertEquals(512L << 20, Arch.ARM64_64K.kmallocMaxSize(), "order 13 of 64 KiB pages");
    }

    @Test
    void memdupUserCopiesWhatFitsAndRefusesPastKmallocMaxSize() {
        UserBuffer u = UserBuffer.wrap(new byte[] {1, 2, 3, 4, 5});
        Memdup.Result ok = Memdup.memdupUser(Arch.X86_64, u, 1, 3);
        assertFalse(ok.isErr());
        assertArrayEquals(new byte[] {2, 3, 4}, ok.bytes());
        assertEquals(0, Memdup.memdupUser(Arch.X86_64, u, 5, 0).bytes().length, "kmalloc(0) is no NULL");
        UserBuffer v = UserBuffer.wrap(new byte[8]);
        assertEquals(-Errno.ENOMEM, Memdup.memdupUser(Arch.X86_64, v, 0, (4L << 20) + 1).err());
        assertEquals(List.of(), v.readRanges(), "kmalloc failed before the copy");
        assertEquals(-Errno.ENOMEM, Memdup.memdupUser(Arch.X86_64, v, 0, -1L).err(), "SIZE_MAX");
        assertEquals(-Errno.EFAULT, Memdup.memdupUser(Arch.X86_64, v, 2, 4L << 20).err());
        assertEquals(List.of(new UserBuffer.Range(2, 8)), v.readRanges(), "read up to the fault");
    }

    @Test
    void memdupArrayUserOverflowsInTheArchSizeT() {
        UserBuffer u = UserBuffer.wrap(new byte[8]);
        assertEquals(-Errno.EOVERFLOW, Memdup.memdupArrayUser(Arch.I386, u, 0, 1L << 28, 16).err());
        assertEquals(-Errno.ENOMEM, Memdup.memdupArrayUser(Arch.I386, u, 0, (1L << 28) - 1, 16).err());
        assertEquals(-Errno.ENOMEM, Memdup.memdupArrayUser(Arch.X86_64, u, 0, 1L << 28, 16).err());
        assertEquals(-Errno.EOVERFLOW, Memdup.memdupArrayUser(Arch.X86_64, u, 0, 1L << 60, 16).err());
        assertEquals(-Errno.ENOMEM, Memdup.memdupArrayUser(Arch.X86_64, u, 0, 1L << 59, 16).err(),
                "2^63 fits a 64-bit size_t");
        assertEquals(List.of(), u.readRanges());
    }
}
