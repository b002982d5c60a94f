package vfiowb.step5.core;

import vfiowb.common.stagetests.core.VfioGetRegionInfoTests;
import vfiowb.step5.Step5Adapter;

/** Stage 2's core requires get_region_info_caps. */
class VfioGetRegionInfoTest extends VfioGetRegionInfoTests {
    VfioGetRegionInfoTest() {
        super(new Step5Adapter(), WithoutTheOp.EINVAL);
    }
}
