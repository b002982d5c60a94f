package vfiowb.step1.drivers.platform;

import vfiowb.common.stagetests.drivers.platform.VfioPlatformTests;
import vfiowb.step1.Step1Adapter;

class VfioPlatformTest extends VfioPlatformTests {
    VfioPlatformTest() {
        super(new Step1Adapter());
    }
}
