package vfiowb.step4.drivers.mdpy;

import vfiowb.common.stagetests.drivers.mdpy.MdpyTests;
import vfiowb.step4.Step4Adapter;

class MdpyTest extends MdpyTests {
    MdpyTest() {
        super(new Step4Adapter());
    }
}
