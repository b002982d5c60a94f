package vfiowb.common.uapi;

import vfiowb.common.Models;

/**
 * {@code struct vfio_region_gfx_edid} (24 bytes): the register block at the start of a
 * {@code VFIO_REGION_TYPE_GFX / VFIO_REGION_SUBTYPE_GFX_EDID} region, accessed with pread/pwrite.
 * The EDID blob itself lives in the same region at {@code edid_offset}, at most
 * {@code edid_max_size} bytes of which {@code edid_size} are valid.
 */
@Models("include/uapi/linux/vfio.h:struct vfio_region_gfx_edid")
public record VfioRegionGfxEdid(long edidOffset, long edidMaxSize, long edidSize, long maxXres,
        long maxYres, long linkState) implements UapiEncodable {
    public static final UapiStruct LAYOUT = UapiStruct.layout("vfio_region_gfx_edid")
        .u32("edid_offset").u32("edid_max_size").u32("edid_size").u32("max_xres").u32("max_yres")
        .u32("link_state").build();
    public static final int SIZE = LAYOUT.size();

    public static final int VFIO_DEVICE_GFX_LINK_STATE_UP = 1;
    public static final int VFIO_DEVICE_GFX_LINK_STATE_DOWN = 2;

    private static final UapiField EDID_OFFSET = LAYOUT.field("edid_offset");
    private static final UapiField EDID_MAX_SIZE = LAYOUT.field("edid_max_size");
    private static final UapiField EDID_SIZE = LAYOUT.field("edid_size");
    private static final UapiField MAX_XRES = LAYOUT.field("max_xres");
    private static final UapiField MAX_YRES = LAYOUT.field("max_yres");
    private static final UapiField LINK_STATE = LAYOUT.field("link_state");

    public VfioRegionGfxEdid {
        Checks.u32("edid_offset", edidOffset);
        Checks.u32("edid_max_size", edidMaxSize);
        Checks.u32("edid_size", edidSize);
        Checks.u32("max_xres", maxXres);
        Checks.u32("max_yres", maxYres);
        Checks.u32("link_state", linkState);
    }

    public static VfioRegionGfxEdid decode(byte[] buf, int off) {
        return new VfioRegionGfxEdid(EDID_OFFSET.getU32(buf, off), EDID_MAX_SIZE.getU32(buf, off),
            EDID_SIZE.getU32(buf, off), MAX_XRES.getU32(buf, off), MAX_YRES.getU32(buf, off),
            LINK_STATE.getU32(buf, off));
    }

    @Override
    public int encodedSize() {
        return SIZE;
    }

    @Override
    public void encodeInto(byte[] buf, int off) {
        EDID_OFFSET.putU32(buf, off, edidOffset);
        EDID_MAX_SIZE.putU32(buf, off, edidMaxSize);
        EDID_SIZE.putU32(buf, off, edidSize);
        MAX_XRES.putU32(buf, off, maxXres);
        MAX_YRES.putU32(buf, off, maxYres);
        LINK_STATE.putU32(buf, off, linkState);
    }
}
