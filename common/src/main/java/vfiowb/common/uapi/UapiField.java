package vfiowb.common.uapi;

import java.util.Objects;

/**
 * One member of a uAPI structure: its name as in vfio.h, byte offset, size and type. For an
 * embedded structure or a flexible array of structures, {@code element} is that structure's
 * layout; otherwise it is {@code null}.
 *
 * <p>The typed accessors are how the codecs of this package touch bytes, so a field's declared
 * offset is the offset that is actually read and written. They take the base offset of the
 * enclosing structure in the buffer.
 */
public record UapiField(String name, int offset, int size, UapiType type, UapiStruct element) {
    public UapiField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (offset < 0 || size < 0) {
            throw new IllegalArgumentException(name + ": negative offset or size");
        }
        boolean composite = type == UapiType.STRUCT || type == UapiType.STRUCT_ARRAY;
        if (composite != (element != null)) {
            throw new IllegalArgumentException(name + ": element layout must be given exactly for "
                + "struct and struct[] members");
        }
        int expected = type.isFlexible() ? 0 : composite ? element.size() : type.scalarSize();
        if (size != expected) {
            throw new IllegalArgumentException(name + ": size " + size + " for " + type);
        }
    }

    /** The member's C type as vfio.h would spell it ({@code __u32}, {@code struct x}, {@code struct x[]}). */
    public String cType() {
        switch (type) {
            case STRUCT:
                return "struct " + element.name();
            case STRUCT_ARRAY:
                return "struct " + element.name() + "[]";
            default:
                return type.cName();
        }
    }

    /** C alignment of the member. */
    public int alignment() {
        switch (type) {
            case STRUCT:
            case STRUCT_ARRAY:
                return element.alignment();
            case U8_ARRAY:
                return 1;
            default:
                return type.scalarSize();
        }
    }

    /** Offset of the first byte after the member ({@code offsetofend}). */
    public int end() {
        return offset + size;
    }

    public int getU16(byte[] buf, int base) {
        require(UapiType.U16);
        return LE.getU16(buf, base + offset);
    }

    public void putU16(byte[] buf, int base, int value) {
        require(UapiType.U16);
        LE.putU16(buf, base + offset, value);
    }

    public long getU32(byte[] buf, int base) {
        require(UapiType.U32);
        return LE.getU32(buf, base + offset);
    }

    public void putU32(byte[] buf, int base, long value) {
        require(UapiType.U32);
        LE.putU32(buf, base + offset, value);
    }

    public int getS32(byte[] buf, int base) {
        require(UapiType.S32);
        return LE.getS32(buf, base + offset);
    }

    public void putS32(byte[] buf, int base, int value) {
        require(UapiType.S32);
        LE.putS32(buf, base + offset, value);
    }

    public long getU64(byte[] buf, int base) {
        require(UapiType.U64);
        return LE.getU64(buf, base + offset);
    }

    public void putU64(byte[] buf, int base, long value) {
        require(UapiType.U64);
        LE.putU64(buf, base + offset, value);
    }

    private void require(UapiType wanted) {
        if (type != wanted) {
            throw new IllegalStateException(name + " is " + cType() + ", accessed as " + wanted.cName());
        }
    }
}
