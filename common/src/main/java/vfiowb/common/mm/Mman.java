package vfiowb.common.mm;

import vfiowb.common.Models;

/**
 * The mmap(2) {@code prot} and {@code flags} values of the uAPI headers, identical on x86 and
 * arm64. The header is shared by the kernel and userspace, so both sides of the boundary use
 * these.
 */
@Models({"include/uapi/asm-generic/mman-common.h:PROT_READ",
    "include/uapi/linux/mman.h:MAP_SHARED"})
public final class Mman {
    private Mman() {}

    public static final int PROT_NONE = 0x0;
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int PROT_EXEC = 0x4;

    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    /** {@code MAP_SHARED} that refuses unknown flags with EOPNOTSUPP (since v4.15). */
    public static final int MAP_SHARED_VALIDATE = 0x03;
    /** The mask of the mapping type: one of the three above, anything else is EINVAL. */
    public static final int MAP_TYPE = 0x0f;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    /** x86 only (arch/x86/include/uapi/asm/mman.h): below 2 GiB; 0 elsewhere. */
    public static final int MAP_32BIT = 0x40;
    /** x86 only (arch/x86/include/uapi/asm/mman.h): at or above 4 GiB; 0 elsewhere. */
    public static final int MAP_ABOVE4G = 0x80;
    /** A stack-like segment: {@code VM_GROWSDOWN}, which a file or shared mapping refuses. */
    public static final int MAP_GROWSDOWN = 0x0100;
    /** {@code MAP_FIXED} that fails with EEXIST instead of replacing a mapping (since v4.17). */
    public static final int MAP_FIXED_NOREPLACE = 0x100000;
    /** {@code HUGETLB_FLAG_ENCODE_2MB}: {@code 21 << MAP_HUGE_SHIFT} (26). */
    public static final int MAP_HUGE_2MB = 21 << 26;
    /** {@code HUGETLB_FLAG_ENCODE_1GB}: {@code 30 << MAP_HUGE_SHIFT} (26). */
    public static final int MAP_HUGE_1GB = 30 << 26;

    /** Renders prot bits the way strace does ({@code PROT_READ|PROT_WRITE}). */
    public static String protToString(int prot) {
        if (prot == PROT_NONE) {
            return "PROT_NONE";
        }
        StringBuilder sb = new StringBuilder();
        append(sb, prot, PROT_READ, "PROT_READ");
        append(sb, prot, PROT_WRITE, "PROT_WRITE");
        append(sb, prot, PROT_EXEC, "PROT_EXEC");
        int rest = prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC);
        if (rest != 0) {
            sb.append(sb.length() == 0 ? "" : "|").append("0x").append(Integer.toHexString(rest));
        }
        return sb.toString();
    }

    /** Renders mmap flags the way strace does ({@code MAP_SHARED|MAP_FIXED}). */
    public static String flagsToString(int flags) {
        StringBuilder sb = new StringBuilder();
        switch (flags & MAP_TYPE) {
            case MAP_SHARED:
                sb.append("MAP_SHARED");
                break;
            case MAP_PRIVATE:
                sb.append("MAP_PRIVATE");
                break;
            case MAP_SHARED_VALIDATE:
                sb.append("MAP_SHARED_VALIDATE");
                break;
            default:
                sb.append("0x").append(Integer.toHexString(flags & MAP_TYPE));
        }
        append(sb, flags, MAP_FIXED, "MAP_FIXED");
        append(sb, flags, MAP_ANONYMOUS, "MAP_ANONYMOUS");
        int rest = flags & ~(MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS);
        if (rest != 0) {
            sb.append("|0x").append(Integer.toHexString(rest));
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, int bits, int bit, String name) {
        if ((bits & bit) != 0) {
            sb.append(sb.length() == 0 ? "" : "|").append(name);
        }
    }
}
