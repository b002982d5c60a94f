package vfiowb.step4.drivers.platform;

import vfiowb.common.stagetests.drivers.platform.VfioPlatformTests;
import vfiowb.step4.Step4Adapter;

class VfioPlatformTest extends VfioPlatformTests {
    VfioPlatformTest() {
        super(new Step4Adapter());
    }
}
