package vfiowb.common.uapi;

import java.util.List;
import java.util.Optional;

/**
 * Every structure layout this package models, in vfio.h order, for the CLI's {@code uapi} table.
 * The descriptors are the ones the codecs use. The write-combining additions that no kernel has
 * merged are not here but in {@link WcUapi}.
 */
public final class UapiCatalogue {
    private UapiCatalogue() {}

    private static final List<UapiStruct> STRUCTS = List.of(
        VfioInfoCapHeader.LAYOUT,
        VfioDeviceInfo.LAYOUT,
        VfioRegionInfo.LAYOUT,
        RegionCap.Sparse.LAYOUT,
        VfioRegionSparseMmapArea.LAYOUT,
        RegionCap.Type.LAYOUT,
        RegionCap.MsixMappable.LAYOUT,
        VfioRegionGfxEdid.LAYOUT,
        VfioIrqInfo.LAYOUT,
        VfioDeviceIoeventfd.LAYOUT,
        VfioDeviceFeature.LAYOUT,
        VfioDeviceBindIommufd.LAYOUT,
        VfioDeviceFeatureDmaBuf.LAYOUT,
        VfioDeviceFeatureDmaBuf.RANGE_LAYOUT);

    public static List<UapiStruct> structs() {
        return STRUCTS;
    }

    /** The layout called {@code name} ({@code "vfio_region_info"}). */
    public static Optional<UapiStruct> struct(String name) {
        return STRUCTS.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
