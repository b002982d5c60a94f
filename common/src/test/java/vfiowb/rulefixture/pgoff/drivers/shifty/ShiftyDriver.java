package vfiowb.rulefixture.pgoff.drivers.shifty;

import java.util.function.LongUnaryOperator;
import vfiowb.common.Models;
import vfiowb.common.mm.VmArea;

/**
 * Scanner fixture: the pgoff and offset arithmetic a stage-4 rule must find in a driver, in
 * the shapes drivers write it, and two shapes the scan cannot resolve to a number.
 */
@Models("samples/vfio-mdev/shifty.c")
public final class ShiftyDriver {
    /** {@code SHIFTY_OFFSET_SHIFT}: inlined by javac wherever it is used. */
    private static final int SHIFTY_OFFSET_SHIFT = 40;
    /** A tunable: read at run time, never inlined. */
    static int runtimeShift = 40;

    static final LongUnaryOperator TO_INDEX = off -> off >>> 40; // @lambdaShift

    private ShiftyDriver() {}

    public static long index(long off) {
        return off >>> 40; // @ushr40
    }

    public static long indexSigned(long off) {
        return off >> 40; // @shr40
    }

    public static long inRegion(long off) {
        return off & ((1L << 40) - 1); // @mask40
    }

    public static long vmaIndex(VmArea vma, int pageShift) {
        return vma.vmPgoff() >>> (40 - pageShift); // @pgoffShift
    }

    public static long viaHelper(long off) {
        return helper(off);
    }

    private static long helper(long off) {
        return off >>> SHIFTY_OFFSET_SHIFT; // @helperShift
    }

    public static long maskBuiltAtRunTime(long off) {
        int shift = 40;
        long mask = (1L << shift) - 1; // @runtimeShl
        return off & mask; // @runtimeMask
    }

    public static long throughField(long off) {
        return off >>> runtimeShift; // @fieldShift
    }

    public static long throughParameter(long off) {
        return shiftBy(off, 40);
    }

    private static long shiftBy(long off, int by) {
        return off >>> by; // @parameterShift
    }

    public static long maybe(long off, boolean big) {
        int by = big ? 40 : 12;
        return off >>> by; // @joinedShift
    }
}
