package vfiowb.common.rules;

import java.util.Objects;

/**
 * A method, constructor or field as bytecode names it.
 *
 * @param owner the declaring class as the instruction names it, in Java form
 *     ({@code vfiowb.common.mm.VmArea}, nested classes with {@code $})
 * @param name the member's name ({@code <init>} for a constructor)
 * @param descriptor the JVM descriptor ({@code ()J}, {@code (Lvfiowb/common/uapi/VfioRegionInfo;)V})
 */
public record MemberRef(String owner, String name, String descriptor) {
    public MemberRef {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(descriptor, "descriptor");
    }

    /** Whether this is {@code owner.name}, whatever the descriptor. */
    public boolean is(String ownerName, String memberName) {
        return owner.equals(ownerName) && name.equals(memberName);
    }

    @Override
    public String toString() {
        return owner + "." + name;
    }
}
