package vfiowb.step2.drivers.ccw;

import vfiowb.common.stagetests.drivers.ccw.VfioCcwTests;
import vfiowb.step2.Step2Adapter;

class VfioCcwTest extends VfioCcwTests {
    VfioCcwTest() {
        super(new Step2Adapter());
    }
}
