package vfiowb.step3.drivers.platform;

import vfiowb.common.stagetests.drivers.platform.VfioPlatformTests;
import vfiowb.step3.Step3Adapter;

class VfioPlatformTest extends VfioPlatformTests {
    VfioPlatformTest() {
        super(new Step3Adapter());
    }
}
