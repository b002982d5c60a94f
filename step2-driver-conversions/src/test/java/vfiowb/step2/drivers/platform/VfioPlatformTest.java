package vfiowb.step2.drivers.platform;

import vfiowb.common.stagetests.drivers.platform.VfioPlatformTests;
import vfiowb.step2.Step2Adapter;

class VfioPlatformTest extends VfioPlatformTests {
    VfioPlatformTest() {
        super(new Step2Adapter());
    }
}
