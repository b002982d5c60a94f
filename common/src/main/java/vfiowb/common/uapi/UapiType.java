package vfiowb.common.uapi;

/** The C types a uAPI structure field can have, with their natural size and alignment. */
public enum UapiType {
    U16("__u16", 2),
    U32("__u32", 4),
    S32("__s32", 4),
    /** {@code __u64} or {@code __aligned_u64}: 8-byte aligned in every layout modelled here. */
    U64("__u64", 8),
    /** An embedded structure ({@code struct vfio_info_cap_header header}). */
    STRUCT("struct", 0),
    /** A flexible array member of structures ({@code areas[]}); contributes no size. */
    STRUCT_ARRAY("struct[]", 0),
    /** A flexible array member of bytes ({@code __u8 data[]}); contributes no size. */
    U8_ARRAY("__u8[]", 0);

    private final String cName;
    private final int scalarSize;

    UapiType(String cName, int scalarSize) {
        this.cName = cName;
        this.scalarSize = scalarSize;
    }

    /** The C spelling for scalars; composite types are spelled by {@link UapiField#cType()}. */
    public String cName() {
        return cName;
    }

    /** Size and alignment of a scalar; 0 for composites, whose size comes from their element. */
    int scalarSize() {
        return scalarSize;
    }

    public boolean isFlexible() {
        return this == STRUCT_ARRAY || this == U8_ARRAY;
    }
}
