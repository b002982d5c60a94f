package vfiowb.step5.drivers.platform;

import vfiowb.common.stagetests.drivers.platform.VfioPlatformTests;
import vfiowb.step5.Step5Adapter;

class VfioPlatformTest extends VfioPlatformTests {
    VfioPlatformTest() {
        super(new Step5Adapter());
    }
}
