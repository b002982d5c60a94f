package vfiowb.common.uapi;

import vfiowb.common.Models;
import vfiowb.common.trace.KernelProbe;

/**
 * The kernel's own copy of {@code struct vfio_region_info}: the local {@code info} that
 * {@code vfio_get_region_info()} fills from the user's first 32 bytes and hands to the driver's
 * {@code get_region_info_caps(vdev, &info, &caps)}, which writes {@code flags}, {@code size} and
 * {@code offset} into it as C code writes through {@code info->}.
 *
 * <p>Mutable because the C struct is; userspace-facing code uses the immutable
 * {@link VfioRegionInfo} and its codec. Field types follow {@link VfioRegionInfo}: u32 in a
 * {@code long} (checked on every store), u64 as raw bits.
 */
@Models("include/uapi/linux/vfio.h:struct vfio_region_info")
public final class VfioRegionInfoStruct {
    private long argsz;
    private long flags;
    private long index;
    private long capOffset;
    private long size;
    private long offset;

    /** A copy of what userspace passed. */
    public VfioRegionInfoStruct(VfioRegionInfo from) {
        this.argsz = from.argsz();
        this.flags = from.flags();
        this.index = from.index();
        this.capOffset = from.capOffset();
        this.size = from.size();
        this.offset = from.offset();
    }

    /** A zeroed struct for {@code index}, as a driver-internal caller would build one. */
    public static VfioRegionInfoStruct forIndex(long index) {
        return new VfioRegionInfoStruct(new VfioRegionInfo(VfioRegionInfo.SIZE, 0, index, 0, 0, 0));
    }

    /** What goes back to userspace. */
    public VfioRegionInfo toUapi() {
        return new VfioRegionInfo(argsz, flags, index, capOffset, size, offset);
    }

    public long argsz() {
        return argsz;
    }

    public void setArgsz(long v) {
        KernelProbe.here();
        argsz = Checks.u32("argsz", v);
    }

    public long flags() {
        return flags;
    }

    public void setFlags(long v) {
        KernelProbe.here();
        flags = Checks.u32("flags", v);
    }

    public long index() {
        return index;
    }

    public void setIndex(long v) {
        KernelProbe.here();
        index = Checks.u32("index", v);
    }

    public long capOffset() {
        return capOffset;
    }

    public void setCapOffset(long v) {
        KernelProbe.here();
        capOffset = Checks.u32("cap_offset", v);
    }

    public long size() {
        return size;
    }

    public void setSize(long v) {
        KernelProbe.here();
        size = v;
    }

    public long offset() {
        return offset;
    }

    public void setOffset(long v) {
        KernelProbe.here();
        offset = v;
    }

    @Override
    public String toString() {
        return toUapi().toString();
    }
}
