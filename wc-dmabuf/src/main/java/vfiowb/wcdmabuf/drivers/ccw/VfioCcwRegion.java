package vfiowb.wcdmabuf.drivers.ccw;

import vfiowb.common.Models;
import vfiowb.common.userspace.UserBuffer;

/**
 * {@code struct vfio_ccw_region}: a device-specific region (index 1 and up), always of type
 * {@code VFIO_REGION_TYPE_CCW}, with its {@code struct vfio_ccw_regops} and its backing
 * structure ({@code data}, the raw bytes as s390 lays them out: big-endian).
 */
@Models("drivers/s390/cio/vfio_ccw_private.h:struct vfio_ccw_region")
final class VfioCcwRegion {
    /**
     * {@code struct vfio_ccw_regops}: read, write and release of one region kind. With this
     * series read and write are handed the region and the offset inside it, which the core
     * resolved through the file's cookie, instead of the file offset ({@code ppos}) they used
     * to decode the region index from.
     */
    interface Ops {
        long read(VfioCcwPrivate priv, VfioCcwRegion region, UserBuffer buf, long count, long off);

        long write(VfioCcwPrivate priv, VfioCcwRegion region, UserBuffer buf, long count,
                long off);

        default void release(VfioCcwPrivate priv, VfioCcwRegion region) {
        }
    }

    final long type;
    final long subtype;
    final Ops ops;
    final long size;
    final long flags;
    final byte[] data;

    VfioCcwRegion(long type, long subtype, Ops ops, long size, long flags, byte[] data) {
        this.type = type;
        this.subtype = subtype;
        this.ops = ops;
        this.size = size;
        this.flags = flags;
        this.data = data;
    }

    static long getBe32(byte[] b, int off) {
        return (b[off] & 0xFFL) << 24 | (b[off + 1] & 0xFFL) << 16 | (b[off + 2] & 0xFFL) << 8
                | (b[off + 3] & 0xFFL);
    }

    static void putBe32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
