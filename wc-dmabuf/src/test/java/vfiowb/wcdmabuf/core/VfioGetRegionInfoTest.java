package vfiowb.wcdmabuf.core;

import vfiowb.common.stagetests.core.VfioGetRegionInfoTests;
import vfiowb.wcdmabuf.WcDmabufAdapter;

/** Stage 2's core requires get_region_info_caps. */
class VfioGetRegionInfoTest extends VfioGetRegionInfoTests {
    VfioGetRegionInfoTest() {
        super(new WcDmabufAdapter(), WithoutTheOp.EINVAL);
    }
}
