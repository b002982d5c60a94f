package vfiowb.wccookie.core;

import vfiowb.common.stagetests.core.VfioGetRegionInfoTests;
import vfiowb.wccookie.WcCookieAdapter;

/** Stage 2's core requires get_region_info_caps. */
class VfioGetRegionInfoTest extends VfioGetRegionInfoTests {
    VfioGetRegionInfoTest() {
        super(new WcCookieAdapter(), WithoutTheOp.EINVAL);
    }
}
