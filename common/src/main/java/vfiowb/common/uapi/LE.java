package vfiowb.common.uapi;

import java.util.Objects;

/**
 * Little-endian loads and stores of the uAPI's fixed-width integers in a byte array, the way the
 * structures lie in memory on every architecture the workbench models (x86-64, i386, arm64).
 *
 * <p>Every access is bounds-checked ({@link IndexOutOfBoundsException}); stores refuse a value
 * the C type cannot hold ({@link IllegalArgumentException}) instead of truncating it. Unsigned
 * representation follows the package conventions: u16 in an {@code int}, u32 in a {@code long},
 * u64 as a {@code long} bit pattern.
 */
public final class LE {
    private LE() {}

    public static int getU16(byte[] buf, int off) {
        Objects.checkFromIndexSize(off, 2, buf.length);
        return (buf[off] & 0xff) | (buf[off + 1] & 0xff) << 8;
    }

    public static void putU16(byte[] buf, int off, int value) {
        if (value < 0 || value > 0xffff) {
            throw new IllegalArgumentException("not a u16: " + value);
        }
        Objects.checkFromIndexSize(off, 2, buf.length);
        buf[off] = (byte) value;
        buf[off + 1] = (byte) (value >>> 8);
    }

    public static long getU32(byte[] buf, int off) {
        return Integer.toUnsignedLong(getS32(buf, off));
    }

    public static void putU32(byte[] buf, int off, long value) {
        if (value < 0 || value > 0xffff_ffffL) {
            throw new IllegalArgumentException("not a u32: " + value);
        }
        putS32(buf, off, (int) value);
    }

    public static int getS32(byte[] buf, int off) {
        Objects.checkFromIndexSize(off, 4, buf.length);
        return (buf[off] & 0xff)
            | (buf[off + 1] & 0xff) << 8
            | (buf[off + 2] & 0xff) << 16
            | (buf[off + 3] & 0xff) << 24;
    }

    public static void putS32(byte[] buf, int off, int value) {
        Objects.checkFromIndexSize(off, 4, buf.length);
        buf[off] = (byte) value;
        buf[off + 1] = (byte) (value >>> 8);
        buf[off + 2] = (byte) (value >>> 16);
        buf[off + 3] = (byte) (value >>> 24);
    }

    public static long getU64(byte[] buf, int off) {
        Objects.checkFromIndexSize(off, 8, buf.length);
        return Integer.toUnsignedLong(getS32(buf, off))
            | (long) getS32(buf, off + 4) << 32;
    }

    public static void putU64(byte[] buf, int off, long value) {
        Objects.checkFromIndexSize(off, 8, buf.length);
        putS32(buf, off, (int) value);
        putS32(buf, off + 4, (int) (value >>> 32));
    }
}
