package vfiowb.step1.drivers.ccw;

import vfiowb.common.stagetests.drivers.ccw.VfioCcwTests;
import vfiowb.step1.Step1Adapter;

class VfioCcwTest extends VfioCcwTests {
    VfioCcwTest() {
        super(new Step1Adapter());
    }
}
