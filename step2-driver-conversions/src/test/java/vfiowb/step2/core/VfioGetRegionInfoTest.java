package vfiowb.step2.core;

import vfiowb.common.stagetests.core.VfioGetRegionInfoTests;
import vfiowb.step2.Step2Adapter;

/** Stage 2's core requires get_region_info_caps. */
class VfioGetRegionInfoTest extends VfioGetRegionInfoTests {
    VfioGetRegionInfoTest() {
        super(new Step2Adapter(), WithoutTheOp.EINVAL);
    }
}
