package vfiowb.common.errno;

import java.util.Map;
import java.util.TreeMap;

/**
 * Linux errno numbers (include/uapi/asm-generic/errno-base.h and errno.h, as on x86 and arm64).
 *
 * <p>Modelled kernel functions return {@code -EINVAL} and friends exactly as the C does; the
 * syscall boundary turns a negative return into an {@link ErrnoException}.
 */
public final class Errno {
    private Errno() {}

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int E2BIG = 7;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int EMFILE = 24;
    public static final int ENOTTY = 25;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int ESPIPE = 29;
    public static final int ERANGE = 34;
    public static final int ENOSYS = 38;
    public static final int ETIME = 62;
    public static final int EOVERFLOW = 75;
    public static final int EOPNOTSUPP = 95;
    public static final int ETIMEDOUT = 110;

    private static final Map<Integer, String> NAMES = new TreeMap<>();

    static {
        String[] names = {"EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "EBADF",
            "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "EBUSY", "EEXIST", "ENODEV", "EINVAL", "EMFILE", "ENOTTY",
            "EFBIG", "ENOSPC", "ESPIPE", "ERANGE", "ENOSYS", "ETIME", "EOVERFLOW", "EOPNOTSUPP", "ETIMEDOUT"};
        int[] codes = {EPERM, ENOENT, ESRCH, EINTR, EIO, ENXIO, E2BIG, EBADF, EAGAIN, ENOMEM, EACCES,
            EFAULT, EBUSY, EEXIST, ENODEV, EINVAL, EMFILE, ENOTTY, EFBIG, ENOSPC, ESPIPE, ERANGE,
            ENOSYS, ETIME, EOVERFLOW, EOPNOTSUPP, ETIMEDOUT};
        for (int i = 0; i < codes.length; i++) {
            NAMES.put(codes[i], names[i]);
        }
    }

    /** The symbolic name of a positive errno, or {@code "E?<n>"} for one this table lacks. */
    public static String name(int errno) {
        String n = NAMES.get(Math.abs(errno));
        return n != null ? n : "E?" + Math.abs(errno);
    }

    /** The positive errno for a symbolic name, or -1 when the name is unknown. */
    public static int byName(String name) {
        for (Map.Entry<Integer, String> e : NAMES.entrySet()) {
            if (e.getValue().equals(name)) {
                return e.getKey();
            }
        }
        return -1;
    }

    /** Every errno this table names, in numeric order. */
    public static Map<Integer, String> all() {
        return java.util.Collections.unmodifiableMap(NAMES);
    }

    /** {@code IS_ERR_VALUE}-style test for a kernel return value. */
    public static boolean isError(long ret) {
        return ret < 0 && ret >= -4095;
    }
}
