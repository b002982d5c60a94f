package vfiowb.common.uapi;

import vfiowb.common.Models;

/**
 * {@code struct vfio_info_cap_header} (8 bytes): the head of every capability in an INFO reply.
 *
 * <p>{@code id} is in a per-ioctl namespace (region caps and device-info caps reuse numbers),
 * {@code version} is per id, and {@code next} is the byte offset of the following capability from
 * the start of the whole INFO buffer, 0 ending the chain.
 */
@Models("include/uapi/linux/vfio.h:struct vfio_info_cap_header")
public record VfioInfoCapHeader(int id, int version, long next) implements UapiEncodable {
    public static final UapiStruct LAYOUT = UapiStruct.layout("vfio_info_cap_header")
        .u16("id").u16("version").u32("next").build();
    public static final int SIZE = LAYOUT.size();

    private static final UapiField ID = LAYOUT.field("id");
    private static final UapiField VERSION = LAYOUT.field("version");
    private static final UapiField NEXT = LAYOUT.field("next");

    public VfioInfoCapHeader {
        Checks.u16("id", id);
        Checks.u16("version", version);
        Checks.u32("next", next);
    }

    public static VfioInfoCapHeader decode(byte[] buf, int off) {
        return new VfioInfoCapHeader(ID.getU16(buf, off), VERSION.getU16(buf, off), NEXT.getU32(buf, off));
    }

    /** Writes {@code next} alone, the one member the chain helpers rewrite in place. */
    static void putNext(byte[] buf, int off, long next) {
        NEXT.putU32(buf, off, next);
    }

    static long getNext(byte[] buf, int off) {
        return NEXT.getU32(buf, off);
    }

    @Override
    public int encodedSize() {
        return SIZE;
    }

    @Override
    public void encodeInto(byte[] buf, int off) {
        ID.putU16(buf, off, id);
        VERSION.putU16(buf, off, version);
        NEXT.putU32(buf, off, next);
    }
}
