package vfiowb.common.uapi;

import vfiowb.common.Models;

/**
 * The alias-region WC uAPI (issue 14, variant {@code wc-alias}): the payload of
 * {@code VFIO_DEVICE_FEATURE_ALIAS_REGION}, a GET that creates (or finds) a region index aliasing
 * {@code index} with the mapping attributes in {@code flags} and answers it in
 * {@code alias_index}. The alias is mmap-only; REGION_INFO describes it with
 * {@link RegionCap.Alias}.
 *
 * <p>Status {@link UapiStatus#POSTED} for the structure: Mahmoud Adam's "[RFC PATCH 0/7] vfio:
 * Add alias region uapi for device feature" (24 Sep 2025) declares
 * {@code struct vfio_device_feature_alias_region {flags, index, alias_index, _resv1, _resv2}}
 * (kernel-facts §H.2; the member widths are the model's reading, __u32 each with a __u64
 * reserve, UNVERIFIED). {@link UapiStatus#PROPOSED} for the rest: the RFC's feature number 11
 * is {@code VFIO_DEVICE_FEATURE_DMA_BUF} since v6.19 and 13, 14 are claimed by Matt Evans'
 * series, so the model uses 15; the RFC's region flags ALIAS (1 << 4) and WC (1 << 5) gave way,
 * as Alex Williamson asked (15 Oct 2025), to a capability ({@link RegionCap.Alias}) and to the
 * feature's own {@link #VFIO_ALIAS_REGION_FLAG_WC}.
 */
@Models("include/uapi/linux/vfio.h:struct vfio_device_feature_alias_region")
public record VfioDeviceFeatureAliasRegion(long flags, long index, long aliasIndex)
        implements UapiEncodable {
    public static final UapiStruct LAYOUT = UapiStruct.layout("vfio_device_feature_alias_region")
        .u32("flags").u32("index").u32("alias_index").u32("_resv1").u64("_resv2").build();
    public static final int SIZE = LAYOUT.size();

    /** {@code VFIO_DEVICE_FEATURE_ALIAS_REGION}; posted as 11, renumbered (proposed). */
    public static final int VFIO_DEVICE_FEATURE_ALIAS_REGION = 15;
    /** The alias maps write-combined. Proposed (the RFC used region flag 1 << 5). */
    public static final int VFIO_ALIAS_REGION_FLAG_WC = 1 << 0;

    private static final UapiField FLAGS = LAYOUT.field("flags");
    private static final UapiField INDEX = LAYOUT.field("index");
    private static final UapiField ALIAS_INDEX = LAYOUT.field("alias_index");

    public VfioDeviceFeatureAliasRegion {
        Checks.u32("flags", flags);
        Checks.u32("index", index);
        Checks.u32("alias_index", aliasIndex);
    }

    public static VfioDeviceFeatureAliasRegion decode(byte[] buf, int off) {
        return new VfioDeviceFeatureAliasRegion(FLAGS.getU32(buf, off), INDEX.getU32(buf, off),
                ALIAS_INDEX.getU32(buf, off));
    }

    /** Writes {@code alias_index} back, as the GET does. */
    public static void putAliasIndex(byte[] buf, int off, long aliasIndex) {
        ALIAS_INDEX.putU32(buf, off, aliasIndex);
    }

    @Override
    public int encodedSize() {
        return SIZE;
    }

    @Override
    public void encodeInto(byte[] buf, int off) {
        FLAGS.putU32(buf, off, flags);
        INDEX.putU32(buf, off, index);
        ALIAS_INDEX.putU32(buf, off, aliasIndex);
    }
}
