package vfiowb.rulefixture.offsets.mask.drivers.c;

/** Rule fixture: the in-region offset by masking with (1 << 40) - 1. */
public final class MaskDriver {
    public long read(byte[] buf, long count, long ppos) {
        long pos = ppos & ((1L << 40) - 1);
        return pos < buf.length ? count : -22;
    }
}
