package vfiowb.common.hw;

/**
 * One MMIO region of a DPAA2 object on the fsl-mc bus, with the memory attributes the
 * Management Complex reports for it: cacheable and shareable (fsl-mc's region type bits
 * 0x1 and 0x2). {@code start} is 0 until placed.
 */
public record FslMcRegion(long start, long size, boolean cacheable, boolean shareable, boolean writable) {

    public FslMcRegion {
        if (size <= 0) {
            throw new IllegalArgumentException("fsl-mc region without size");
        }
        if (shareable && !cacheable) {
            throw new IllegalArgumentException("a shareable region is cacheable");
        }
    }

    public static FslMcRegion uncached(long size) {
        return new FslMcRegion(0, size, false, false, true);
    }

    public static FslMcRegion cached(long size, boolean shareable) {
        return new FslMcRegion(0, size, true, shareable, true);
    }

    public FslMcRegion withStart(long newStart) {
        return new FslMcRegion(newStart, size, cacheable, shareable, writable);
    }

    /** The region type bits: cacheable 0x1, shareable 0x2. */
    public int typeBits() {
        return (cacheable ? 0x1 : 0) | (shareable ? 0x2 : 0);
    }
}
