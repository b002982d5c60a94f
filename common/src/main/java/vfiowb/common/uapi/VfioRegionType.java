package vfiowb.common.uapi;

import vfiowb.common.Models;

/**
 * Region types and subtypes carried by {@code VFIO_REGION_INFO_CAP_TYPE} (kernel-facts §A.6).
 *
 * <p>A PCI vendor type is {@code VFIO_REGION_TYPE_PCI_VENDOR_TYPE | vendor_id}, the vendor id
 * being the low 16 bits ({@code VFIO_REGION_TYPE_PCI_VENDOR_MASK}, 0xffff); build and take it
 * apart with {@link #pciVendorType(int)} and {@link #pciVendorId(long)}. Subtypes form a separate
 * number space per type, so the same subtype value means different things under different types.
 * Types are {@code __u32}, held as {@code long}.
 */
@Models("include/uapi/linux/vfio.h:struct vfio_region_info_cap_type")
public final class VfioRegionType {
    private VfioRegionType() {}

    /** Bit 31: the type is a PCI vendor id. A {@code long} so that it widens without sign extension. */
    public static final long VFIO_REGION_TYPE_PCI_VENDOR_TYPE = 0x8000_0000L;
    public static final long VFIO_REGION_TYPE_GFX = 1;
    public static final long VFIO_REGION_TYPE_CCW = 2;
    /** v1 migration region, removed from the kernel; the value stays reserved. */
    public static final long VFIO_REGION_TYPE_MIGRATION_DEPRECATED = 3;

    /** include/linux/pci_ids.h, for building vendor types. */
    public static final int PCI_VENDOR_ID_INTEL = 0x8086;
    public static final int PCI_VENDOR_ID_NVIDIA = 0x10de;
    public static final int PCI_VENDOR_ID_IBM = 0x1014;

    /** Under {@code pciVendorType(PCI_VENDOR_ID_INTEL)}: the IGD OpRegion (vfio_pci_igd.c). */
    public static final long VFIO_REGION_SUBTYPE_INTEL_IGD_OPREGION = 1;
    /** Under {@code pciVendorType(PCI_VENDOR_ID_INTEL)}: read-only host bridge config space. */
    public static final long VFIO_REGION_SUBTYPE_INTEL_IGD_HOST_CFG = 2;
    /** Under {@code pciVendorType(PCI_VENDOR_ID_INTEL)}: read-only LPC bridge config space. */
    public static final long VFIO_REGION_SUBTYPE_INTEL_IGD_LPC_CFG = 3;
    /** Under {@code pciVendorType(PCI_VENDOR_ID_NVIDIA)}; deprecated, no longer provided. */
    public static final long VFIO_REGION_SUBTYPE_NVIDIA_NVLINK2_RAM = 1;
    /** Under {@code pciVendorType(PCI_VENDOR_ID_IBM)}; deprecated, no longer provided. */
    public static final long VFIO_REGION_SUBTYPE_IBM_NVLINK2_ATSD = 1;
    /** Under {@link #VFIO_REGION_TYPE_GFX}: a {@link VfioRegionGfxEdid} register block followed by the EDID blob. */
    public static final long VFIO_REGION_SUBTYPE_GFX_EDID = 1;
    /** Under {@link #VFIO_REGION_TYPE_CCW}. */
    public static final long VFIO_REGION_SUBTYPE_CCW_ASYNC_CMD = 1;
    /** Under {@link #VFIO_REGION_TYPE_CCW}. */
    public static final long VFIO_REGION_SUBTYPE_CCW_SCHIB = 2;
    /** Under {@link #VFIO_REGION_TYPE_CCW}. */
    public static final long VFIO_REGION_SUBTYPE_CCW_CRW = 3;
    /** Under {@link #VFIO_REGION_TYPE_MIGRATION_DEPRECATED}. */
    public static final long VFIO_REGION_SUBTYPE_MIGRATION_DEPRECATED = 1;

    /** {@code VFIO_REGION_TYPE_PCI_VENDOR_TYPE | vendorId}. */
    public static long pciVendorType(int vendorId) {
        if (vendorId < 0 || vendorId > 0xffff) {
            throw new IllegalArgumentException("PCI vendor id is 16 bits: " + vendorId);
        }
        return VFIO_REGION_TYPE_PCI_VENDOR_TYPE | vendorId;
    }

    public static boolean isPciVendorType(long type) {
        return (type & VFIO_REGION_TYPE_PCI_VENDOR_TYPE) != 0;
    }

    /** {@code type & VFIO_REGION_TYPE_PCI_VENDOR_MASK} of a vendor type. */
    public static int pciVendorId(long type) {
        if (!isPciVendorType(type)) {
            throw new IllegalArgumentException("not a PCI vendor type: 0x" + Long.toHexString(type));
        }
        return (int) (type & 0xffff);
    }

    /** The vfio.h spelling of a type, for narration ({@code "PCI_VENDOR_TYPE|0x8086"}, {@code "GFX"}). */
    public static String typeName(long type) {
        if (isPciVendorType(type)) {
            return "PCI_VENDOR_TYPE|0x" + String.format("%04x", type & 0xffff)
                + ((type & 0x7fff_0000L) != 0 ? "|0x" + Long.toHexString(type & 0x7fff_0000L) : "");
        }
        if (type == VFIO_REGION_TYPE_GFX) {
            return "GFX";
        }
        if (type == VFIO_REGION_TYPE_CCW) {
            return "CCW";
        }
        if (type == VFIO_REGION_TYPE_MIGRATION_DEPRECATED) {
            return "MIGRATION_DEPRECATED";
        }
        return "0x" + Long.toHexString(type);
    }

    /** The vfio.h spelling of a subtype within its type ({@code "INTEL_IGD_OPREGION"}), or the number. */
    public static String subtypeName(long type, long subtype) {
        String n = null;
        if (type == pciVendorType(PCI_VENDOR_ID_INTEL)) {
            n = pick(subtype, "INTEL_IGD_OPREGION", "INTEL_IGD_HOST_CFG", "INTEL_IGD_LPC_CFG");
        } else if (type == pciVendorType(PCI_VENDOR_ID_NVIDIA)) {
            n = pick(subtype, "NVIDIA_NVLINK2_RAM");
        } else if (type == pciVendorType(PCI_VENDOR_ID_IBM)) {
            n = pick(subtype, "IBM_NVLINK2_ATSD");
        } else if (type == VFIO_REGION_TYPE_GFX) {
            n = pick(subtype, "GFX_EDID");
        } else if (type == VFIO_REGION_TYPE_CCW) {
            n = pick(subtype, "CCW_ASYNC_CMD", "CCW_SCHIB", "CCW_CRW");
        } else if (type == VFIO_REGION_TYPE_MIGRATION_DEPRECATED) {
            n = pick(subtype, "MIGRATION_DEPRECATED");
        }
        return n != null ? n : Long.toString(subtype);
    }

    private static String pick(long oneBased, String... names) {
        return oneBased >= 1 && oneBased <= names.length ? names[(int) oneBased - 1] : null;
    }
}
