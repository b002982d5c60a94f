package vfiowb.step4.drivers.mbochs;

import vfiowb.common.stagetests.drivers.mbochs.MbochsTests;
import vfiowb.step4.Step4Adapter;

/** Stage 2: the sample answers REGION_INFO through the core's copy-out. */
class MbochsTest extends MbochsTests {
    MbochsTest() {
        super(new Step4Adapter(), RegionInfoCopy.CORE);
    }
}
