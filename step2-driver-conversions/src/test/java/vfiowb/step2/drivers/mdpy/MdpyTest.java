package vfiowb.step2.drivers.mdpy;

import vfiowb.common.stagetests.drivers.mdpy.MdpyTests;
import vfiowb.step2.Step2Adapter;

class MdpyTest extends MdpyTests {
    MdpyTest() {
        super(new Step2Adapter());
    }
}
