package vfiowb.common.conformance;

import java.util.zip.CRC32;
import vfiowb.common.errno.Errno;

/** The fixed spellings transcripts use, so that equal behaviour gives byte-identical text. */
public final class Fmt {
    private static final int INLINE_BYTES = 16;

    private Fmt() {}

    /** {@code 0x1f}: lower-case hex of the unsigned value. */
    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /**
     * A value read back from a reply, for a message: decimal while small, hex from 0x10000 on,
     * so a field the kernel left poisoned reads {@code 0xa5a5a5a5}, not 2779096485.
     */
    public static String num(long v) {
        return v >= 0 && v < 0x10000 ? Long.toString(v) : hex(v);
    }

    /** An errno as its symbolic name, whatever its sign. */
    public static String errno(long err) {
        return Errno.name((int) Math.abs(err));
    }

    /**
     * A syscall result: the value for a success, the errno name for a negative kernel-style
     * return.
     */
    public static String ret(long ret) {
        return ret < 0 ? errno(ret) : Long.toString(ret);
    }

    /** Two lower-case hex digits a byte, a space between: what {@code %02x} each gave. */
    private static final java.util.HexFormat SPACED_HEX = java.util.HexFormat.ofDelimiter(" ");

    /**
     * Data as read back: up to 16 bytes in hex, longer buffers as their length, CRC-32 and first
     * eight bytes.
     */
    public static String bytes(byte[] b, int len) {
        int n = Math.max(0, Math.min(len, b.length));
        StringBuilder sb = new StringBuilder("[");
        int shown = n <= INLINE_BYTES ? n : 8;
        SPACED_HEX.formatHex(sb, b, 0, shown);
        if (n > INLINE_BYTES) {
            CRC32 crc = new CRC32();
            crc.update(b, 0, n);
            sb.append(" ...] ").append(n).append(" bytes crc32 ");
            String c = Long.toHexString(crc.getValue());
            sb.append("00000000", c.length(), 8).append(c);
            return sb.toString();
        }
        return sb.append(']').toString();
    }

    /** A little-endian value of {@code width} bytes at {@code off}. */
    public static long le(byte[] b, int off, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xffL);
        }
        return v;
    }

    /** {@code width} little-endian bytes of {@code v}. */
    public static byte[] le(long v, int width) {
        byte[] b = new byte[width];
        for (int i = 0; i < width; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    /** All-ones of {@code width} bytes. */
    public static long ones(int width) {
        return width >= 8 ? -1L : (1L << (8 * width)) - 1;
    }
}
