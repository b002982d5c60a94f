package vfiowb.rulefixture.shared.bad;

import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;

/** Rule fixture: shared emulation that answers REGION_INFO itself. */
public final class RegionInfoEmulation {
    private RegionInfoEmulation() {}

    public static byte[] answer(int cmd, VfioRegionInfo info) {
        if (cmd != VfioIoctl.VFIO_DEVICE_GET_REGION_INFO) {
            return null;
        }
        byte[] out = new byte[32];
        info.encodeInto(out, 0);
        return out;
    }
}
