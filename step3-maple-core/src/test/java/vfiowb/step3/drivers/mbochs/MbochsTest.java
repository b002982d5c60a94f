package vfiowb.step3.drivers.mbochs;

import vfiowb.common.stagetests.drivers.mbochs.MbochsTests;
import vfiowb.step3.Step3Adapter;

/** Stage 2: the sample answers REGION_INFO through the core's copy-out. */
class MbochsTest extends MbochsTests {
    MbochsTest() {
        super(new Step3Adapter(), RegionInfoCopy.CORE);
    }
}
