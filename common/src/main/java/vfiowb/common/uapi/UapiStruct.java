package vfiowb.common.uapi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The layout of one structure of include/uapi/linux/vfio.h: its name, {@code sizeof}, alignment
 * and members in declaration order.
 *
 * <p>Layouts are built with {@link #layout(String)}, which places members the way a C compiler
 * does on x86-64 and arm64 (each member at the next multiple of its alignment, {@code sizeof}
 * rounded up to the largest alignment, a flexible array member at the end contributing no size).
 * Padding members that vfio.h spells out ({@code pad}, {@code reserved}) are declared as members;
 * the builder inserts no silent padding between members and refuses a layout that would need it,
 * because the uAPI never relies on implicit holes.
 */
public record UapiStruct(String name, int size, int alignment, List<UapiField> fields) {
    public UapiStruct {
        Objects.requireNonNull(name, "name");
        fields = List.copyOf(fields);
        if (alignment <= 0 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException(name + ": alignment " + alignment);
        }
        if (size % alignment != 0) {
            throw new IllegalArgumentException(name + ": size " + size + " not a multiple of " + alignment);
        }
        Set<String> names = new HashSet<>();
        int end = 0;
        for (int i = 0; i < fields.size(); i++) {
            UapiField f = fields.get(i);
            if (!names.add(f.name())) {
                throw new IllegalArgumentException(name + ": duplicate member " + f.name());
            }
            if (f.offset() < end || f.end() > size && !f.type().isFlexible()) {
                throw new IllegalArgumentException(name + ": member " + f.name() + " overlaps or overruns");
            }
            if (f.type().isFlexible() && i != fields.size() - 1) {
                throw new IllegalArgumentException(name + ": flexible member " + f.name() + " not last");
            }
            end = f.end();
        }
    }

    /** Starts a layout; members are appended in declaration order. */
    public static Builder layout(String name) {
        return new Builder(name);
    }

    /** The member called {@code fieldName}; a missing name is a bug in the caller. */
    public UapiField field(String fieldName) {
        for (UapiField f : fields) {
            if (f.name().equals(fieldName)) {
                return f;
            }
        }
        throw new IllegalStateException("struct " + name + " has no member " + fieldName);
    }

    /** {@code offsetof(struct name, fieldName)}. */
    public int offsetOf(String fieldName) {
        return field(fieldName).offset();
    }

    /** The flexible array member, if the structure ends with one. */
    public Optional<UapiField> flexibleMember() {
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        UapiField last = fields.get(fields.size() - 1);
        return last.type().isFlexible() ? Optional.of(last) : Optional.empty();
    }

    /** Builds a layout by natural alignment. */
    public static final class Builder {
        private final String name;
        private final List<UapiField> fields = new ArrayList<>();
        private int cursor;
        private int alignment = 1;
        private boolean closed;

        private Builder(String name) {
            this.name = name;
        }

        public Builder u16(String field) {
            return add(field, UapiType.U16, null);
        }

        public Builder u32(String field) {
            return add(field, UapiType.U32, null);
        }

        public Builder s32(String field) {
            return add(field, UapiType.S32, null);
        }

        public Builder u64(String field) {
            return add(field, UapiType.U64, null);
        }

        public Builder struct(String field, UapiStruct element) {
            return add(field, UapiType.STRUCT, Objects.requireNonNull(element));
        }

        public Builder structArray(String field, UapiStruct element) {
            return add(field, UapiType.STRUCT_ARRAY, Objects.requireNonNull(element));
        }

        public Builder u8Array(String field) {
            return add(field, UapiType.U8_ARRAY, null);
        }

        private Builder add(String field, UapiType type, UapiStruct element) {
            if (closed) {
                throw new IllegalStateException(name + ": member after flexible array member");
            }
            int size = type.isFlexible() ? 0 : element != null ? element.size() : type.scalarSize();
            UapiField probe = new UapiField(field, cursor, size, type, element);
            int align = probe.alignment();
            if (cursor % align != 0) {
                throw new IllegalStateException(name + "." + field + " would need implicit padding at "
                    + cursor + "; declare the padding member as vfio.h does");
            }
            fields.add(probe);
            cursor += size;
            alignment = Math.max(alignment, align);
            closed = type.isFlexible();
            return this;
        }

        public UapiStruct build() {
            int size = (cursor + alignment - 1) / alignment * alignment;
            return new UapiStruct(name, size, alignment, fields);
        }
    }
}
