package vfiowb.rulefixture.offsets.good.drivers.f;

/**
 * Rule fixture: a converted driver. It gets its object and the offset inside it from the core;
 * it still shifts addresses by the page shift and masks hardware fields, which the rule allows.
 */
public final class ObjDriver {
    public long readObj(Object obj, byte[] buf, long count, long off) {
        return off + count <= buf.length ? count : -22;
    }

    public long pages(long bytes, int pageShift) {
        return bytes >>> pageShift;
    }

    public long field(long reg) {
        return (reg >>> 8) & 0xff;
    }
}
