package vfiowb.common.uapi;

import java.util.StringJoiner;

/** Range checks and flag rendering shared by the records of this package. */
final class Checks {
    private Checks() {}

    static long u32(String what, long value) {
        if (value < 0 || value > 0xffff_ffffL) {
            throw new IllegalArgumentException(what + " is a __u32, cannot hold " + value);
        }
        return value;
    }

    static int u16(String what, int value) {
        if (value < 0 || value > 0xffff) {
            throw new IllegalArgumentException(what + " is a __u16, cannot hold " + value);
        }
        return value;
    }

    /** {@code "READ|WRITE|0x40"}: named bits first, unnamed remainder in hex, {@code "0"} for none. */
    static String flags(long flags, String[] names, long[] bits) {
        StringJoiner j = new StringJoiner("|");
        long rest = flags;
        for (int i = 0; i < bits.length; i++) {
            if ((flags & bits[i]) == bits[i]) {
                j.add(names[i]);
                rest &= ~bits[i];
            }
        }
        if (rest != 0) {
            j.add("0x" + Long.toHexString(rest));
        }
        return j.length() == 0 ? "0" : j.toString();
    }
}
