package vfiowb.common.uapi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import vfiowb.common.Models;

/**
 * A capability of a {@code VFIO_DEVICE_GET_REGION_INFO} reply (kernel-facts §A.5), decoded.
 *
 * <p>Each variant encodes itself with its header's {@code next} 0: linking is the chain's business
 * ({@link VfioInfoCap}), so a capability can be handed to {@link
 * VfioInfoCap#vfioInfoAddCapability(VfioInfoCap, RegionCap)} as drivers hand a stack-built
 * structure to {@code vfio_info_add_capability()}. {@link #encodedSize()} is the C structure size
 * before the chain's rounding to 8 bytes.
 *
 * <p>Known ids are decoded whatever their version, as QEMU, DPDK and rust-vmm do; the kernel emits
 * version 1 for all three. The deprecated NVLINK2 ids (4, 5), which no kernel produces any more,
 * and every other id are kept as {@link Unknown}.
 */
public sealed interface RegionCap extends UapiEncodable
        permits RegionCap.Sparse, RegionCap.Type, RegionCap.MsixMappable, RegionCap.Alias,
        RegionCap.Unknown {

    /** The header's id, in the region-info namespace. */
    int id();

    int version();

    /**
     * Decodes the capability whose header is at {@code off}, with {@code extent} bytes available
     * to it (up to the next capability or the end of the valid buffer).
     *
     * @throws MalformedCapChainException if a known capability's body does not fit in {@code extent}
     */
    static RegionCap decode(byte[] buf, int off, int extent) {
        if (extent < VfioInfoCapHeader.SIZE) {
            throw new MalformedCapChainException(off, "header needs " + VfioInfoCapHeader.SIZE
                + " bytes, " + extent + " available");
        }
        VfioInfoCapHeader h = VfioInfoCapHeader.decode(buf, off);
        switch (h.id()) {
            case VfioRegionInfo.VFIO_REGION_INFO_CAP_SPARSE_MMAP:
                return Sparse.decodeBody(buf, off, extent, h.version());
            case VfioRegionInfo.VFIO_REGION_INFO_CAP_TYPE:
                if (extent < Type.LAYOUT.size()) {
                    throw new MalformedCapChainException(off, "CAP_TYPE needs " + Type.LAYOUT.size()
                        + " bytes, " + extent + " available before the next capability or the end");
                }
                return new Type(h.version(), Type.TYPE.getU32(buf, off), Type.SUBTYPE.getU32(buf, off));
            case VfioRegionInfo.VFIO_REGION_INFO_CAP_MSIX_MAPPABLE:
                return new MsixMappable(h.version());
            case VfioRegionInfo.VFIO_REGION_INFO_CAP_ALIAS:
                if (extent < Alias.LAYOUT.size()) {
                    throw new MalformedCapChainException(off, "CAP_ALIAS needs " + Alias.LAYOUT.size()
                        + " bytes, " + extent + " available before the next capability or the end");
                }
                return new Alias(h.version(), Alias.INDEX.getU32(buf, off), Alias.FLAGS.getU32(buf, off));
            default:
                return new Unknown(h.id(), h.version(),
                    Arrays.copyOfRange(buf, off + VfioInfoCapHeader.SIZE, off + extent));
        }
    }

    private static void putHeader(byte[] buf, int off, int id, int version) {
        new VfioInfoCapHeader(id, version, 0).encodeInto(buf, off);
    }

    /**
     * {@code VFIO_REGION_INFO_CAP_SPARSE_MMAP} ({@code struct vfio_region_info_cap_sparse_mmap}):
     * the sub-ranges of the region that may be mmapped; mmaps outside them may fail. A chain
     * with {@code nr_areas} 0 means nothing is mappable to QEMU, while DPDK then maps the whole
     * region.
     */
    @Models("include/uapi/linux/vfio.h:struct vfio_region_info_cap_sparse_mmap")
    record Sparse(int version, long reserved, List<VfioRegionSparseMmapArea> areas) implements RegionCap {
        public static final UapiStruct LAYOUT = UapiStruct.layout("vfio_region_info_cap_sparse_mmap")
            .struct("header", VfioInfoCapHeader.LAYOUT).u32("nr_areas").u32("reserved")
            .structArray("areas", VfioRegionSparseMmapArea.LAYOUT).build();
        private static final UapiField NR_AREAS = LAYOUT.field("nr_areas");
        private static final UapiField RESERVED = LAYOUT.field("reserved");
        private static final int AREAS = LAYOUT.offsetOf("areas");

        public Sparse {
            Checks.u16("version", version);
            Checks.u32("reserved", reserved);
            areas = List.copyOf(areas);
            if (areas.size() > (Integer.MAX_VALUE - AREAS) / VfioRegionSparseMmapArea.SIZE) {
                throw new IllegalArgumentException("too many areas for one capability: " + areas.size());
            }
        }

        /** Version 1, as vfio-pci-core and nvgrace-gpu build it. */
        public static Sparse of(List<VfioRegionSparseMmapArea> areas) {
            return new Sparse(1, 0, areas);
        }

        public static Sparse of(VfioRegionSparseMmapArea... areas) {
            return of(List.of(areas));
        }

        private static Sparse decodeBody(byte[] buf, int off, int extent, int version) {
            if (extent < LAYOUT.size()) {
                throw new MalformedCapChainException(off, "SPARSE_MMAP head needs " + LAYOUT.size()
                    + " bytes, " + extent + " available before the next capability or the end");
            }
            long nr = NR_AREAS.getU32(buf, off);
            long need = AREAS + nr * VfioRegionSparseMmapArea.SIZE;
            if (need > extent) {
                throw new MalformedCapChainException(off, "SPARSE_MMAP nr_areas " + nr + " needs " + need
                    + " bytes, " + extent + " available before the next capability or the end");
            }
            List<VfioRegionSparseMmapArea> areas = new ArrayList<>((int) nr);
            for (int i = 0; i < nr; i++) {
                areas.add(VfioRegionSparseMmapArea.decode(buf, off + AREAS + i * VfioRegionSparseMmapArea.SIZE));
            }
            return new Sparse(version, RESERVED.getU32(buf, off), areas);
        }

        @Override
        public int id() {
            return VfioRegionInfo.VFIO_REGION_INFO_CAP_SPARSE_MMAP;
        }

        /** {@code nr_areas}. */
        public int nrAreas() {
            return areas.size();
        }

        @Override
        public int encodedSize() {
            return AREAS + areas.size() * VfioRegionSparseMmapArea.SIZE;
        }

        @Override
        public void encodeInto(byte[] buf, int off) {
            putHeader(buf, off, id(), version);
            NR_AREAS.putU32(buf, off, areas.size());
            RESERVED.putU32(buf, off, reserved);
            for (int i = 0; i < areas.size(); i++) {
                areas.get(i).encodeInto(buf, off + AREAS + i * VfioRegionSparseMmapArea.SIZE);
            }
        }
    }

    /**
     * {@code VFIO_REGION_INFO_CAP_TYPE} ({@code struct vfio_region_info_cap_type}): what a
     * device-specific region is (see {@link VfioRegionType}); required on every vfio-pci region
     * index from {@code VFIO_PCI_NUM_REGIONS} up.
     */
    @Models("include/uapi/linux/vfio.h:struct vfio_region_info_cap_type")
    record Type(int version, long type, long subtype) implements RegionCap {
        public static final UapiStruct LAYOUT = UapiStruct.layout("vfio_region_info_cap_type")
            .struct("header", VfioInfoCapHeader.LAYOUT).u32("type").u32("subtype").build();
        private static final UapiField TYPE = LAYOUT.field("type");
        private static final UapiField SUBTYPE = LAYOUT.field("subtype");

        public Type {
            Checks.u16("version", version);
            Checks.u32("type", type);
            Checks.u32("subtype", subtype);
        }

        /** Version 1, as every in-tree driver builds it. */
        public static Type of(long type, long subtype) {
            return new Type(1, type, subtype);
        }

        @Override
        public int id() {
            return VfioRegionInfo.VFIO_REGION_INFO_CAP_TYPE;
        }

        @Override
        public int encodedSize() {
            return LAYOUT.size();
        }

        @Override
        public void encodeInto(byte[] buf, int off) {
            putHeader(buf, off, id(), version);
            TYPE.putU32(buf, off, type);
            SUBTYPE.putU32(buf, off, subtype);
        }
    }

    /**
     * {@code VFIO_REGION_INFO_CAP_MSIX_MAPPABLE}: a bare header telling userspace that the MSI-X
     * table's page in this BAR may be mmapped (MSI-X is still programmed through SET_IRQS).
     * vfio.h declares no structure for it; vfio-pci adds it with {@code vfio_info_cap_add()} and
     * the header size.
     */
    @Models("include/uapi/linux/vfio.h:VFIO_REGION_INFO_CAP_MSIX_MAPPABLE")
    record MsixMappable(int version) implements RegionCap {
        public static final UapiStruct LAYOUT = UapiStruct.layout("VFIO_REGION_INFO_CAP_MSIX_MAPPABLE")
            .struct("header", VfioInfoCapHeader.LAYOUT).build();

        public MsixMappable {
            Checks.u16("version", version);
        }

        public static MsixMappable of() {
            return new MsixMappable(1);
        }

        @Override
        public int id() {
            return VfioRegionInfo.VFIO_REGION_INFO_CAP_MSIX_MAPPABLE;
        }

        @Override
        public int encodedSize() {
            return LAYOUT.size();
        }

        @Override
        public void encodeInto(byte[] buf, int off) {
            putHeader(buf, off, id(), version);
        }
    }

    /**
     * {@code VFIO_REGION_INFO_CAP_ALIAS} ({@code struct vfio_region_info_cap_alias}, issue 14,
     * variant {@code wc-alias}): this region is an mmap-only alias of region {@code index}, mapped
     * with the attributes in {@code flags} ({@link VfioDeviceFeatureAliasRegion#VFIO_ALIAS_REGION_FLAG_WC}).
     * {@link UapiStatus#PROPOSED}: Alex Williamson asked (15 Oct 2025) for a capability instead of
     * the RFC's region flags; nothing posted defines one, so id 6 (the first free) and the layout
     * are the model's.
     */
    @Models("include/uapi/linux/vfio.h:struct vfio_region_info_cap_alias")
    record Alias(int version, long index, long flags) implements RegionCap {
        public static final UapiStruct LAYOUT = UapiStruct.layout("vfio_region_info_cap_alias")
            .struct("header", VfioInfoCapHeader.LAYOUT).u32("index").u32("flags").build();
        private static final UapiField INDEX = LAYOUT.field("index");
        private static final UapiField FLAGS = LAYOUT.field("flags");

        public Alias {
            Checks.u16("version", version);
            Checks.u32("index", index);
            Checks.u32("flags", flags);
        }

        /** Version 1. */
        public static Alias of(long index, long flags) {
            return new Alias(1, index, flags);
        }

        @Override
        public int id() {
            return VfioRegionInfo.VFIO_REGION_INFO_CAP_ALIAS;
        }

        @Override
        public int encodedSize() {
            return LAYOUT.size();
        }

        @Override
        public void encodeInto(byte[] buf, int off) {
            putHeader(buf, off, id(), version);
            INDEX.putU32(buf, off, index);
            FLAGS.putU32(buf, off, flags);
        }
    }

    /**
     * Any other id: the header's id and version and the bytes after the header. Clients skip it
     * and follow {@code next}. Decoded from a reply, {@code body} runs to the next capability, or
     * for the last one to the end of the valid buffer, so it includes the chain's 8-byte rounding.
     */
    record Unknown(int id, int version, byte[] body) implements RegionCap {
        public Unknown {
            Checks.u16("id", id);
            Checks.u16("version", version);
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }

        @Override
        public int encodedSize() {
            return VfioInfoCapHeader.SIZE + body.length;
        }

        @Override
        public void encodeInto(byte[] buf, int off) {
            putHeader(buf, off, id, version);
            System.arraycopy(body, 0, buf, off + VfioInfoCapHeader.SIZE, body.length);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unknown u && u.id == id && u.version == version && Arrays.equals(u.body, body);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * id + version) + Arrays.hashCode(body);
        }

        @Override
        public String toString() {
            return "Unknown[id=" + id + ", version=" + version + ", body=" + HexFormat.of().formatHex(body) + "]";
        }
    }
}
