package vfiowb.step3.drivers.ccw;

import vfiowb.common.stagetests.drivers.ccw.VfioCcwTests;
import vfiowb.step3.Step3Adapter;

class VfioCcwTest extends VfioCcwTests {
    VfioCcwTest() {
        super(new Step3Adapter());
    }
}
