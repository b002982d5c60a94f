package vfiowb.step4.core;

import vfiowb.common.stagetests.core.VfioGetRegionInfoTests;
import vfiowb.step4.Step4Adapter;

/** Stage 2's core requires get_region_info_caps. */
class VfioGetRegionInfoTest extends VfioGetRegionInfoTests {
    VfioGetRegionInfoTest() {
        super(new Step4Adapter(), WithoutTheOp.EINVAL);
    }
}
