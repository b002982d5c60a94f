package vfiowb.common.userspace;

import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.ENOMEM;
import static vfiowb.common.errno.Errno.EOVERFLOW;

import vfiowb.common.Models;
import vfiowb.common.mm.Arch;

/**
 * The kernel's helpers that copy a user array into a fresh {@code kmalloc} buffer, with the
 * answers the kernel gives before and while allocating: the size computed in {@code size_t}
 * (32 bits on i386), {@code kmalloc}'s {@link Arch#kmallocMaxSize} limit, a fault while copying.
 *
 * <p>The model never allocates what the kernel could not: a size past {@code KMALLOC_MAX_SIZE}
 * fails before any Java array is made, and a copy that would fault allocates only the bytes the
 * user buffer holds (which the caller's array already holds), so a hostile count costs the
 * model no more memory than the buffer it came in.
 */
public final class Memdup {
    /** {@code ERR_PTR} or a pointer: either the copied bytes or a negative errno. */
    public record Result(byte[] bytes, int err) {
        static Result error(int err) {
            return new Result(null, err);
        }

        public boolean isErr() {
            return err != 0;
        }
    }

    private Memdup() {
    }

    /**
     * {@code memdup_array_user(src, n, size)} (include/linux/string.h): {@code n * size} in
     * {@code size_t}, -EOVERFLOW when the product does not fit ({@code check_mul_overflow}),
     * else {@link #memdupUser} of the product. {@code n} and {@code size} are taken as the
     * unsigned values the caller passed; both must be non-negative Java longs.
     */
    @Models("include/linux/string.h:memdup_array_user")
    public static Result memdupArrayUser(Arch arch, UserBuffer src, long userOff, long n, long size) {
        if (n < 0 || size < 0) {
            throw new IllegalArgumentException("n and size are non-negative: " + n + ", " + size);
        }
        long nbytes = n * size;
        if (Math.multiplyHigh(n, size) != 0 || Long.compareUnsigned(nbytes, arch.ulongMax()) > 0) {
            return Result.error(-EOVERFLOW);
        }
        return memdupUser(arch, src, userOff, nbytes);
    }

    /**
     * {@code memdup_user(src, len)} (mm/util.c): {@code kmalloc(len, GFP_USER | __GFP_NOWARN)},
     * NULL (-ENOMEM) past {@code KMALLOC_MAX_SIZE} (no warning: {@code __GFP_NOWARN}); then
     * {@code copy_from_user}, -EFAULT (the buffer freed) if any byte faults. {@code len} is an
     * unsigned {@code size_t}. A size the allocator could give is assumed given: the model has
     * no memory pressure.
     */
    @Models({"mm/util.c:memdup_user", "include/linux/slab.h:kmalloc"})
    public static Result memdupUser(Arch arch, UserBuffer src, long userOff, long len) {
        if (Long.compareUnsigned(len, arch.kmallocMaxSize()) > 0) {
            return Result.error(-ENOMEM);
        }
        if (!src.accessOk(userOff, len)) {
            // The kernel's copy reads up to the first faulting byte into its buffer and then
            // frees it; the model copies the same bytes into one only as large as they are.
            int reach = userOff < 0 || userOff >= src.length() ? 0
                    : (int) Math.min(len, src.length() - userOff);
            src.copyFromUser(new byte[reach], 0, userOff, reach);
            return Result.error(-EFAULT);
        }
        byte[] p = new byte[(int) len];
        if (src.copyFromUser(p, 0, userOff, p.length) != 0) {
            return Result.error(-EFAULT);
        }
        return new Result(p, 0);
    }
}
