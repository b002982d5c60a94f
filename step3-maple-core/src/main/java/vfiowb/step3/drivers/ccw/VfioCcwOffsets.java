package vfiowb.step3.drivers.ccw;

import vfiowb.common.Models;

/**
 * The region layout of drivers/s390/cio/vfio_ccw_private.h: region {@code index} at file offset
 * {@code index << 10} ({@code VFIO_CCW_OFFSET_SHIFT}), since every ccw region is a small uAPI
 * structure. Callers keep the index in an {@code unsigned int}, so bits 42 and up of an offset
 * are lost: offsets alias modulo 4 TiB.
 */
@Models("drivers/s390/cio/vfio_ccw_private.h:VFIO_CCW_OFFSET_SHIFT")
public final class VfioCcwOffsets {
    private static final int VFIO_CCW_OFFSET_SHIFT = 10;

    private VfioCcwOffsets() {}

    /** {@code unsigned int index = VFIO_CCW_OFFSET_TO_INDEX(off)}: truncated to 32 bits. */
    @Models("drivers/s390/cio/vfio_ccw_private.h:VFIO_CCW_OFFSET_TO_INDEX")
    public static long offsetToIndex(long off) {
        return (off >>> VFIO_CCW_OFFSET_SHIFT) & 0xFFFF_FFFFL;
    }

    /** {@code VFIO_CCW_INDEX_TO_OFFSET(index)}. */
    @Models("drivers/s390/cio/vfio_ccw_private.h:VFIO_CCW_INDEX_TO_OFFSET")
    public static long indexToOffset(long index) {
        return index << VFIO_CCW_OFFSET_SHIFT;
    }

    /** {@code off & VFIO_CCW_OFFSET_MASK}: at most 1023. */
    @Models("drivers/s390/cio/vfio_ccw_private.h:VFIO_CCW_OFFSET_MASK")
    public static long offsetInRegion(long off) {
        return off & ((1L << VFIO_CCW_OFFSET_SHIFT) - 1);
    }
}
