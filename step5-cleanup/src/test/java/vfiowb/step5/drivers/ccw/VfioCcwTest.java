package vfiowb.step5.drivers.ccw;

import vfiowb.common.stagetests.drivers.ccw.VfioCcwTests;
import vfiowb.step5.Step5Adapter;

class VfioCcwTest extends VfioCcwTests {
    VfioCcwTest() {
        super(new Step5Adapter());
    }
}
