package vfiowb.common.uapi;

import vfiowb.common.Models;

/**
 * {@code struct vfio_region_sparse_mmap_area} (16 bytes): one mmap-able range of a region, as an
 * {@code offset} relative to the region's start and a {@code size}, both {@code __u64} bit
 * patterns. A zero-size area is legal on the wire; QEMU, SPDK and DPDK skip it.
 */
@Models("include/uapi/linux/vfio.h:struct vfio_region_sparse_mmap_area")
public record VfioRegionSparseMmapArea(long offset, long size) implements UapiEncodable {
    public static final UapiStruct LAYOUT = UapiStruct.layout("vfio_region_sparse_mmap_area")
        .u64("offset").u64("size").build();
    public static final int SIZE = LAYOUT.size();

    private static final UapiField OFFSET = LAYOUT.field("offset");
    private static final UapiField SIZE_FIELD = LAYOUT.field("size");

    public static VfioRegionSparseMmapArea decode(byte[] buf, int off) {
        return new VfioRegionSparseMmapArea(OFFSET.getU64(buf, off), SIZE_FIELD.getU64(buf, off));
    }

    @Override
    public int encodedSize() {
        return SIZE;
    }

    @Override
    public void encodeInto(byte[] buf, int off) {
        OFFSET.putU64(buf, off, offset);
        SIZE_FIELD.putU64(buf, off, size);
    }
}
