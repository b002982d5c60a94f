package vfiowb.common.lib;

import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;

/**
 * The answer of a maple-tree gap search or allocation: the C return value together with the range
 * the kernel leaves in {@code *startp} or in {@code mas->index}/{@code mas->last}.
 *
 * <p>The C functions return {@code int} (0 or {@code -errno}) and hand the range back through an
 * out-parameter. A Java {@code long} cannot carry both, because every 64-bit value is a valid
 * unsigned key, so the model returns this record instead:
 *
 * <ul>
 *   <li>{@link #ret()} is exactly what the C returns: {@code 0}, {@code -EINVAL},
 *       {@code -EBUSY}, ...;
 *   <li>{@link #first()} and {@link #last()} are the inclusive range (unsigned) when
 *       {@code ret == 0}, and both {@code 0} otherwise.
 * </ul>
 *
 * @param ret   0 on success or a negative errno, as the C returns
 * @param first the first index of the range found or allocated (unsigned), 0 on error
 * @param last  the last index of the range, inclusive (unsigned), 0 on error
 */
public record MapleArea(int ret, long first, long last) {

    public MapleArea {
        if (ret > 0) {
            throw new IllegalArgumentException("ret must be 0 or a negative errno: " + ret);
        }
        if (ret < 0 && (first != 0 || last != 0)) {
            throw new IllegalArgumentException("an error carries no range");
        }
        if (ret == 0 && Long.compareUnsigned(first, last) > 0) {
            throw new IllegalArgumentException("first > last: " + Long.toUnsignedString(first)
                + " > " + Long.toUnsignedString(last));
        }
    }

    /** A successful answer covering {@code [first, last]}. */
    public static MapleArea of(long first, long last) {
        return new MapleArea(0, first, last);
    }

    /** A failed answer; {@code ret} is a negative errno such as {@code -Errno.EBUSY}. */
    public static MapleArea error(int ret) {
        if (ret >= 0) {
            throw new IllegalArgumentException("not an error: " + ret);
        }
        return new MapleArea(ret, 0, 0);
    }

    /** True when {@code ret == 0}. */
    public boolean ok() {
        return ret == 0;
    }

    /**
     * The start of the range, or an {@link ErrnoException} carrying {@code -ret}: for callers
     * that pass the error on the way the kernel's {@code if (ret) return ret;} does.
     */
    public long startOrThrow() {
        if (ret != 0) {
            throw new ErrnoException(-ret);
        }
        return first;
    }

    @Override
    public String toString() {
        if (ret != 0) {
            return "MapleArea[-" + Errno.name(-ret) + "]";
        }
        return "MapleArea[0x" + Long.toHexString(first) + "-0x" + Long.toHexString(last) + "]";
    }
}
