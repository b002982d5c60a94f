package vfiowb.step3.drivers.mdpy;

import vfiowb.common.stagetests.drivers.mdpy.MdpyTests;
import vfiowb.step3.Step3Adapter;

class MdpyTest extends MdpyTests {
    MdpyTest() {
        super(new Step3Adapter());
    }
}
