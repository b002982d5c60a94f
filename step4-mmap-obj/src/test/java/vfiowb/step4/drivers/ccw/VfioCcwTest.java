package vfiowb.step4.drivers.ccw;

import vfiowb.common.stagetests.drivers.ccw.VfioCcwTests;
import vfiowb.step4.Step4Adapter;

class VfioCcwTest extends VfioCcwTests {
    VfioCcwTest() {
        super(new Step4Adapter());
    }
}
