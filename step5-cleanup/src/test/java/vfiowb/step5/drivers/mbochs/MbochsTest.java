package vfiowb.step5.drivers.mbochs;

import vfiowb.common.stagetests.drivers.mbochs.MbochsTests;
import vfiowb.step5.Step5Adapter;

/** Stage 2: the sample answers REGION_INFO through the core's copy-out. */
class MbochsTest extends MbochsTests {
    MbochsTest() {
        super(new Step5Adapter(), RegionInfoCopy.CORE);
    }
}
