package vfiowb.common.uapi;

import java.util.ArrayList;
import java.util.List;
import vfiowb.common.Models;

/**
 * {@code struct vfio_device_feature_dma_buf} (v6.19, {@link UapiStatus#MERGED}), the payload of
 * {@code VFIO_DEVICE_FEATURE_DMA_BUF}: a GET that exports {@code nr_ranges} ranges of region
 * {@code region_index} (offsets relative to the region, not the device file) as a new dma-buf
 * file descriptor, opened with {@code open_flags}. {@code flags} must be 0 (kernel-facts §A.8).
 */
@Models("include/uapi/linux/vfio.h:struct vfio_device_feature_dma_buf")
public record VfioDeviceFeatureDmaBuf(long regionIndex, long openFlags, long flags,
        List<long[]> ranges) implements UapiEncodable {
    /** {@code struct vfio_region_dma_range}. */
    public static final UapiStruct RANGE_LAYOUT = UapiStruct.layout("vfio_region_dma_range")
        .u64("offset").u64("length").build();
    public static final UapiStruct LAYOUT = UapiStruct.layout("vfio_device_feature_dma_buf")
        .u32("region_index").u32("open_flags").u32("flags").u32("nr_ranges")
        .structArray("dma_ranges", RANGE_LAYOUT).build();

    private static final UapiField REGION_INDEX = LAYOUT.field("region_index");
    private static final UapiField OPEN_FLAGS = LAYOUT.field("open_flags");
    private static final UapiField FLAGS = LAYOUT.field("flags");
    private static final UapiField NR_RANGES = LAYOUT.field("nr_ranges");
    private static final UapiField OFFSET = RANGE_LAYOUT.field("offset");
    private static final UapiField LENGTH = RANGE_LAYOUT.field("length");

    public VfioDeviceFeatureDmaBuf {
        Checks.u32("region_index", regionIndex);
        Checks.u32("open_flags", openFlags);
        Checks.u32("flags", flags);
        List<long[]> copy = new ArrayList<>();
        for (long[] r : ranges) {
            if (r.length != 2) {
                throw new IllegalArgumentException("a range is {offset, length}");
            }
            copy.add(r.clone());
        }
        ranges = List.copyOf(copy);
    }

    /** One range of {@code region}, opened read-write. */
    public static VfioDeviceFeatureDmaBuf of(int region, long offset, long length) {
        return new VfioDeviceFeatureDmaBuf(region, 2 /* O_RDWR */, 0, List.of(new long[] {offset, length}));
    }

    @Override
    public int encodedSize() {
        return LAYOUT.size() + ranges.size() * RANGE_LAYOUT.size();
    }

    @Override
    public void encodeInto(byte[] buf, int off) {
        REGION_INDEX.putU32(buf, off, regionIndex);
        OPEN_FLAGS.putU32(buf, off, openFlags);
        FLAGS.putU32(buf, off, flags);
        NR_RANGES.putU32(buf, off, ranges.size());
        for (int i = 0; i < ranges.size(); i++) {
            int at = off + LAYOUT.size() + i * RANGE_LAYOUT.size();
            OFFSET.putU64(buf, at, ranges.get(i)[0]);
            LENGTH.putU64(buf, at, ranges.get(i)[1]);
        }
    }
}
