package vfiowb.common.conformance;

import vfiowb.common.errno.Errno;
import vfiowb.common.mm.Arch;

/**
 * What the architecture, not the driver, allows a device-file mmap: on a 32-bit kernel
 * {@code file_mmap_ok()} refuses a mapping reaching past 4 GiB of file offset with EOVERFLOW
 * (kernel-facts §I.3), an offset of 16 TiB or more never reaches the kernel (the C library
 * refuses it with EINVAL), and a length beyond what a 32-bit process can map fails with ENOMEM.
 * A scenario asserts success only where the mapping fits, and otherwise one of these errnos.
 */
public final class Limits {
    private Limits() {}

    /**
     * Whether mmap of {@code len} bytes at file offset {@code offset} passes the generic checks
     * on {@code arch} (offset and length taken as unsigned 64-bit values).
     */
    public static boolean mmapFits(Arch arch, long offset, long len) {
        long plen = arch.pageAlign(len);
        if (plen == 0 && len != 0) {
            return false;
        }
        if (!arch.is32Bit()) {
            return Long.compareUnsigned(offset + plen, offset) >= 0;
        }
        long max = arch.ulongMax();
        if (Long.compareUnsigned(plen, max) > 0 || Long.compareUnsigned(plen, 0xC000_0000L) >= 0) {
            return false;
        }
        long pgoff = offset >>> arch.pageShift();
        return Long.compareUnsigned(pgoff, (max - plen) >>> arch.pageShift()) <= 0;
    }

    /**
     * Whether {@code errno} is what a mapping at file offset {@code offset} that does not
     * {@link #mmapFits fit} fails with: on a 32-bit arch an offset whose page number does not
     * fit mmap2's 32 bits is refused by the C library's {@code mmap64} with EINVAL; otherwise
     * EOVERFLOW ({@code file_mmap_ok}) or ENOMEM.
     */
    public static boolean isArchLimitErrno(Arch arch, long offset, int errno) {
        if (arch.is32Bit() && Long.compareUnsigned(offset >>> arch.pageShift(), arch.ulongMax()) > 0) {
            return errno == Errno.EINVAL;
        }
        return errno == Errno.EOVERFLOW || errno == Errno.ENOMEM;
    }

    /** {@code 1 << ctz(size)}: the largest power of two dividing {@code size} (0 for 0). */
    public static long lowestPowerOfTwo(long size) {
        return Long.lowestOneBit(size);
    }

    /** QEMU's mmap alignment: {@code min(1 << ctz(size), 1 GiB)}. */
    public static long qemuAlignment(long size) {
        return Math.min(Long.lowestOneBit(size), 1L << 30);
    }
}
