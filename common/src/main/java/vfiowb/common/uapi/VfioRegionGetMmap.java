package vfiowb.common.uapi;

import vfiowb.common.Models;

/**
 * The cookie-ioctl WC uAPI (issue 14, variant {@code wc-cookie}): {@code VFIO_DEVICE_GET_REGION_MMAP}
 * mints another immutable mmap cookie for a region, with mmap attributes; mapping the returned
 * {@code fd_offset} maps the region with those attributes. Status {@link UapiStatus#PROPOSED}:
 * Jason Gunthorpe sketched it in the July-August 2025 thread ("vfio_region_get_mmap {argsz,
 * region_index, mmap_flags, region_size, fd_offset}", kernel-facts §H.2) and nobody posted it.
 *
 * <p>The layout is his member list in his order, with the {@code __u32 pad} the uAPI needs
 * before the first {@code __u64} (vfio.h never relies on implicit holes). The number is the
 * first device ioctl free in v7.1: Keith Busch's and Mahmoud Adam's RFCs both took
 * {@code VFIO_BASE + 21}, which {@code VFIO_MIG_GET_PRECOPY_INFO} already has (on the migration
 * fd), so the model does not reuse it.
 *
 * <p>{@code mmap_flags} 0 answers the region's own cookie (the offset REGION_INFO gives);
 * {@link #VFIO_REGION_MMAP_FLAG_WC} a write-combining one, the same one on every call of the
 * same file (cookies are per file and immutable). {@code region_size} is what may be mapped at
 * {@code fd_offset}: the region's size.
 */
@Models("include/uapi/linux/vfio.h:struct vfio_region_get_mmap")
public record VfioRegionGetMmap(long argsz, long regionIndex, long mmapFlags, long regionSize,
        long fdOffset) implements UapiEncodable {
    public static final UapiStruct LAYOUT = UapiStruct.layout("vfio_region_get_mmap")
        .u32("argsz").u32("region_index").u32("mmap_flags").u32("pad").u64("region_size")
        .u64("fd_offset").build();
    public static final int SIZE = LAYOUT.size();

    /** {@code VFIO_DEVICE_GET_REGION_MMAP}: {@code _IO(VFIO_TYPE, VFIO_BASE + 22)}. Proposed. */
    public static final int VFIO_DEVICE_GET_REGION_MMAP = VfioIoctl.VFIO_TYPE << 8 | VfioIoctl.VFIO_BASE + 22;
    /** Map write-combined: {@code pgprot_writecombine}. Proposed. */
    public static final int VFIO_REGION_MMAP_FLAG_WC = 1 << 0;

    private static final UapiField ARGSZ = LAYOUT.field("argsz");
    private static final UapiField INDEX = LAYOUT.field("region_index");
    private static final UapiField FLAGS = LAYOUT.field("mmap_flags");
    private static final UapiField REGION_SIZE = LAYOUT.field("region_size");
    private static final UapiField FD_OFFSET = LAYOUT.field("fd_offset");

    public VfioRegionGetMmap {
        Checks.u32("argsz", argsz);
        Checks.u32("region_index", regionIndex);
        Checks.u32("mmap_flags", mmapFlags);
    }

    /** A request: {@code argsz} the structure's size, outputs 0. */
    public static VfioRegionGetMmap request(int index, int mmapFlags) {
        return new VfioRegionGetMmap(SIZE, index, mmapFlags, 0, 0);
    }

    public static VfioRegionGetMmap decode(byte[] buf, int off) {
        return new VfioRegionGetMmap(ARGSZ.getU32(buf, off), INDEX.getU32(buf, off),
                FLAGS.getU32(buf, off), REGION_SIZE.getU64(buf, off), FD_OFFSET.getU64(buf, off));
    }

    /** The outputs as the kernel writes them back into {@code buf} at {@code off}. */
    public static void putReply(byte[] buf, int off, long regionSize, long fdOffset) {
        REGION_SIZE.putU64(buf, off, regionSize);
        FD_OFFSET.putU64(buf, off, fdOffset);
    }

    @Override
    public int encodedSize() {
        return SIZE;
    }

    @Override
    public void encodeInto(byte[] buf, int off) {
        ARGSZ.putU32(buf, off, argsz);
        INDEX.putU32(buf, off, regionIndex);
        FLAGS.putU32(buf, off, mmapFlags);
        REGION_SIZE.putU64(buf, off, regionSize);
        FD_OFFSET.putU64(buf, off, fdOffset);
    }
}
