package vfiowb.step3.core;

import vfiowb.common.stagetests.core.VfioGetRegionInfoTests;
import vfiowb.step3.Step3Adapter;

/** Stage 2's core requires get_region_info_caps. */
class VfioGetRegionInfoTest extends VfioGetRegionInfoTests {
    VfioGetRegionInfoTest() {
        super(new Step3Adapter(), WithoutTheOp.EINVAL);
    }
}
