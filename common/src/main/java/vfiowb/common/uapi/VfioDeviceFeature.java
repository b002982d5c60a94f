package vfiowb.common.uapi;

import vfiowb.common.Models;

/**
 * {@code struct vfio_device_feature}, the argument of {@code VFIO_DEVICE_FEATURE}: an 8-byte
 * header followed by the feature's payload ({@code __u8 data[]}, at {@link #dataOffset()}),
 * whose layout depends on the feature (kernel-facts §A.8).
 *
 * <p>The low 16 bits of {@code flags} ({@code VFIO_DEVICE_FEATURE_MASK}) select the feature,
 * read with {@link #feature()}; {@code GET}, {@code SET} and {@code PROBE} select the operation.
 * {@code vfio_check_feature()} answers a PROBE with 0, refuses an unsupported GET or SET and a
 * request with neither with {@code -EINVAL}, as it does an {@code argsz} below the feature's
 * minimum; since v6.18 the core answers an unknown feature with {@code -ENOTTY}.
 */
@Models("include/uapi/linux/vfio.h:struct vfio_device_feature")
public record VfioDeviceFeature(long argsz, long flags) implements UapiEncodable {
    public static final UapiStruct LAYOUT = UapiStruct.layout("vfio_device_feature")
        .u32("argsz").u32("flags").u8Array("data").build();
    public static final int SIZE = LAYOUT.size();

    public static final int VFIO_DEVICE_FEATURE_GET = 1 << 16;
    public static final int VFIO_DEVICE_FEATURE_SET = 1 << 17;
    public static final int VFIO_DEVICE_FEATURE_PROBE = 1 << 18;

    public static final int VFIO_DEVICE_FEATURE_PCI_VF_TOKEN = 0;
    public static final int VFIO_DEVICE_FEATURE_MIGRATION = 1;
    public static final int VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE = 2;
    public static final int VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY = 3;
    public static final int VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP = 4;
    public static final int VFIO_DEVICE_FEATURE_LOW_POWER_EXIT = 5;
    public static final int VFIO_DEVICE_FEATURE_DMA_LOGGING_START = 6;
    public static final int VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP = 7;
    public static final int VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT = 8;
    public static final int VFIO_DEVICE_FEATURE_MIG_DATA_SIZE = 9;
    /** vfio-cdx only. */
    public static final int VFIO_DEVICE_FEATURE_BUS_MASTER = 10;
    /** v6.19: export a dma-buf of ranges of a region, addressed by region index + offset. */
    public static final int VFIO_DEVICE_FEATURE_DMA_BUF = 11;
    /** v7.1. */
    public static final int VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2 = 12;

    private static final UapiField ARGSZ = LAYOUT.field("argsz");
    private static final UapiField FLAGS = LAYOUT.field("flags");

    private static final String[] FEATURE_NAMES = {
        "PCI_VF_TOKEN", "MIGRATION", "MIG_DEVICE_STATE", "LOW_POWER_ENTRY",
        "LOW_POWER_ENTRY_WITH_WAKEUP", "LOW_POWER_EXIT", "DMA_LOGGING_START", "DMA_LOGGING_STOP",
        "DMA_LOGGING_REPORT", "MIG_DATA_SIZE", "BUS_MASTER", "DMA_BUF", "MIG_PRECOPY_INFOv2",
    };

    public VfioDeviceFeature {
        Checks.u32("argsz", argsz);
        Checks.u32("flags", flags);
    }

    /** {@code flags} for {@code feature} with the operation bits {@code ops} ({@code GET}, {@code SET}, {@code PROBE}). */
    public static long flags(int feature, int ops) {
        if (feature < 0 || feature > 0xffff) {
            throw new IllegalArgumentException("feature number is 16 bits: " + feature);
        }
        if ((ops & ~(VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_PROBE)) != 0) {
            throw new IllegalArgumentException("not an operation bit: 0x" + Integer.toHexString(ops));
        }
        return feature | ops;
    }

    public static VfioDeviceFeature decode(byte[] buf, int off) {
        return new VfioDeviceFeature(ARGSZ.getU32(buf, off), FLAGS.getU32(buf, off));
    }

    /** Offset of {@code data[]}, where the feature's payload starts. */
    public static int dataOffset() {
        return LAYOUT.offsetOf("data");
    }

    /** {@code flags & VFIO_DEVICE_FEATURE_MASK}. */
    public int feature() {
        return (int) (flags & 0xffff);
    }

    public boolean isGet() {
        return (flags & VFIO_DEVICE_FEATURE_GET) != 0;
    }

    public boolean isSet() {
        return (flags & VFIO_DEVICE_FEATURE_SET) != 0;
    }

    public boolean isProbe() {
        return (flags & VFIO_DEVICE_FEATURE_PROBE) != 0;
    }

    /**
     * {@code "DMA_BUF"}; the write-combining features of {@link WcUapi} by name though unmerged;
     * {@code "feature 16"} for any other number v7.1 does not define.
     */
    public static String featureName(int feature) {
        if (feature >= 0 && feature < FEATURE_NAMES.length) {
            return FEATURE_NAMES[feature];
        }
        switch (feature) {
            case VfioDeviceFeatureDmaBufMemattr.VFIO_DEVICE_FEATURE_DMA_BUF_REVOKE:
                return "DMA_BUF_REVOKE";
            case VfioDeviceFeatureDmaBufMemattr.VFIO_DEVICE_FEATURE_DMA_BUF_MEMATTR:
                return "DMA_BUF_MEMATTR";
            case VfioDeviceFeatureAliasRegion.VFIO_DEVICE_FEATURE_ALIAS_REGION:
                return "ALIAS_REGION";
            default:
                return "feature " + feature;
        }
    }

    @Override
    public int encodedSize() {
        return SIZE;
    }

    @Override
    public void encodeInto(byte[] buf, int off) {
        ARGSZ.putU32(buf, off, argsz);
        FLAGS.putU32(buf, off, flags);
    }
}
